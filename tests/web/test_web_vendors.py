"""The vendor documentation vault, devices made from verified vendor packages, requests to
manufacturers drafted from an evaluation, and third-party oversight: through the services and the
pages, with hostile uploads and query budgets. (Their authorization matrix is in
``test_web_operations``.)"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from securable import api
from securable.errors import InputError, NotFoundError
from securable.operations import policy, register
from securable.operations import requests as core_requests
from securable.operations.vault import MAX_DOCUMENT
from securable.web.agency import archive
from securable.web.agency.models import VendorPackage
from securable.web.agency.services import RunEvaluation, UploadPackage, run_evaluation, upload_package
from securable.web.audit.models import AuditEvent
from securable.web.operations import services as s
from securable.web.operations import vendor_services as vs
from securable.web.operations.models import Device
from securable.web.operations.vendor_models import DocumentRequest, Provider, VendorDocument
from securable.web.orgs.models import Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.service import Forbidden

from .agency_world import Packages, approved_set, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import actor
from .test_web_pages import assert_csp_clean
from .vendor_world import QUESTIONS, stored_evaluation, stored_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(owner: Any) -> Organization:
    return create_organization(actor(owner), CreateOrganization("agency", "Agency", "agency"))


def events(org: Organization, prefix: str) -> list[dict[str, Any]]:
    payloads = AuditEvent.objects.for_org(org).order_by("seq").values_list("payload", flat=True)
    return [e for e in map(json.loads, payloads) if e["action"].startswith(prefix)]


def _upload(client: Client, org: Organization, name: str, content: bytes, **extra: str) -> Any:
    data = {"vendor": "Aerolume", "product": "EnviroNode 400", "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("vault_add", kwargs={"org": org.slug}), data | extra)


def _approve_policy(org: Organization, author: Any, approver: Any, roles: tuple[str, ...]) -> None:
    draft = s.draft_policy(actor(author), org, policy.Parameters(org.name, documentation_roles=roles))
    s.approve_policy(actor(approver), org, draft.number)


# -- Vault ------------------------------------------------------------------------------------------


def test_only_the_policys_roles_open_documents_and_every_view_is_logged(
    agency: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    content = b"<html><script>alert(1)</script></html>"
    added = _upload(client_of(owner), agency, "guide.html", content, title="Service guide")
    assert added.status_code == 302
    document = VendorDocument.objects.for_org(agency).get()
    url = reverse("vault_document", kwargs={"org": agency.slug, "pk": document.pk})
    listing = reverse("vault", kwargs={"org": agency.slug})

    reviewer, editor = member_of(agency, "reviewer"), member_of(agency, "editor")
    got = client_of(reviewer).get(url)
    assert got.status_code == 200
    assert got.content == content
    assert got["Content-Type"] == "application/octet-stream"
    assert got["Content-Disposition"].startswith('attachment; filename="guide.html"')
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "Service guide" in client_of(reviewer).get(listing).content.decode()
    (view,) = events(agency, "document.view")
    assert view["after"]["sha256"] == document.sha256
    assert view["object"] == {"type": "vendor-document", "id": str(document.pk)}

    # The editor may add documents but the default policy does not let editors see them.
    assert client_of(editor).get(url).status_code == 403
    assert client_of(editor).get(listing).status_code == 403
    with pytest.raises(Forbidden, match="documentation policy"):
        vs.open_document(actor(editor), agency, document.pk)
    assert len(events(agency, "document.view")) == 1  # a refused view opens nothing and logs nothing

    _approve_policy(agency, owner, reviewer, ("editor",))
    assert client_of(editor).get(url).content == content
    assert client_of(reviewer).get(url).status_code == 403
    assert client_of(owner).get(url).status_code == 403  # the policy binds owners too
    assert len(events(agency, "document.view")) == 2

    outsider_founder = member_of(
        create_organization(actor(owner), CreateOrganization("other", "Other", "agency")), "reviewer"
    )
    assert client_of(outsider_founder).get(url).status_code == 404


def test_an_api_token_is_held_to_the_policy_by_its_own_role_too(
    agency: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    document = vs.add_document(actor(owner), agency, vs.AddDocument("V", "P", "", "manual.txt", b"read me"))
    capped = actor(owner)
    capped = type(capped)(capped.user, "token:abc", token_role="editor", token_org=agency.pk)
    with pytest.raises(Forbidden):
        vs.open_document(capped, agency, document.pk)
    with pytest.raises(NotFoundError):
        vs.open_document(actor(owner), agency, document.pk + 1000)


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd",
        "C:\\Windows\\evil.exe",
        'a"; filename=other.exe',
        "report\r\nX-Injected: 1.pdf",
        "\u202efdp.exe",
        "x" * 600,
        "",
    ],
)
def test_hostile_names_are_stored_plain_and_served_as_downloads(
    agency: Organization, owner: Any, client_of: Callable[[Any], Client], name: str
) -> None:
    client = client_of(owner)
    # Django itself drops the path of an uploaded name; the service is checked with the raw name too.
    vs.add_document(actor(owner), agency, vs.AddDocument("V", "P", "", name, b"data"))
    for document in VendorDocument.objects.for_org(agency):
        assert not set(document.filename) & set('/\\"\r\n')
        assert 0 < len(document.filename) <= 120
        got = client.get(reverse("vault_document", kwargs={"org": agency.slug, "pk": document.pk}))
        header = got["Content-Disposition"]
        assert header.startswith("attachment; ")
        assert "\n" not in header
        assert header.count('"') == 2
        assert "X-Injected" not in got.headers


def test_oversize_empty_and_missing_uploads_store_nothing(
    agency: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)
    big = _upload(client, agency, "big.bin", b"\0" * (MAX_DOCUMENT + 1))
    assert big.status_code == 400
    empty = _upload(client, agency, "empty.pdf", b"")
    assert empty.status_code == 400
    missing = client.post(reverse("vault_add", kwargs={"org": agency.slug}), {"vendor": "V", "product": "P"})
    assert missing.status_code == 400
    no_vendor = _upload(client, agency, "a.pdf", b"x", vendor="  ")
    assert no_vendor.status_code == 400
    assert not VendorDocument.objects.for_org(agency).exists()
    assert not events(agency, "document.")


def test_the_vault_lists_by_product_and_pages(
    agency: Organization, owner: Any, client_of: Callable[[Any], Client], django_assert_max_num_queries: Any
) -> None:
    a = actor(owner)
    for i in range(60):
        product = "Cam" if i % 2 else "Sensor"
        vs.add_document(a, agency, vs.AddDocument("V", product, f"doc-{i:02}", f"d{i}.pdf", b"x"))
    client = client_of(owner)
    url = reverse("vault", kwargs={"org": agency.slug})
    with django_assert_max_num_queries(12):
        first = client.get(url)
    html = first.content.decode()
    assert_csp_clean(html)
    assert ">doc-59<" in html
    assert ">doc-10<" in html
    assert ">doc-09<" not in html
    cursor = html.split('href="?cursor=')[1].split('"')[0]
    second = client.get(url + "?cursor=" + cursor).content.decode()
    assert ">doc-09<" in second
    assert ">doc-10<" not in second
    cams = client.get(url + "?product=Cam").content.decode()
    assert ">doc-59<" in cams
    assert ">doc-58<" not in cams


# -- Devices from verified packages --------------------------------------------------------------


def test_a_device_from_a_verified_package_takes_the_packages_product_facts(
    agency: Organization, owner: Any, client_of: Callable[[Any], Client], packages: Packages
) -> None:
    package = upload_package(
        actor(owner),
        agency,
        UploadPackage("Aerolume", packages.sensor, packages.public_key, "aerolume.zip"),
    )
    assert package.status == VendorPackage.Status.VERIFIED
    with tempfile.TemporaryDirectory() as tmp:
        expected = api.package_product(archive.unpack(packages.sensor, Path(tmp)))
    assert expected.name
    assert expected.manufacturer
    assert expected.support_end
    client = client_of(owner)
    form = client.get(reverse("vendor_devices", kwargs={"org": agency.slug})).content.decode()
    assert "Aerolume" in form
    assert_csp_clean(form)
    made = client.post(
        reverse("vendor_device_add", kwargs={"org": agency.slug}),
        {"package": package.pk, "asset_tag": "ENV-1", "serial": "SN-9", "device_type": "sensor"},
    )
    assert made.status_code == 302
    device = Device.objects.for_org(agency).get(asset_tag="ENV-1")
    assert (device.vendor, device.product, device.version) == (
        expected.manufacturer,
        expected.name,
        expected.version,
    )
    assert (device.support_end, device.end_of_life) == (expected.support_end, expected.end_of_life)
    (event,) = events(agency, "device.add")
    assert package.sha256 in event["why"]
    # The register's warnings now come from the package's dates.
    assert expected.support_end is not None
    near = register.warnings(device.row(), expected.support_end - timedelta(days=5))
    assert any("support" in w for w in near)


def test_only_verified_packages_with_a_product_description_make_devices(
    agency: Organization, owner: Any, packages: Packages
) -> None:
    failed = stored_package(agency, owner, packages.tampered, packages.public_key)
    failed.status = VendorPackage.Status.FAILED
    failed.save(update_fields=["status"])
    command = vs.DeviceFromPackage(failed.pk, "T-1", "S", "sensor")
    with pytest.raises(NotFoundError):
        vs.device_from_package(actor(owner), agency, command)
    # A package zip without machine/product.json: refused, not guessed.
    stripped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(packages.sensor)) as src, zipfile.ZipFile(stripped, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("machine/product.json"):
                dst.writestr(info, src.read(info))
    bare = stored_package(agency, owner, stripped.getvalue(), packages.public_key)
    with pytest.raises(InputError, match="no product description"):
        vs.device_from_package(actor(owner), agency, vs.DeviceFromPackage(bare.pk, "T-2", "S", "sensor"))
    assert not Device.objects.for_org(agency).exists()


# -- Requests to manufacturers ----------------------------------------------------------------------


def test_a_request_drafted_from_a_real_evaluation_then_followed_up_answered_and_closed(
    agency: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    packages: Packages,
) -> None:
    version = approved_set(agency, owner, member_of(agency, "reviewer"))
    a = upload_package(
        actor(owner), agency, UploadPackage("aerolume", packages.sensor, packages.public_key, "a.zip")
    )
    b = upload_package(
        actor(owner), agency, UploadPackage("northwind", packages.vendor_b, packages.public_key, "b.zip")
    )
    evaluation = run_evaluation(
        actor(owner), agency, RunEvaluation(version.requirement_set.slug, version.number, (a.pk, b.pk))
    )
    asked_of = core_requests.vendors(evaluation.result)
    assert asked_of, "the example evaluation finds questions to send"
    vendor = asked_of[0]
    mine = [q["text"] for q in evaluation.result["questions"] if q["vendor"] == vendor]
    others = [q["text"] for q in evaluation.result["questions"] if q["vendor"] != vendor]

    client = client_of(owner)
    listing = client.get(reverse("requests", kwargs={"org": agency.slug})).content.decode()
    assert f"?evaluation={evaluation.pk}&amp;vendor={quote(vendor)}" in listing
    page = client.get(
        reverse("request_draft", kwargs={"org": agency.slug}), {"evaluation": evaluation.pk, "vendor": vendor}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert_csp_clean(html)
    draft = vs.draft_request(agency, evaluation.pk, vendor)
    for text in mine:
        assert " ".join(text.split()) in draft.asked
    assert not any(" ".join(t.split()) in draft.asked for t in others if t not in mine)

    made = client.post(
        reverse("request_make", kwargs={"org": agency.slug}),
        {
            "vendor": draft.vendor,
            "kind": "documentation",
            "subject": draft.subject,
            "asked": draft.asked,
            "asked_on": "2026-12-01",
            "evaluation": str(evaluation.pk),
        },
    )
    assert made.status_code == 302
    row = DocumentRequest.objects.for_org(agency).get()
    assert (row.status, row.evaluation_id, row.asked_on) == ("open", evaluation.pk, date(2026, 12, 1))
    entry = reverse("request_entry", kwargs={"org": agency.slug, "number": row.number})
    for event, text, status in (
        ("follow-up", "reminded them by phone", "open"),
        ("answer", "sent the maintenance guide, no parts list", "answered"),
        ("follow-up", "asked for the parts list", "answered"),
        ("close", "parts list received", "closed"),
    ):
        assert client.post(entry, {"event": event, "text": text, "on": "2026-12-02"}).status_code == 302
        row.refresh_from_db()
        assert row.status == status
    refused = client.post(entry, {"event": "follow-up", "text": "again"})
    assert refused.status_code == 400
    detail = client.get(
        reverse("request", kwargs={"org": agency.slug, "number": row.number})
    ).content.decode()
    assert "parts list received" in detail
    assert "FPN-SEED-18.A2" in detail
    assert_csp_clean(detail)
    actions = [e["action"] for e in events(agency, "request.")]
    assert actions == [
        "request.make",
        "request.follow-up",
        "request.answer",
        "request.follow-up",
        "request.close",
    ]


def test_a_draft_needs_questions_for_that_vendor(agency: Organization, owner: Any) -> None:
    evaluation = stored_evaluation(agency, owner, QUESTIONS)
    with pytest.raises(InputError, match="no questions"):
        vs.draft_request(agency, evaluation.pk, "Nobody")
    with pytest.raises(NotFoundError):
        vs.draft_request(agency, evaluation.pk + 100, "Aerolume")
    with pytest.raises(InputError):
        vs.make_request(actor(owner), agency, vs.NewRequest("V", "", "bribe", "s", "asked", date.today()))


# -- Third-party oversight ------------------------------------------------------------------------


def test_overdue_audits_are_shown_until_an_audit_is_recorded(
    agency: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)
    since = date.today() - timedelta(days=400)
    added = client.post(
        reverse("provider_add", kwargs={"org": agency.slug}),
        {
            "name": "FixIt Ltd",
            "kind": "contractor",
            "services": "repairs",
            "obligations": "Wipe data before any offsite repair",
            "audit_months": "12",
            "since": since.isoformat(),
        },
    )
    assert added.status_code == 302
    provider = Provider.objects.for_org(agency).get()
    listing = reverse("oversight", kwargs={"org": agency.slug})
    html = client.get(listing).content.decode()
    assert "overdue by" in html
    assert "1 provider with an overdue audit" in html
    assert_csp_clean(html)
    audit = reverse("provider_audit", kwargs={"org": agency.slug, "pk": provider.pk})
    no_findings = client.post(audit, {"done": date.today().isoformat(), "outcome": "findings"})
    assert no_findings.status_code == 400
    future = (date.today() + timedelta(days=3)).isoformat()
    assert client.post(audit, {"done": future, "outcome": "satisfactory"}).status_code == 400
    done = client.post(
        audit,
        {"done": date.today().isoformat(), "outcome": "findings", "findings": "no wipe log for 2 units"},
    )
    assert done.status_code == 302
    assert "overdue by" not in client.get(listing).content.decode()
    detail = client.get(reverse("provider", kwargs={"org": agency.slug, "pk": provider.pk})).content.decode()
    assert "no wipe log for 2 units" in detail
    assert "FPN-SEED-23.A1" in detail
    # An older audit recorded later does not move the next due date back.
    older = (date.today() - timedelta(days=30)).isoformat()
    assert client.post(audit, {"done": older, "outcome": "satisfactory"}).status_code == 302
    provider.refresh_from_db()
    assert provider.last_audit == date.today()
    assert [e["action"] for e in events(agency, "provider.")] == [
        "provider.add",
        "provider.audit",
        "provider.audit",
    ]


def test_vendor_pages_stay_within_a_query_budget(
    agency: Organization,
    owner: Any,
    client_of: Callable[[Any], Client],
    packages: Packages,
    django_assert_max_num_queries: Any,
) -> None:
    a = actor(owner)
    stored_package(agency, owner, packages.sensor, packages.public_key)
    stored_evaluation(agency, owner, QUESTIONS)
    for i in range(70):
        request = vs.make_request(
            a, agency, vs.NewRequest(f"V{i}", "", "parts", f"s{i}", "asked", date.today())
        )
        provider = vs.add_provider(
            a, agency, vs.NewProvider(f"P{i:02}", "contractor", "", "o", 12, date.today())
        )
    for i in range(30):
        vs.record_entry(a, agency, request.number, event="follow-up", text=f"t{i}", on=date.today())
        vs.record_audit(a, agency, provider.pk, done=date.today(), outcome="satisfactory", findings="")
    client = client_of(owner)
    pages = [
        reverse("requests", kwargs={"org": agency.slug}),
        reverse("request", kwargs={"org": agency.slug, "number": request.number}),
        reverse("oversight", kwargs={"org": agency.slug}),
        reverse("provider", kwargs={"org": agency.slug, "pk": provider.pk}),
        reverse("vendor_devices", kwargs={"org": agency.slug}),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            page = client.get(url)
        assert page.status_code == 200, url
        assert_csp_clean(page.content.decode())
    first = client.get(pages[0]).content.decode()
    assert ">R-70<" in first
    assert ">R-20<" not in first
    cursor = first.split('href="?cursor=')[1].split('"')[0]
    assert ">R-20<" in client.get(pages[0] + "?cursor=" + cursor).content.decode()
    listing = client.get(pages[2]).content.decode()
    assert ">P00<" in listing
    assert ">P69<" not in listing
