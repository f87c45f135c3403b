"""URL map: accounts (allauth), organization pages under /o/<org>/, the API under /api/v1/."""

from __future__ import annotations

from django.urls import include, path, re_path

from securable.web.api import views as api_views
from securable.web.api.errors import not_found as api_not_found
from securable.web.api.v1 import api
from securable.web.audit import views as audit_views
from securable.web.orgs import views as org_views
from securable.web.products import views as product_views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # the API's error shape for its unknown paths too
    path("", org_views.home, name="home"),
    path("o/<slug:org>/", product_views.product_redirect, name="org"),
    path("o/<slug:org>/products/", product_views.products, name="products"),
    path("o/<slug:org>/products/import", product_views.product_import, name="product_import"),
    path("o/<slug:org>/products/<slug:product>/", product_views.product, name="product"),
    path(
        "o/<slug:org>/products/<slug:product>/securable.yaml", product_views.product_yaml, name="product_yaml"
    ),
    path("o/<slug:org>/members/", org_views.members, name="members"),
    path("o/<slug:org>/members/change", org_views.members_change, name="members_change"),
    path("o/<slug:org>/settings/mfa", org_views.mfa_setting, name="org_mfa"),
    path("o/<slug:org>/audit/", audit_views.audit, name="audit"),
    path("o/<slug:org>/audit.jsonl", audit_views.audit_export, name="audit_export"),
    path("o/<slug:org>/audit-checkpoints.jsonl", audit_views.checkpoints_export, name="audit_checkpoints"),
    path("o/<slug:org>/tokens/", api_views.tokens, name="tokens"),
]
