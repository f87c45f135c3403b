"""Audit events and the people they name.

An event's chained payload names its actor only by ``Person.public_id``; names and e-mail addresses
live in ``Person``, outside the chain, so they can be erased without breaking a hash.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager


class AppendOnly(RuntimeError):
    """An audit event was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("audit events are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events are never deleted")


class Person(models.Model):
    """The stable id an audit event names, and the personal data it stands for (erasable)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_person"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    erased = models.DateTimeField(null=True)


class AuditEvent(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The canonical JSON that was hashed, stored as text so that what is verified is byte for byte
    # what was written (a JSON column may reorder keys or renormalise numbers).
    payload = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "seq"], name="one_event_per_seq")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events are never deleted")


class Checkpoint(models.Model):
    """A signed statement of an organization's chain head on one day (``securable.audit.checkpoint``)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    signed = models.TextField()  # the checkpoint as exported: one JSON line

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "day"], name="one_checkpoint_per_day")]
