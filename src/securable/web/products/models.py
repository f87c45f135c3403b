"""A product and its versions. Each version keeps the uploaded bytes exactly, so export returns the
very file that was imported (the file in git stays the source of truth for teams that want it)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager


class Product(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)
    latest_number = models.PositiveIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="product_slug_per_org")]
        # Lists are keyset-paginated by (name, id) within one organization.
        indexes = [models.Index(fields=["organization", "name", "id"], name="product_org_name")]

    def __str__(self) -> str:
        return self.slug


class ProductVersion(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.BinaryField()  # the uploaded securable.yaml, byte for byte
    sha256 = models.CharField(max_length=64)
    label = models.CharField(max_length=100, blank=True)  # product.version from the file
    author = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="version_number_per_product")
        ]
        indexes = [models.Index(fields=["organization", "product", "-number"], name="version_org_product")]


class QuestionComment(models.Model):
    """A remark on one NISTIR 8259 question of a product, for whoever answers it (not in the YAML)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="comments")
    question = models.CharField(max_length=20)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=4000)
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "product", "question", "id"], name="comment_org_question")
        ]


class QuestionAssignment(models.Model):
    """Who is to answer an open question of a product: one person per question."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="assignments")
    question = models.CharField(max_length=20)
    assignee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "question"], name="one_assignee_per_question")
        ]
        # "My open questions": an organization's assignments of one person, newest first.
        indexes = [models.Index(fields=["organization", "assignee", "-id"], name="assignment_org_assignee")]


class SigningKey(models.Model):
    """An Ed25519 package-signing key of the organization. The private key is sealed (AES-256-GCM, see
    ``securable.web.products.keys``) and never leaves the server; the public key is for customers.

    One key is current (``retired`` empty) and signs new builds; a rotated key is retired, never
    deleted, so its public key stays downloadable and packages it signed still verify."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    public_pem = models.TextField()
    fingerprint = models.CharField(max_length=80)
    sealed_private = models.BinaryField()
    created = models.DateTimeField(default=timezone.now)
    retired = models.DateTimeField(null=True)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(retired=None), name="one_current_signing_key"
            ),
            # Also the index of the public-key download by fingerprint.
            models.UniqueConstraint(fields=["organization", "fingerprint"], name="signing_key_fingerprint"),
        ]


class Release(models.Model):
    """A customer package of one product version: requested by one member, approved by another with
    ``package.sign``, then built and signed in the background."""

    class State(models.TextChoices):
        REQUESTED = "requested", "requested"
        BUILDING = "building", "building"
        BUILT = "built", "built"
        FAILED = "failed", "failed"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="releases")
    version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested = models.DateTimeField(default=timezone.now)
    sbom = models.BinaryField(null=True)  # the SBOM the description names, uploaded with the request
    approved_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    approved = models.DateTimeField(null=True)
    package = models.BinaryField(null=True)  # the signed package folder as a zip
    package_sha256 = models.CharField(max_length=64, blank=True)
    key_fingerprint = models.CharField(max_length=80, blank=True)
    error = models.TextField(blank=True)

    objects = ScopedManager()

    class Meta:
        # The releases page lists an organization's releases newest first.
        indexes = [models.Index(fields=["organization", "-id"], name="release_org_id")]


class ShareLink(models.Model):
    """A public, read-only link to a built release: an unguessable token (stored hashed), expiring,
    revocable."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="shares")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # shown to members to tell links apart
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "release"], name="share_org_release")]
