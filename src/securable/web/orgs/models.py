"""Organizations (a maker or an agency) and who belongs to them, with which role."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from securable.web.orgs.roles import ROLES


class Organization(models.Model):
    class Kind(models.TextChoices):
        MAKER = "maker", "maker"
        AGENCY = "agency", "agency"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created = models.DateTimeField(default=timezone.now)
    # Members must have a second factor (TOTP or a security key) to open any page of this organization.
    mfa_required = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.slug


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=[(r, r) for r in ROLES])
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org"),
            models.CheckConstraint(condition=models.Q(role__in=list(ROLES)), name="membership_known_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}:{self.role}"
