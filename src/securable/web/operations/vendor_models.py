"""What the agency keeps about the outside parties of its devices: the vendors' documentation, the
requests made to manufacturers, and the contractors and service providers it oversees.

The rules are the core's (``securable.operations.vault``, ``.requests``, ``.oversight``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from securable.web.agency.models import Evaluation
from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager


class VendorDocument(models.Model):
    """A document a vendor provided for a product, kept byte for byte with its SHA-256."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    vendor = models.CharField(max_length=200)
    product = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "vendor", "product", "-id"], name="vendordoc_org_product"),
            models.Index(fields=["organization", "-id"], name="vendordoc_org_id"),
        ]


class DocumentRequest(models.Model):
    """A request to a manufacturer for documentation or parts (shown as R-<number>)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    vendor = models.CharField(max_length=200)
    product = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20)
    subject = models.CharField(max_length=200)
    asked = models.TextField()
    asked_on = models.DateField()
    status = models.CharField(max_length=20, default="open")
    evaluation = models.ForeignKey(Evaluation, null=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="docrequest_number_per_org")
        ]
        indexes = [
            models.Index(fields=["organization", "-number"], name="docrequest_org_number"),
            models.Index(fields=["organization", "status", "-number"], name="docrequest_org_status"),
        ]


class RequestEntry(models.Model):
    """A follow-up, an answer from the manufacturer or the closing note of a request."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(DocumentRequest, on_delete=models.PROTECT, related_name="entries")
    event = models.CharField(max_length=20)
    text = models.TextField()
    on = models.DateField()
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()


class Provider(models.Model):
    """A contractor or service provider, with what it must do and how often it is audited."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    services = models.CharField(max_length=500, blank=True)
    obligations = models.TextField()
    audit_months = models.PositiveSmallIntegerField()
    since = models.DateField()
    last_audit = models.DateField(null=True)  # kept with each audit so the list needs no join
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="provider_name_per_org")]


class ProviderAudit(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="audits")
    done = models.DateField()
    outcome = models.CharField(max_length=20)
    findings = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
