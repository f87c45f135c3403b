"""What every API module shares: the error schema, the caller of a request and keyset pages on id.

A separate module so that the routers (``maker``, ``agency``, ``devices``) and ``v1``, which mounts
them, import it without importing each other.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema

from securable.web.api.models import ApiToken
from securable.web.api.tokens import actor_for
from securable.web.paging import PAGE_SIZE, Page, decode, encode
from securable.web.service import Actor


class ErrorBody(Schema):
    code: str
    message: str
    hint: str | None


class ErrorOut(Schema):
    error: ErrorBody


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CHANGE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


def caller(request: HttpRequest) -> tuple[Actor, ApiToken]:
    token: ApiToken = request.auth  # set by the bearer check
    return actor_for(token, getattr(request, "request_id", "")), token


def newest_first(query: QuerySet[Any], cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of ``query`` newest first (by id, which only grows); the cursor is as opaque as
    :func:`securable.web.paging.keyset`'s."""
    if cursor:
        _, pk = decode(cursor[:1000])
        query = query.filter(pk__lt=pk)
    rows = list(query.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, encode("", rows[-1].pk) if rows and more else None)
