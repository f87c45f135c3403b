"""Reviews, and the trigger events that open them: manufacturer advisories and incidents.

A review's rules are the core's (``securable.operations.reviews``); a completed review never
changes (the row in the database decides, as for maintenance records).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager

from .models import Device, Maintenance


class Advisory(models.Model):
    """An uploaded manufacturer advisory (CSAF, OpenVEX or CycloneDX VEX), kept byte for byte."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    format = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    findings = models.TextField()  # JSON: the statements as read, for the page
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "-created"], name="advisory_org_created")]


class Incident(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(Device, null=True, on_delete=models.PROTECT, related_name="incidents")
    summary = models.CharField(max_length=2000)
    severity = models.CharField(max_length=20)
    occurred = models.DateTimeField()
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()


class ClosedReview(RuntimeError):
    """A completed review was about to be changed: a bug in the caller."""


class Review(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()  # per organization, shown as R-<number>
    kind = models.CharField(max_length=20)  # securable.operations.reviews.KINDS
    subject = models.CharField(max_length=500)
    system = models.CharField(max_length=200, blank=True)  # the system a scheduled review covers
    device = models.ForeignKey(Device, null=True, on_delete=models.PROTECT, related_name="reviews")
    maintenance = models.ForeignKey(Maintenance, null=True, on_delete=models.PROTECT, related_name="+")
    advisory = models.ForeignKey(Advisory, null=True, on_delete=models.PROTECT, related_name="reviews")
    incident = models.ForeignKey(Incident, null=True, on_delete=models.PROTECT, related_name="reviews")
    assignee = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    opened = models.DateField()
    due = models.DateField()
    state = models.CharField(max_length=20, default="open")  # open, completed
    outcome = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    completed_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    completed = models.DateTimeField(null=True)
    reminded = models.DateField(null=True)  # the last day a reminder went out
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="review_number_per_org")
        ]
        indexes = [
            models.Index(fields=["organization", "-number"], name="review_org_number"),
            models.Index(fields=["organization", "state", "due"], name="review_org_open_due"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == "completed":
                raise ClosedReview(f"R-{self.number} is completed: open a new review instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ClosedReview("reviews are never deleted")
