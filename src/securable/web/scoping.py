"""Organization-scoped queries: a model's default manager refuses to query without an organization.

``Product.objects.all()`` raises :class:`UnscopedQuery`; ``Product.objects.for_org(org)`` is the way
in. So a view that forgets the organization fails loudly in tests instead of leaking another
organization's data. (Django's internal ``_base_manager`` stays unscoped for relations and deletes.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from securable.web.orgs.models import Organization


class UnscopedQuery(RuntimeError):
    """A query of organization data without naming the organization: a bug in the caller."""


class ScopedManager(models.Manager):
    """The default manager of every organization-owned model; ``org_field`` leads to the organization."""

    def __init__(self, org_field: str = "organization") -> None:
        super().__init__()
        self.org_field = org_field

    def get_queryset(self) -> models.QuerySet[Any]:
        # A related manager (``product.versions``) is reached from an object that was itself fetched
        # in scope, and filters on it: that query is scoped already.
        if hasattr(self, "core_filters"):
            return super().get_queryset()
        raise UnscopedQuery(f"{self.model.__name__} must be queried with .for_org(organization)")

    def for_org(self, organization: Organization) -> models.QuerySet[Any]:
        return super().get_queryset().filter(**{self.org_field: organization})
