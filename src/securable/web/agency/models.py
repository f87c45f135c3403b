"""What the agency keeps: requirement sets with their versions, vendor packages and evaluations.

A requirement set's versions are never changed once written, except for the approval of a draft:
tailoring makes a new draft version, so what a second person approved stays what it was. Each
version keeps the core's own outputs (the OSCAL profile ``securable evaluate`` reads and the JSON
report), so pages and exports show exactly what the core produced, and an evaluation cites the very
profile it ran against.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager


class RequirementSet(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)
    latest_number = models.PositiveIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="reqset_slug_per_org")]
        indexes = [models.Index(fields=["organization", "name", "id"], name="reqset_org_name")]

    def __str__(self) -> str:
        return self.slug


class RequirementVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        APPROVED = "approved", "approved"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    baseline = models.CharField(max_length=20, blank=True)  # or, for a profile, empty
    profile = models.BinaryField(null=True)  # the uploaded OSCAL profile, byte for byte
    profile_name = models.CharField(max_length=200, blank=True)
    # [{"action": "add"|"drop", "ref": ..., "reason": ...}] in the order applied
    tailoring = models.JSONField(default=list)
    export = models.TextField()  # the OSCAL profile `securable evaluate --requirements` reads
    report = models.TextField()  # the core's JSON report of the requirements
    counts = models.JSONField(default=dict)  # section -> number of requirements, for lists
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    approved = models.DateTimeField(null=True)
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement_set", "number"], name="reqversion_number_per_set"),
            # Separation of duties, held by the database too: no one approves their own version.
            models.CheckConstraint(
                condition=models.Q(approver__isnull=True) | ~models.Q(approver=models.F("author")),
                name="reqversion_second_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "requirement_set", "-number"], name="reqversion_org_set"),
            models.Index(fields=["organization", "status"], name="reqversion_org_status"),
        ]


class VendorPackage(models.Model):
    class Status(models.TextChoices):
        VERIFIED = "verified", "verified"
        FAILED = "failed", "failed"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)  # the vendor, as the evaluation names it
    filename = models.CharField(max_length=200)
    archive = models.BinaryField()  # the uploaded zip, byte for byte
    sha256 = models.CharField(max_length=64)
    public_key = models.TextField()  # the vendor's PEM as uploaded
    key_fingerprint = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # The core's verification report (signature, signed_by, product, files_checked, problems).
    verification = models.JSONField(default=dict)
    uploader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "name", "id"], name="vendorpkg_org_name"),
            models.Index(fields=["organization", "status", "name"], name="vendorpkg_org_status"),
        ]


class Evaluation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=300)  # "<set> v<n>: vendor, vendor", for lists
    requirements = models.ForeignKey(RequirementVersion, on_delete=models.PROTECT, related_name="+")
    packages = models.ManyToManyField(VendorPackage, related_name="+")
    result = models.JSONField()  # the core's JSON evaluation report
    failed = models.BooleanField(default=False)  # a vendor could not be evaluated
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "name", "id"], name="evaluation_org_name")]
