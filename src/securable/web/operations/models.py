"""The agency's devices, maintenance personnel, diagnostic tools, maintenance records and alerts.

A maintenance record stores the core state machine's own value (``securable.operations.codec``) next
to the few columns lists filter and sort on; the rules live in the core, never here.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils import timezone

from securable.operations import codec
from securable.operations.maintenance import FINAL, Record
from securable.operations.register import STATUSES, DeviceRow
from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager


class Device(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    asset_tag = models.CharField(max_length=200)
    serial = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    system = models.CharField(max_length=200, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=[(s, s) for s in STATUSES], default=STATUSES[0])
    device_type = models.CharField(max_length=200)
    vendor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=200, blank=True)
    support_end = models.DateField(null=True, blank=True)
    end_of_life = models.DateField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "asset_tag"], name="device_tag_per_org")
        ]

    def __str__(self) -> str:
        return self.asset_tag

    def row(self) -> DeviceRow:
        return DeviceRow(
            asset_tag=self.asset_tag,
            serial=self.serial,
            location=self.location,
            system=self.system,
            owner=self.owner,
            status=self.status,
            device_type=self.device_type,
            vendor=self.vendor,
            product=self.product,
            version=self.version,
            support_end=self.support_end,
            end_of_life=self.end_of_life,
        )


class Technician(models.Model):
    """A person who performs maintenance, of the agency or of a maintenance organization."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200)  # the maintenance organization they work for
    kind = models.CharField(max_length=20)  # staff, manufacturer, contractor
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "name", "id"], name="technician_org_name")]

    def __str__(self) -> str:
        return self.name


class Authorization(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    technician = models.ForeignKey(Technician, on_delete=models.PROTECT, related_name="authorizations")
    expires = models.DateField()
    unescorted = models.BooleanField()
    device_types = models.CharField(max_length=500, blank=True)  # comma-separated; empty: all types
    granted_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    def types(self) -> frozenset[str]:
        return frozenset(t.strip() for t in self.device_types.split(",") if t.strip())


class Tool(models.Model):
    """A diagnostic tool; usable in maintenance once someone other than its proposer approved it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    purpose = models.CharField(max_length=500, blank=True)
    proposed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    approved = models.DateTimeField(null=True)
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="tool_name_per_org")]


class FinalRecord(RuntimeError):
    """A closed or rejected maintenance record was about to be changed: a bug in the caller."""


class Maintenance(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()  # per organization, shown as M-<number>
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="maintenance")
    state = models.CharField(max_length=20)
    where = models.CharField(max_length=20)
    data = models.TextField()  # the core record as JSON
    corrects = models.ForeignKey("self", null=True, on_delete=models.PROTECT, related_name="corrections")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="maintenance_number_per_org")
        ]
        indexes = [
            models.Index(fields=["organization", "-number"], name="maintenance_org_number"),
            models.Index(fields=["organization", "state", "-number"], name="maintenance_org_state"),
            models.Index(fields=["device", "-number"], name="maintenance_device"),
        ]

    def record(self) -> Record:
        return codec.from_json(json.loads(self.data))

    def store(self, record: Record) -> None:
        self.data = json.dumps(codec.to_json(record), sort_keys=True)
        self.state = record.state.value
        self.where = record.where.value

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Closed records are immutable: the row in the database, not this object, decides.
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored in {s.value for s in FINAL}:
                raise FinalRecord(f"M-{self.number} is {stored}: record a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FinalRecord("maintenance records are never deleted")


class Alert(models.Model):
    """A failed post-maintenance verification; the device stays restricted while one is open."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="alerts")
    maintenance = models.ForeignKey(Maintenance, on_delete=models.PROTECT, related_name="alerts")
    message = models.CharField(max_length=1000)
    raised = models.DateTimeField(default=timezone.now)
    resolved = models.DateTimeField(null=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "resolved", "-raised"], name="alert_org_open")]


class Evidence(models.Model):
    """A file backing a data-removal attestation (e.g. the wipe tool's log), kept byte for byte."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    maintenance = models.ForeignKey(Maintenance, on_delete=models.PROTECT, related_name="evidence")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()


class PolicyVersion(models.Model):
    """One version of the agency's policy set: its parameters and the documents drafted from them."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    parameters = models.TextField()  # JSON
    documents = models.TextField()  # JSON, as drafted: a later catalog does not rewrite an approved text
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    approved = models.DateTimeField(null=True)
    # Comma-separated member roles asked to acknowledge this version (distribution by role).
    ack_roles = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="policy_number_per_org")
        ]

    def roles(self) -> tuple[str, ...]:
        return tuple(r for r in self.ack_roles.split(",") if r)


class Acknowledgement(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="one_ack_per_person")]


# Reviews, their trigger events and device jobs live in modules of their own; imported here so Django
# registers them.
from .job_models import DeviceJob  # noqa: E402, F401
from .review_models import Advisory, Incident, Review  # noqa: E402, F401

# Vendor documentation, requests to manufacturers and third-party oversight live in their own module.
from .vendor_models import (  # noqa: E402, F401
    DocumentRequest,
    Provider,
    ProviderAudit,
    RequestEntry,
    VendorDocument,
)
