"""Daily signed checkpoints of every organization's chain (run ``securable web audit-checkpoint`` daily)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db import transaction

from securable.audit.checkpoint import sign, statement
from securable.web.audit.models import AuditEvent, Checkpoint
from securable.web.orgs.models import Organization

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def make_checkpoints(key: Ed25519PrivateKey, day: dt.date) -> int:
    """Sign the head of each organization's chain for ``day``, once a day; returns how many were made."""
    made = 0
    for org in Organization.objects.order_by("pk").iterator():
        with transaction.atomic():
            if Checkpoint.objects.for_org(org).filter(day=day).exists():
                continue
            head = AuditEvent.objects.for_org(org).order_by("-seq").values_list("seq", "hash").first()
            if head is None:
                continue
            signed = sign(key, statement(str(org.public_id), head[0], head[1], day.isoformat()))
            line = json.dumps(signed, sort_keys=True, separators=(",", ":"))
            Checkpoint(organization=org, day=day, signed=line).save(force_insert=True)
            made += 1
    return made


def checkpoint_lines(organization: Organization) -> Iterator[str]:
    for line in Checkpoint.objects.for_org(organization).order_by("day").values_list("signed", flat=True):
        yield line + "\n"
