"""URL map: accounts (allauth), organization pages under /o/<org>/, the API under /api/v1/."""

from __future__ import annotations

from django.urls import include, path, re_path

from securable.web.agency import urls as agency_urls
from securable.web.api import views as api_views
from securable.web.api.errors import not_found as api_not_found
from securable.web.api.v1 import api
from securable.web.audit import views as audit_views
from securable.web.operations import job_views as ops_jobs
from securable.web.operations import review_views as ops_reviews
from securable.web.operations import vendor_views as vendors
from securable.web.operations import views as ops
from securable.web.orgs import views as org_views
from securable.web.products import assessment_views, diff_views, questionnaire_views, release_views
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
    path(
        "o/<slug:org>/products/<slug:product>/questions/",
        questionnaire_views.questions,
        name="product_questions",
    ),
    path("o/<slug:org>/products/<slug:product>/answer", questionnaire_views.answer, name="product_answer"),
    path("o/<slug:org>/products/<slug:product>/comment", questionnaire_views.comment, name="product_comment"),
    path("o/<slug:org>/products/<slug:product>/assign", questionnaire_views.assign, name="product_assign"),
    path("o/<slug:org>/products/<slug:product>/coverage", assessment_views.coverage, name="product_coverage"),
    path("o/<slug:org>/products/<slug:product>/findings", assessment_views.findings, name="product_findings"),
    path("o/<slug:org>/products/<slug:product>/diff", diff_views.diff, name="product_diff"),
    path("o/<slug:org>/my-questions/", questionnaire_views.my_questions, name="my_questions"),
    path("o/<slug:org>/releases/", release_views.releases, name="releases"),
    path("o/<slug:org>/releases/request", release_views.release_request, name="release_request"),
    path(
        "o/<slug:org>/releases/<str:release>/approve", release_views.release_approve, name="release_approve"
    ),
    path("o/<slug:org>/releases/<str:release>/package.zip", release_views.release_zip, name="release_zip"),
    path("o/<slug:org>/releases/<str:release>/share", release_views.share_create, name="share_create"),
    path("o/<slug:org>/shares/<str:share>/revoke", release_views.share_revoke, name="share_revoke"),
    path("o/<slug:org>/signing-key.pem", release_views.signing_key, name="signing_key"),
    path(
        "o/<slug:org>/signing-keys/<str:fingerprint>.pem",
        release_views.signing_key_by_fingerprint,
        name="signing_key_pem",
    ),
    path("o/<slug:org>/signing-key/rotate", release_views.signing_key_rotate, name="signing_key_rotate"),
    path("share/<str:token>/", release_views.shared_file, name="shared_index"),
    path("share/<str:token>/package.zip", release_views.shared_zip, name="shared_zip"),
    path("share/<str:token>/<path:path>", release_views.shared_file, name="shared_file"),
    path("o/<slug:org>/members/", org_views.members, name="members"),
    path("o/<slug:org>/members/change", org_views.members_change, name="members_change"),
    path("o/<slug:org>/settings/mfa", org_views.mfa_setting, name="org_mfa"),
    path("o/<slug:org>/audit/", audit_views.audit, name="audit"),
    path("o/<slug:org>/audit.jsonl", audit_views.audit_export, name="audit_export"),
    path("o/<slug:org>/audit-checkpoints.jsonl", audit_views.checkpoints_export, name="audit_checkpoints"),
    path("o/<slug:org>/tokens/", api_views.tokens, name="tokens"),
    *agency_urls.urlpatterns,
    # Agency operations: device register, maintenance, personnel, diagnostic tools.
    path("o/<slug:org>/devices/", ops.devices, name="devices"),
    path("o/<slug:org>/devices/add", ops.device_add, name="device_add"),
    path("o/<slug:org>/devices/import", ops.devices_import, name="devices_import"),
    path("o/<slug:org>/devices/bulk-status", ops_jobs.devices_status_bulk, name="devices_status_bulk"),
    path("o/<slug:org>/device-jobs/<int:job>", ops_jobs.device_job, name="device_job"),
    path("o/<slug:org>/devices.csv", ops.devices_csv, name="devices_csv"),
    path("o/<slug:org>/devices.xlsx", ops.devices_xlsx, name="devices_xlsx"),
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
    path("o/<slug:org>/reviews/", ops_reviews.reviews, name="reviews"),
    path("o/<slug:org>/reviews/incident", ops_reviews.incident_record, name="incident_record"),
    path("o/<slug:org>/reviews/advisory", ops_reviews.advisory_upload, name="advisory_upload"),
    path("o/<slug:org>/reviews/<int:number>/", ops_reviews.review, name="review"),
    path("o/<slug:org>/reviews/<int:number>/complete", ops_reviews.review_complete, name="review_complete"),
    path("o/<slug:org>/reports/", ops_reviews.reports, name="reports"),
    re_path(r"^o/(?P<org>[-\w]+)/reports/report\.(?P<fmt>html|pdf|csv)$", ops_reviews.report, name="report"),
    re_path(
        r"^o/(?P<org>[-\w]+)/policies/v(?P<number>[0-9]+)\.(?P<fmt>html|pdf|docx|oscal\.json)$",
        ops.policy_export,
        name="policy_export",
    ),
    # Vendor documentation, devices from vendor packages, requests to manufacturers, oversight.
    path("o/<slug:org>/vault/", vendors.vault_list, name="vault"),
    path("o/<slug:org>/vault/add", vendors.vault_add, name="vault_add"),
    path("o/<slug:org>/vault/<int:pk>/download", vendors.vault_document, name="vault_document"),
    path("o/<slug:org>/vendor-devices/", vendors.device_from_package_form, name="vendor_devices"),
    path("o/<slug:org>/vendor-devices/add", vendors.device_from_package, name="vendor_device_add"),
    path("o/<slug:org>/requests/", vendors.request_list, name="requests"),
    path("o/<slug:org>/requests/draft", vendors.request_draft, name="request_draft"),
    path("o/<slug:org>/requests/new", vendors.request_make, name="request_make"),
    path("o/<slug:org>/requests/<int:number>/", vendors.request_detail, name="request"),
    path("o/<slug:org>/requests/<int:number>/entry", vendors.request_entry, name="request_entry"),
    path("o/<slug:org>/oversight/", vendors.providers, name="oversight"),
    path("o/<slug:org>/oversight/add", vendors.provider_add, name="provider_add"),
    path("o/<slug:org>/oversight/<int:pk>/", vendors.provider, name="provider"),
    path("o/<slug:org>/oversight/<int:pk>/audit", vendors.provider_audit, name="provider_audit"),
]
