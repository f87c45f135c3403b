"""API of the agency's device register: the devices list, in asset tag order (keyset pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from securable.web.api.common import ERRORS, caller
from securable.web.paging import PAGE_SIZE, decode, encode
from securable.web.service import authorize

router = Router(tags=["devices"])


class DeviceOut(Schema):
    asset_tag: str
    serial: str
    location: str
    system: str
    owner: str
    status: str
    device_type: str
    vendor: str
    product: str
    version: str
    support_end: date | None
    end_of_life: date | None


class DevicePage(Schema):
    items: list[DeviceOut]
    next_cursor: str | None


FIELDS = tuple(DeviceOut.model_fields)


@router.get("/devices", response={200: DevicePage, **ERRORS}, summary="The device register (keyset pages)")
def list_devices(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    from securable.web.operations.models import Device

    actor, token = caller(request)
    authorize(actor, token.organization, "device.view")
    query = Device.objects.for_org(token.organization)
    if cursor:
        tag, pk = decode(cursor[:1000])
        query = query.filter(Q(asset_tag__gt=tag) | Q(asset_tag=tag, pk__gt=pk))
    rows = list(query.order_by("asset_tag", "pk").values("pk", *FIELDS)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return {
        "items": rows,
        "next_cursor": encode(rows[-1]["asset_tag"], rows[-1]["pk"]) if more else None,
    }
