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
