"""Keyset pagination, on (a text column, id) or newest first on a growing number: each page
starts after the last row of the one before.

No OFFSET, so page 500 costs what page 1 costs; the cursor is opaque to clients (base64 JSON).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from securable.errors import InputError

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None


def encode(name: str, pk: int) -> str:
    raw = json.dumps([name, pk], separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, pk = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as err:
        raise InputError("invalid cursor", hint="use the next cursor of a previous page as given") from err
    if not isinstance(name, str) or not isinstance(pk, int) or isinstance(pk, bool):
        raise InputError("invalid cursor", hint="use the next cursor of a previous page as given")
    return name, pk


def keyset(query: QuerySet[Any], cursor: str | None, size: int = PAGE_SIZE, *, key: str = "name") -> Page:
    """One page of ``query`` (a scoped queryset) ordered by its text column ``key`` then id."""
    if cursor:
        value, pk = decode(cursor[:1000])
        query = query.filter(Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}))
    rows = list(query.order_by(key, "pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last: Model | None = rows[-1] if rows and more else None
    return Page(rows, encode(getattr(last, key), last.pk) if last is not None else None)


def newest_first(
    query: QuerySet[Any], cursor: str | None, size: int = PAGE_SIZE, *, field: str = "pk"
) -> Page:
    """One page of ``query`` newest first by ``field``, a number that only grows (the id, or a
    per-organization record number); the cursor is as opaque as :func:`keyset`'s."""
    if cursor:
        _, after = decode(cursor[:1000])
        query = query.filter(**{f"{field}__lt": after})
    rows = list(query.order_by(f"-{field}")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, encode("", getattr(rows[-1], field)) if rows and more else None)
