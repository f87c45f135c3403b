"""URL map: accounts (allauth), organization pages under /o/<org>/, the API under /api/v1/."""

from __future__ import annotations

from django.urls import include, path, re_path

from securable.web.api import views as api_views
from securable.web.api.errors import not_found as api_not_found
from securable.web.api.v1 import api
from securable.web.audit import views as audit_views
from securable.web.operations import views as ops
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
    path("o/<slug:org>/audit/", audit_views.audit, name="audit"),
    path("o/<slug:org>/audit.jsonl", audit_views.audit_export, name="audit_export"),
    path("o/<slug:org>/audit-checkpoints.jsonl", audit_views.checkpoints_export, name="audit_checkpoints"),
    path("o/<slug:org>/tokens/", api_views.tokens, name="tokens"),
    # Agency operations: device register, maintenance, personnel, diagnostic tools.
    path("o/<slug:org>/devices/", ops.devices, name="devices"),
    path("o/<slug:org>/devices/add", ops.device_add, name="device_add"),
    path("o/<slug:org>/devices/import", ops.devices_import, name="devices_import"),
    path("o/<slug:org>/devices.csv", ops.devices_csv, name="devices_csv"),
    path("o/<slug:org>/devices/<str:tag>/", ops.device, name="device"),
    path("o/<slug:org>/devices/<str:tag>/status", ops.device_status, name="device_status"),
    path("o/<slug:org>/maintenance/", ops.maintenance_list, name="maintenance_list"),
    path("o/<slug:org>/maintenance/request", ops.maintenance_request, name="maintenance_request"),
    path("o/<slug:org>/maintenance/<int:number>/", ops.maintenance, name="maintenance"),
    path("o/<slug:org>/maintenance/<int:number>/<slug:step>", ops.maintenance_step, name="maintenance_step"),
    path("o/<slug:org>/personnel/", ops.personnel, name="personnel"),
    path("o/<slug:org>/personnel/add", ops.personnel_add, name="personnel_add"),
    path("o/<slug:org>/personnel/authorize", ops.personnel_grant, name="personnel_grant"),
    path("o/<slug:org>/tools/", ops.tools, name="tools"),
    path("o/<slug:org>/tools/propose", ops.tool_propose, name="tool_propose"),
    path("o/<slug:org>/tools/approve", ops.tool_approve, name="tool_approve"),
    path("o/<slug:org>/policies/", ops.policies, name="policies"),
    path("o/<slug:org>/policies/draft", ops.policy_draft, name="policy_draft"),
    path("o/<slug:org>/policies/approve", ops.policy_approve, name="policy_approve"),
    path("o/<slug:org>/policies/acknowledge", ops.policy_acknowledge, name="policy_acknowledge"),
    re_path(
        r"^o/(?P<org>[-\w]+)/policies/v(?P<number>[0-9]+)\.(?P<fmt>html|docx|oscal\.json)$",
        ops.policy_export,
        name="policy_export",
    ),
]
