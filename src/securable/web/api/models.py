"""API tokens: random, stored only as a hash, for one organization and one role, expiring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES
from securable.web.scoping import ScopedManager


class ApiToken(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    # The token's public part, shown in lists and recorded as the audit credential ("token:<prefix>").
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)  # SHA-256 of the whole token; 256 random bits need no slow hash
    role = models.CharField(max_length=20, choices=[(r, r) for r in ROLES])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True)
    revoked = models.DateTimeField(null=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "-created"], name="token_org_created")]
