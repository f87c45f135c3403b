"""The audit checkpoints through the API: read-only, ``audit.view``, keyset-paginated by day.

A checkpoint is the signed statement of the chain's head on one day (``securable web
audit-checkpoint``). Each item carries the stored line byte for byte, so a client can write the
lines of every page to a file and check the chain against them with ``securable audit verify
--checkpoints``. This router is mounted by ``securable.web.api.v1`` under ``/audit``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from securable.errors import InputError
from securable.web.api.common import ERRORS, caller
from securable.web.audit.models import Checkpoint
from securable.web.paging import PAGE_SIZE, decode, encode
from securable.web.service import authorize

router: Router = Router(tags=["audit"])


class CheckpointOut(Schema):
    day: date
    seq: int  # the last event the checkpoint covers
    hash: str  # that event's hash: the chain's head on that day
    key: str  # the fingerprint of the key that signed it
    line: str  # the checkpoint as stored, one JSON line as `securable audit verify --checkpoints` reads


class CheckpointPage(Schema):
    items: list[CheckpointOut]
    next_cursor: str | None


def _item(line: str) -> dict[str, Any]:
    signed = json.loads(line)
    stated = signed["statement"]
    return {
        "day": stated["day"],
        "seq": stated["seq"],
        "hash": stated["hash"],
        "key": signed["key"],
        "line": line,
    }


@router.get(
    "/checkpoints",
    response={200: CheckpointPage, **ERRORS},
    summary="The organization's signed daily checkpoints, oldest first (keyset pages)",
)
def list_checkpoints(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "audit.view")
    query = Checkpoint.objects.for_org(token.organization)
    if cursor:
        # The cursor is the last (day, id) of the page before: no OFFSET, every page costs the same.
        day_text, pk = decode(cursor[:1000])
        try:
            day = date.fromisoformat(day_text)
        except ValueError as err:
            raise InputError(
                "invalid cursor", hint="use the next cursor of a previous page as given"
            ) from err
        query = query.filter(Q(day__gt=day) | Q(day=day, pk__gt=pk))
    rows = list(query.order_by("day", "pk").values_list("pk", "day", "signed")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    last = rows[-1] if rows and more else None
    return {
        "items": [_item(signed) for _, _, signed in rows],
        "next_cursor": encode(last[1].isoformat(), last[0]) if last is not None else None,
    }
