"""Appending an event to an organization's chain, inside the caller's transaction."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from securable.audit.chain import GENESIS, canonical, event_hash
from securable.web.audit.models import AuditEvent, Person
from securable.web.orgs.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from securable.web.service import Actor


def person_for(user: AbstractBaseUser) -> Person:
    """The stable id that stands for ``user`` in the chain (made on first use)."""
    person, _ = Person.objects.get_or_create(
        user=user, defaults={"name": user.get_username(), "email": getattr(user, "email", "")}
    )
    return person


def append(
    actor: Actor | None,
    organization: Organization,
    action: str,
    *,
    target: tuple[str, str],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    why: str = "",
) -> AuditEvent:
    """Add one event to ``organization``'s chain; must run inside the transaction of the change."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written in the transaction of the change they record")
    # Serialise appends per organization: on PostgreSQL by locking its row; on SQLite every write
    # transaction is IMMEDIATE, so there is one writer at a time anyway. The unique (organization,
    # seq) constraint is the last line: a lost race fails instead of forking the chain.
    Organization.objects.select_for_update().filter(pk=organization.pk).exists()
    last = AuditEvent.objects.for_org(organization).order_by("-seq").values_list("seq", "hash").first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    now = timezone.now()
    event: dict[str, Any] = {
        "action": action,
        "actor": str(person_for(actor.user).public_id) if actor else None,
        "credential": actor.credential if actor else "system",
        "request_id": actor.request_id if actor else "",
        "object": {"type": target[0], "id": target[1]},
        "before": before,
        "after": after,
        "why": why,
        "time": now.isoformat(timespec="microseconds"),
    }
    payload = canonical(event).decode("utf-8")
    with transaction.atomic():  # a savepoint: a failed insert leaves the caller's transaction usable
        stored = AuditEvent(
            organization=organization,
            seq=seq,
            prev_hash=prev,
            hash=event_hash(prev, json.loads(payload)),
            payload=payload,
            created=now,
        )
        stored.save(force_insert=True)
    return stored
