"""Agency operations in the workspace: the authorization matrix of its pages (generated from the role
table), the device register's import and export, maintenance from request to close with its alerts,
offsite repair, personnel and tools, the audit events, and query budgets."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from securable.errors import InputError
from securable.operations import maintenance as m
from securable.operations import policy, register
from securable.operations.register import DeviceRow
from securable.web.audit.models import AuditEvent
from securable.web.operations import job_services as js
from securable.web.operations import services as s
from securable.web.operations.job_models import DeviceJob
from securable.web.operations.models import (
    Alert,
    Device,
    FinalRecord,
    Maintenance,
    PolicyVersion,
    Technician,
    Tool,
)
from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES, allows
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.service import Conflict, Forbidden

from .agency_world import Packages, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import actor
from .test_web_pages import assert_csp_clean
from .vendor_world import vendor_stock

pytestmark = pytest.mark.django_db

HEADER = (
    "asset_tag,serial,location,system,owner,status,device_type,vendor,product,version,support_end,end_of_life"
)
NEXT_YEAR = date.today() + timedelta(days=365)


def stock(org: Organization, founder: Any, approver: Any = None) -> dict[str, int]:
    """A device, an authorized technician, a proposed tool and a maintenance request, made by the
    organization's founder through the services; with ``approver``, also an approved policy version
    and a draft."""
    a = actor(founder)
    s.add_device(a, org, DeviceRow("CAM-1", "SN1", device_type="camera", support_end=NEXT_YEAR))
    tech = s.add_technician(a, org, "Alice", "Agency", "staff")
    s.grant(a, org, tech.pk, expires=NEXT_YEAR, unescorted=True, device_types="")
    proposed = s.propose_tool(a, org, "vendor-diag 2.1", "diagnostics")
    row = s.request_maintenance(
        a, org, s.RequestMaintenance("CAM-1", "local", "staff", "lens fogged", tech.pk)
    )
    made = {"technician": tech.pk, "tool": proposed.pk, "number": row.number}
    if approver is not None:
        first = s.draft_policy(a, org, policy.Parameters(org.name))
        s.approve_policy(actor(approver), org, first.number)
        made |= {
            "approved": first.number,
            "draft": s.draft_policy(a, org, policy.Parameters(org.name)).number,
        }
    return made


@dataclass(frozen=True)
class Endpoint:
    name: str
    permission: str
    method: str
    path: str  # {org} filled in

    def data(self, ctx: dict[str, int], role: str) -> dict[str, Any]:
        match self.name:
            case "device add":
                return {"asset_tag": f"NEW-{role}", "serial": "S", "device_type": "camera"}
            case "devices import":
                content = f"{HEADER}\nIMP-{role},S,,,,,camera,,,,,\n".encode()
                return {"file": SimpleUploadedFile("d.csv", content), "apply": "1"}
            case "device status":
                return {"status": "offsite"}
            case "devices status bulk":
                return {"asset_tags": ["CAM-1"], "status": "in service"}
            case "maintenance request":
                return {
                    "asset_tag": "CAM-1",
                    "where": "local",
                    "by": "staff",
                    "reason": "r",
                    "technician": ctx["technician"],
                }
            case "maintenance approve":
                return {"note": "ok"}
            case "personnel add":
                return {"name": "Bob", "company": "Acme", "kind": "contractor"}
            case "personnel authorize":
                return {"technician": ctx["technician"], "expires": NEXT_YEAR.isoformat(), "unescorted": "1"}
            case "tool propose":
                return {"name": f"tool-{role}"}
            case "tool approve":
                return {"tool": ctx["tool"]}
            case "policy draft":
                return {
                    "agency": "Agency",
                    "removal_days": "3",
                    "review_months": "12",
                    "approver_role": "reviewer",
                    "documentation_roles": ["owner"],
                }
            case "policy approve":
                return {"number": ctx["draft"]}
            case "policy acknowledge":
                return {"number": ctx["approved"]}
            case "vault add":
                return {"vendor": "V", "product": "P", "file": SimpleUploadedFile("m.pdf", b"%PDF")}
            case "vendor device add":
                return {
                    "package": ctx["package"],
                    "asset_tag": f"PKG-{role}",
                    "serial": "S",
                    "device_type": "sensor",
                }
            case "request make":
                return {"vendor": "V", "subject": "manual", "asked": "the service manual"}
            case "request entry":
                return {"event": "follow-up", "text": "asked again"}
            case "provider add":
                return {"name": f"P-{role}", "kind": "contractor", "obligations": "o", "audit_months": "6"}
            case "provider audit":
                return {"done": date.today().isoformat(), "outcome": "satisfactory"}
        return {}


ENDPOINTS = (
    Endpoint("devices", "device.view", "get", "/o/{org}/devices/"),
    Endpoint("devices csv", "device.view", "get", "/o/{org}/devices.csv"),
    Endpoint("devices xlsx", "device.view", "get", "/o/{org}/devices.xlsx"),
    Endpoint("device", "device.view", "get", "/o/{org}/devices/CAM-1/"),
    Endpoint("device add", "device.manage", "post", "/o/{org}/devices/add"),
    Endpoint("devices import", "device.manage", "post", "/o/{org}/devices/import"),
    Endpoint("device status", "device.manage", "post", "/o/{org}/devices/CAM-1/status"),
    Endpoint("devices status bulk", "device.manage", "post", "/o/{org}/devices/bulk-status"),
    Endpoint("device job", "device.view", "get", "/o/{org}/device-jobs/{job}"),
    Endpoint("maintenance list", "device.view", "get", "/o/{org}/maintenance/"),
    Endpoint("maintenance", "device.view", "get", "/o/{org}/maintenance/1/"),
    Endpoint("maintenance request", "maintenance.request", "post", "/o/{org}/maintenance/request"),
    Endpoint("maintenance approve", "maintenance.approve", "post", "/o/{org}/maintenance/1/approve"),
    Endpoint("personnel", "device.view", "get", "/o/{org}/personnel/"),
    Endpoint("personnel add", "personnel.manage", "post", "/o/{org}/personnel/add"),
    Endpoint("personnel authorize", "personnel.manage", "post", "/o/{org}/personnel/authorize"),
    Endpoint("tools", "device.view", "get", "/o/{org}/tools/"),
    Endpoint("tool propose", "maintenance.perform", "post", "/o/{org}/tools/propose"),
    Endpoint("tool approve", "tools.approve", "post", "/o/{org}/tools/approve"),
    Endpoint("policies", "device.view", "get", "/o/{org}/policies/"),
    Endpoint("policy draft", "policy.edit", "post", "/o/{org}/policies/draft"),
    Endpoint("policy approve", "policy.approve", "post", "/o/{org}/policies/approve"),
    Endpoint("policy acknowledge", "device.view", "post", "/o/{org}/policies/acknowledge"),
    Endpoint("policy export", "device.view", "get", "/o/{org}/policies/v1.oscal.json"),
    Endpoint("vault", "docs.view", "get", "/o/{org}/vault/"),
    Endpoint("vault add", "docs.manage", "post", "/o/{org}/vault/add"),
    Endpoint("vault document", "docs.view", "get", "/o/{org}/vault/{document}/download"),
    Endpoint("vendor devices", "device.manage", "get", "/o/{org}/vendor-devices/"),
    Endpoint("vendor device add", "device.manage", "post", "/o/{org}/vendor-devices/add"),
    Endpoint("requests", "device.view", "get", "/o/{org}/requests/"),
    Endpoint(
        "request draft",
        "docs.manage",
        "get",
        "/o/{org}/requests/draft?evaluation={evaluation}&vendor=Aerolume",
    ),
    Endpoint("request make", "docs.manage", "post", "/o/{org}/requests/new"),
    Endpoint("request", "device.view", "get", "/o/{org}/requests/{request}/"),
    Endpoint("request entry", "docs.manage", "post", "/o/{org}/requests/{request}/entry"),
    Endpoint("oversight", "device.view", "get", "/o/{org}/oversight/"),
    Endpoint("provider add", "oversight.manage", "post", "/o/{org}/oversight/add"),
    Endpoint("provider", "device.view", "get", "/o/{org}/oversight/{provider}/"),
    Endpoint("provider audit", "oversight.manage", "post", "/o/{org}/oversight/{provider}/audit"),
)
# Vendor documentation opens only for the roles the approved policy names (stock's: the defaults).
DOCUMENT_ROLES = policy.Parameters("agency").documentation_roles
URL_NAMES = {
    "devices",
    "devices_csv",
    "devices_xlsx",
    "device",
    "device_add",
    "devices_import",
    "device_status",
    "devices_status_bulk",
    "device_job",
    "maintenance_list",
    "maintenance",
    "maintenance_request",
    "maintenance_step",
    "personnel",
    "personnel_add",
    "personnel_grant",
    "tools",
    "tool_propose",
    "tool_approve",
    "policies",
    "policy_draft",
    "policy_approve",
    "policy_acknowledge",
    "policy_export",
    "vault",
    "vault_add",
    "vault_document",
    "vendor_devices",
    "vendor_device_add",
    "requests",
    "request_draft",
    "request_make",
    "request",
    "request_entry",
    "oversight",
    "provider_add",
    "provider",
    "provider_audit",
}


def test_every_operations_url_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    names = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    assert names >= URL_NAMES
    assert len(ENDPOINTS) == len(URL_NAMES)  # one endpoint per page (the step page through "approve")


@pytest.fixture
def world(
    org: Organization,
    owner: Any,
    make_user: Callable[[str], Any],
    member_of: Callable[[Organization, str], Any],
    packages: Packages,
) -> tuple[Organization, Organization, dict[str, int]]:
    ctx = stock(org, owner, member_of(org, "reviewer"))
    ctx |= vendor_stock(org, owner, packages.sensor, packages.public_key)
    ctx["job"] = js.queue_status(actor(owner), org, ["CAM-1"], "in service").pk
    ctx["job"] = js.queue_status(actor(owner), org, ["CAM-1"], "in service").pk
    founder = make_user("founder@foreign.example")
    foreign = create_organization(actor(founder), CreateOrganization("foreign", "Foreign", "agency"))
    stock(foreign, founder, member_of(foreign, "reviewer"))
    vendor_stock(foreign, founder, packages.sensor, packages.public_key)
    return org, foreign, ctx


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("role", list(ROLES))
def test_matrix(
    *,
    world: tuple[Organization, Organization, dict[str, int]],
    member_of: Callable[[Organization, str], Any],
    role: str,
    endpoint: Endpoint,
) -> None:
    ours, foreign, ctx = world
    who = member_of(ours, role)
    client = Client()
    client.force_login(who)

    def go(org: Organization) -> Any:
        path = endpoint.path.format(org=org.slug, **ctx)
        return client.post(path, endpoint.data(ctx, role)) if endpoint.method == "post" else client.get(path)

    own = go(ours)
    if allows(role, endpoint.permission) and (endpoint.permission != "docs.view" or role in DOCUMENT_ROLES):
        assert own.status_code in (200, 302), (role, endpoint.name, own.status_code, own.content[:300])
    else:
        assert own.status_code == 403, (role, endpoint.name, own.status_code)
    away = go(foreign)
    assert away.status_code == 404, (role, endpoint.name, away.status_code)
    assert b"Foreign" not in away.content


def events(org: Organization) -> list[dict[str, Any]]:
    return [
        json.loads(p)
        for p in AuditEvent.objects.for_org(org).order_by("seq").values_list("payload", flat=True)
    ]


def test_import_dry_run_then_apply(
    org: Organization,
    owner: Any,
    client_of: Callable[[Any], Client],
) -> None:
    client = client_of(owner)
    url = reverse("devices_import", kwargs={"org": org.slug})
    good = f"{HEADER}\nA-1,S1,Lab,,,,camera,,,,2030-01-01,\nA-2,S2,,,,,thermostat,,,,,\n".encode()
    dry = client.post(url, {"file": SimpleUploadedFile("d.csv", good)})
    assert dry.status_code == 200
    assert "Dry run: all 2 rows are fine" in dry.content.decode()
    assert not Device.objects.for_org(org).exists()
    done = client.post(url, {"file": SimpleUploadedFile("d.csv", good), "apply": "1", "why": "inventory"})
    assert done.status_code == 302  # to the job's page
    job = DeviceJob.objects.for_org(org).get()
    assert done["Location"] == reverse("device_job", kwargs={"org": org.slug, "job": job.pk})
    waiting = client.get(done["Location"]).content.decode()
    assert '<strong class="job-queued">queued</strong>' in waiting
    assert 'hx-trigger="every 2s"' in waiting  # htmx polls; the link works without JavaScript
    assert f'href="{done["Location"]}">Refresh</a>' in waiting
    assert_csp_clean(waiting)
    assert not Device.objects.for_org(org).exists()
    # Run here as the inline path or a worker would (test_device_jobs_on_the_queue_path runs both).
    js.run_device_job(job.pk)
    page = client.get(done["Location"]).content.decode()
    assert '<strong class="job-done">done</strong>' in page
    assert "2 of 2 devices added" in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert_csp_clean(page)
    assert set(Device.objects.for_org(org).values_list("asset_tag", flat=True)) == {"A-1", "A-2"}
    (event,) = [e for e in events(org) if e["action"] == "device.import"]
    assert event["after"]["devices"] == 2
    assert event["why"] == "inventory"
    again = client.post(url, {"file": SimpleUploadedFile("d.csv", good), "apply": "1"})
    js.run_device_job(int(again["Location"].rsplit("/", 1)[1]))
    html = client.get(again["Location"]).content.decode()
    assert "job-failed" in html
    assert "already in the register" in html
    assert "nothing was stored" in html
    assert Device.objects.for_org(org).count() == 2
    assert_csp_clean(html)


def test_import_reports_each_bad_row(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    bad = f"{HEADER}\nA-1,,,,,lost,camera,,,,31/12/2030,\n".encode()
    page = client_of(owner).post(
        reverse("devices_import", kwargs={"org": org.slug}),
        {"file": SimpleUploadedFile("d.csv", bad)},
    )
    assert page.status_code == 400
    html = page.content.decode()
    for text in ("serial", "unknown status", "write it as YYYY-MM-DD", "nothing was stored"):
        assert text in html
    assert not Device.objects.for_org(org).exists()


def test_export_is_csv_with_formulas_defused(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    s.add_device(actor(owner), org, DeviceRow("=1+1", "SN", location="Room, 2", device_type="camera"))
    body = client_of(owner).get(reverse("devices_csv", kwargs={"org": org.slug})).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "asset_tag"
    assert rows[1][0] == "'=1+1"
    assert rows[1][2] == "Room, 2"


def test_xlsx_export_holds_the_csv_cells_and_imports_back(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    s.add_device(actor(owner), org, DeviceRow("=1+1", "SN", location="Room, 2", device_type="camera"))
    s.add_device(
        actor(owner), org, DeviceRow("CAM-2", "SN2", device_type="camera", support_end=date(2031, 8, 31))
    )
    client = client_of(owner)
    xlsx = client.get(reverse("devices_xlsx", kwargs={"org": org.slug}))
    assert xlsx["Content-Disposition"].endswith('-devices.xlsx"')
    body = client.get(reverse("devices_csv", kwargs={"org": org.slug})).content.decode()
    assert register.read_table(xlsx.content, "d.xlsx") == list(csv.reader(io.StringIO(body)))
    rows, errors = register.check_rows(register.read_table(xlsx.content, "d.xlsx"))
    assert not errors
    assert {r.asset_tag for r in rows} == {"'=1+1", "CAM-2"}  # the formula stays text
    assert next(r for r in rows if r.asset_tag == "CAM-2").support_end == date(2031, 8, 31)


def test_register_warns_ahead_of_support_end(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    soon = timezone.now().date() + timedelta(days=10)
    s.add_device(actor(owner), org, DeviceRow("OLD-1", "SN", device_type="camera", end_of_life=soon))
    html = client_of(owner).get(reverse("devices", kwargs={"org": org.slug})).content.decode()
    assert f"end of life {soon.isoformat()} (in 10 days)" in html
    assert_csp_clean(html)


def _perform(a: Any, org: Organization, number: int, tech: int, tools: tuple[str, ...] = ()) -> Maintenance:
    work = s.Perform(tech, None, timezone.now() - timedelta(minutes=5), "cleaned the lens", tools)
    return s.step(a, org, number, work)


def test_maintenance_from_request_to_close_with_a_failed_check(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    ctx = stock(org, owner)
    editor, reviewer = actor(member_of(org, "editor")), actor(member_of(org, "reviewer"))
    number, tech = ctx["number"], ctx["technician"]
    with pytest.raises(m.Refused, match="separation of duties"):
        s.step(actor(owner), org, number, s.Approve())
    s.step(reviewer, org, number, s.Approve("fine"))
    with pytest.raises(m.Refused, match="not on the approved"):
        _perform(editor, org, number, tech, ("vendor-diag 2.1",))
    with pytest.raises(m.Refused, match="separation of duties"):
        s.approve_tool(actor(owner), org, ctx["tool"])
    s.approve_tool(reviewer, org, ctx["tool"])
    _perform(editor, org, number, tech, ("vendor-diag 2.1",))
    device = Device.objects.for_org(org).get(asset_tag="CAM-1")
    assert device.status == "under maintenance"

    failing = dict.fromkeys(s.POLICY.checklist, True) | {s.POLICY.checklist[1]: False}
    s.step(reviewer, org, number, s.Verify(failing, "config drift"))
    device.refresh_from_db()
    assert device.status == "restricted"
    (alert,) = Alert.objects.for_org(org).filter(resolved=None)
    assert s.POLICY.checklist[1] in alert.message
    with pytest.raises(Conflict, match="stays restricted"):
        s.set_status(actor(owner), org, "CAM-1", "in service")
    page = client_of(owner).get(reverse("maintenance_list", kwargs={"org": org.slug})).content.decode()
    assert "verification failed" in page

    _perform(editor, org, number, tech)
    s.step(reviewer, org, number, s.Verify(dict.fromkeys(s.POLICY.checklist, True)))
    device.refresh_from_db()
    assert device.status == "in service"
    assert not Alert.objects.for_org(org).filter(resolved=None).exists()
    row = s.step(reviewer, org, number, s.Close())
    assert row.state == "closed"

    # Closed is final: the model refuses a change, and a correction is a new linked record.
    row.data = row.data.replace("cleaned", "replaced")
    with pytest.raises(FinalRecord):
        row.save()
    with pytest.raises(m.Refused, match="cannot change"):
        s.step(reviewer, org, number, s.Close())
    fix = s.request_maintenance(
        editor,
        org,
        s.RequestMaintenance("CAM-1", "local", "staff", "the lens was replaced, not cleaned", tech, number),
    )
    assert fix.corrects is not None
    assert fix.corrects.number == number
    assert fix.record().corrects == f"M-{number}"

    actions = [e["action"] for e in events(org) if e["object"]["type"] == "maintenance"]
    assert actions == [
        "maintenance.request",
        "maintenance.approve",
        "maintenance.perform",
        "maintenance.verify",
        "maintenance.perform",
        "maintenance.verify",
        "maintenance.close",
        "maintenance.request",
    ]
    detail = (
        client_of(owner)
        .get(reverse("maintenance", kwargs={"org": org.slug, "number": number}))
        .content.decode()
    )
    for text in ("FPN-SEED-1.A1", "FPN-SEED-22.A2", "FPN-SEED-7.A1", "Corrected by", "config drift"):
        assert text in detail
    assert_csp_clean(detail)


def test_offsite_repair_needs_a_fresh_data_removal_attestation(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    ctx = stock(org, owner)
    reviewer = member_of(org, "reviewer")
    row = s.request_maintenance(
        actor(owner),
        org,
        s.RequestMaintenance("CAM-1", "offsite", "manufacturer", "sensor dead", ctx["technician"]),
    )
    s.step(actor(reviewer), org, row.number, s.Approve())
    client = client_of(owner)

    def step(name: str, data: dict[str, Any]) -> Any:
        path = reverse("maintenance_step", kwargs={"org": org.slug, "number": row.number, "step": name})
        return client.post(path, data)

    refused = step("ship", {})
    assert refused.status_code == 400
    assert "without a data-removal attestation" in refused.content.decode()
    stale = (timezone.localtime() - timedelta(days=s.POLICY.removal_days + 1)).strftime("%Y-%m-%dT%H:%M")
    evidence = b"wipe log: 3 passes, verified"
    attest = {
        "method": "vendor wipe",
        "by": "Alice",
        "when": stale,
        "evidence": SimpleUploadedFile("wipe.log", evidence),
    }
    assert step("attest", attest).status_code == 302
    too_old = step("ship", {})
    assert too_old.status_code == 400
    assert f"the policy allows {s.POLICY.removal_days}" in too_old.content.decode()
    fresh = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    attest = {
        "method": "vendor wipe",
        "by": "Alice",
        "when": fresh,
        "evidence": SimpleUploadedFile("wipe.log", evidence),
    }
    assert step("attest", attest).status_code == 302
    assert step("ship", {}).status_code == 302
    assert Device.objects.for_org(org).get(asset_tag="CAM-1").status == "offsite"
    assert step("receive", {}).status_code == 302
    record = Maintenance.objects.for_org(org).get(number=row.number).record()
    assert record.state is m.State.RETURNED
    assert record.attestation is not None
    assert record.attestation.evidence_sha256 == hashlib.sha256(evidence).hexdigest()
    html = client.get(reverse("maintenance", kwargs={"org": org.slug, "number": row.number})).content.decode()
    assert "FPN-SEED-2.A1" in html
    assert "wipe.log" in html


def test_a_request_for_a_lapsed_authorization_is_refused_with_the_reason(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    stock(org, owner)
    lapsed = s.add_technician(actor(owner), org, "Carol", "Acme", "contractor")
    day = timezone.now().date() - timedelta(days=3)
    s.grant(actor(owner), org, lapsed.pk, expires=day, unescorted=True, device_types="camera")
    page = client_of(owner).post(
        reverse("maintenance_request", kwargs={"org": org.slug}),
        {"asset_tag": "CAM-1", "where": "local", "by": "contractor", "reason": "r", "technician": lapsed.pk},
    )
    assert page.status_code == 400
    assert f"Carol&#x27;s authorization for camera lapsed on {day.isoformat()}" in page.content.decode()


def test_services_check_permissions_and_inputs(
    org: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    ctx = stock(org, owner)
    auditor = actor(member_of(org, "auditor"))
    with pytest.raises(Forbidden):
        s.add_device(auditor, org, DeviceRow("X", "S", device_type="camera"))
    with pytest.raises(Forbidden):
        s.step(auditor, org, ctx["number"], s.Approve())
    with pytest.raises(InputError, match="empty"):
        s.add_device(actor(owner), org, DeviceRow("X", "", device_type="camera"))
    with pytest.raises(Conflict, match="already"):
        s.add_device(actor(owner), org, DeviceRow("CAM-1", "S", device_type="camera"))
    with pytest.raises(InputError, match="unknown kind"):
        s.add_technician(actor(owner), org, "Z", "Y", "pirate")
    assert Technician.objects.for_org(org).count() == 1
    assert Tool.objects.for_org(org).filter(approved=None).count() == 1


def test_pages_stay_within_a_query_budget(
    org: Organization, owner: Any, client_of: Callable[[Any], Client], django_assert_max_num_queries: Any
) -> None:
    ctx = stock(org, owner)
    device = Device.objects.for_org(org).get(asset_tag="CAM-1")
    # A finished status change with an error per device: the job page shows them all.
    ctx["job"] = js.queue_status(actor(owner), org, [f"GONE-{i}" for i in range(300)], "retired").pk
    js.run_device_job(ctx["job"])
    Device.objects.for_org(org).bulk_create(
        [
            Device(organization=org, asset_tag=f"D-{i:03}", serial="S", device_type="camera")
            for i in range(120)
        ]
    )
    template = Maintenance.objects.for_org(org).get(number=ctx["number"])
    Maintenance.objects.for_org(org).bulk_create(
        [
            Maintenance(
                organization=org,
                number=i,
                device=device,
                state="requested",
                where="local",
                data=template.data,
            )
            for i in range(2, 130)
        ]
    )
    client = client_of(owner)
    client.get("/")
    pages = [
        reverse("devices", kwargs={"org": org.slug}),
        reverse("device", kwargs={"org": org.slug, "tag": "CAM-1"}),
        reverse("maintenance_list", kwargs={"org": org.slug}),
        reverse("maintenance", kwargs={"org": org.slug, "number": ctx["number"]}),
        reverse("personnel", kwargs={"org": org.slug}),
        reverse("tools", kwargs={"org": org.slug}),
        reverse("policies", kwargs={"org": org.slug}),
        reverse("device_job", kwargs={"org": org.slug, "job": ctx["job"]}),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            page = client.get(url)
        assert page.status_code == 200, url
        assert_csp_clean(page.content.decode())
    first = client.get(pages[0]).content.decode()
    cursor = first.split('rel="next" href="?cursor=')[1].split('"')[0]
    second = client.get(pages[0] + "?cursor=" + cursor).content.decode()
    # CAM-1 sorts first, so the first page of 50 ends at D-048.
    assert ">D-048<" in first
    assert ">D-048<" not in second
    assert ">D-049<" in second


def test_policy_versions_are_approved_by_a_second_person_and_acknowledged(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    ctx = stock(org, owner)
    reviewer, editor = member_of(org, "reviewer"), member_of(org, "editor")
    draft = s.draft_policy(actor(editor), org, policy.Parameters("Dept. of Things", removal_days=7))
    with pytest.raises(Forbidden, match=r"policy\.approve"):
        s.approve_policy(actor(editor), org, draft.number)
    own = s.draft_policy(actor(owner), org, policy.Parameters("Dept. of Things", removal_days=7))
    with pytest.raises(Forbidden, match="separation of duties"):
        s.approve_policy(actor(owner), org, own.number)
    assert s.policy_for(org).removal_days == s.POLICY.removal_days  # nothing approved yet
    with pytest.raises(Conflict, match="approved version"):
        s.acknowledge(actor(editor), org, own.number)
    s.approve_policy(actor(reviewer), org, own.number)
    assert s.policy_for(org).removal_days == 7

    client = client_of(reviewer)
    page = client.get(reverse("policies", kwargs={"org": org.slug})).content.decode()
    assert "Not acknowledged yet (3)" in page
    assert editor.email in page
    assert "at most 7 days before it leaves" in page
    assert_csp_clean(page)
    assert (
        client.post(
            reverse("policy_acknowledge", kwargs={"org": org.slug}), {"number": own.number}
        ).status_code
        == 302
    )
    page = client.get(reverse("policies", kwargs={"org": org.slug})).content.decode()
    assert "Not acknowledged yet (2)" in page
    assert "You have acknowledged this version." in page
    with pytest.raises(Conflict, match="already"):
        s.acknowledge(actor(reviewer), org, own.number)

    # The approved parameters drive the maintenance rules: a removal 5 days old may now ship.
    row = s.request_maintenance(
        actor(owner), org, s.RequestMaintenance("CAM-1", "offsite", "manufacturer", "dead", ctx["technician"])
    )
    s.step(actor(reviewer), org, row.number, s.Approve())
    when = timezone.now() - timedelta(days=5)
    s.step(actor(editor), org, row.number, s.Attest("reset", "Ann", when, "log.txt", b"wiped"))
    assert s.step(actor(editor), org, row.number, s.Ship()).state == "offsite"

    oscal = client.get(
        reverse("policy_export", kwargs={"org": org.slug, "number": own.number, "fmt": "oscal.json"})
    )
    from securable.oscal.validate import validate_document

    assert validate_document(json.loads(oscal.content), name="p.json").ok
    docx_bytes = client.get(
        reverse("policy_export", kwargs={"org": org.slug, "number": own.number, "fmt": "docx"})
    )
    assert docx_bytes.content[:2] == b"PK"
    html = client.get(reverse("policy_export", kwargs={"org": org.slug, "number": own.number, "fmt": "html"}))
    assert "FPN-SEED-2.A1" in html.content.decode()
    events_ = [e["action"] for e in events(org) if e["object"]["type"] == "policy"]
    assert events_ == ["policy.draft", "policy.draft", "policy.approve", "policy.acknowledge"]


def test_a_policy_version_is_acknowledged_by_the_roles_it_applies_to(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    reviewer, editor, auditor = (member_of(org, r) for r in ("reviewer", "editor", "auditor"))
    with pytest.raises(InputError, match="unknown role"):
        s.draft_policy(actor(owner), org, policy.Parameters(org.name), ["editor", "janitor"])
    with pytest.raises(InputError, match="at least one role"):
        s.draft_policy(actor(owner), org, policy.Parameters(org.name), [])
    everyone = s.draft_policy(actor(owner), org, policy.Parameters(org.name))
    assert everyone.roles() == tuple(ROLES)  # the default: every role
    # Drafted through the page with two roles ticked (in any order: stored in the table's order).
    client = client_of(owner)
    form = {"agency": org.name, "removal_days": "2", "review_months": "12", "approver_role": "owner"}
    form |= {"documentation_roles": ["owner"], "ack_roles": ["editor", "owner"]}
    assert client.post(reverse("policy_draft", kwargs={"org": org.slug}), form).status_code == 302
    version = PolicyVersion.objects.for_org(org).get(number=everyone.number + 1)
    assert version.roles() == ("owner", "editor")
    s.approve_policy(actor(reviewer), org, version.number)

    page = client_of(auditor).get(reverse("policies", kwargs={"org": org.slug})).content.decode()
    assert "Not acknowledged yet (2)" in page  # the owner and the editor, not the auditor or reviewer
    missing = page.split("Not acknowledged yet")[1].split("</ul>")[0]
    assert editor.email in missing
    assert owner.email in missing
    assert auditor.email not in missing
    assert reviewer.email not in missing
    assert "you are not asked to acknowledge" in page
    assert "I have read version" not in page
    with pytest.raises(Forbidden, match="applies to the roles owner, editor"):
        s.acknowledge(actor(auditor), org, version.number)
    refused = client_of(auditor).post(
        reverse("policy_acknowledge", kwargs={"org": org.slug}), {"number": version.number}
    )
    assert refused.status_code == 403
    assert "not asked to acknowledge" in refused.content.decode()

    s.acknowledge(actor(editor), org, version.number)
    page = client.get(reverse("policies", kwargs={"org": org.slug})).content.decode()
    assert "Not acknowledged yet (1)" in page
    assert "I have read version" in page
    draft_event = next(e for e in events(org) if e["action"] == "policy.draft" and e["after"])
    assert draft_event["after"]["acknowledged_by_roles"] == list(ROLES)


def test_bulk_status_change_runs_as_a_job_with_an_error_per_refused_device(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    editor = member_of(org, "editor")
    for tag in ("B-1", "B-2"):
        s.add_device(actor(owner), org, DeviceRow(tag, "S", device_type="camera"))
    with pytest.raises(InputError, match="unknown status"):
        js.queue_status(actor(editor), org, ["B-1"], "lost")
    with pytest.raises(InputError, match="at least one"):
        js.queue_status(actor(editor), org, [], "retired")
    client = client_of(editor)
    form = {"asset_tags": ["B-1", "NOPE", "B-2"], "status": "retired", "why": "decommissioned"}
    posted = client.post(reverse("devices_status_bulk", kwargs={"org": org.slug}), form)
    assert posted.status_code == 302
    js.run_device_job(int(posted["Location"].rsplit("/", 1)[1]))
    page = client.get(posted["Location"]).content.decode()
    assert "2 of 3 devices changed" in page
    assert "NOPE" in page
    assert "no device with asset tag" in page
    statuses = dict(Device.objects.for_org(org).values_list("asset_tag", "status"))
    assert statuses == {"B-1": "retired", "B-2": "retired"}
    changed = [e for e in events(org) if e["action"] == "device.status"]
    assert [e["object"]["id"] for e in changed] == ["B-1", "B-2"]
    assert {e["why"] for e in changed} == {"decommissioned"}
    (queued,) = [e for e in events(org) if e["action"] == "device.status.queue"]
    assert queued["after"] == {"status": "retired", "devices": 3}


def test_a_job_runs_with_the_permissions_of_its_requester_when_it_runs(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
) -> None:
    from securable.web.orgs.models import Membership

    editor = member_of(org, "editor")
    content = f"{HEADER}\nJ-1,S,,,,,camera,,,,,\n".encode()
    job = js.queue_import(actor(editor), org, content, "d.csv", "why not")
    Membership.objects.filter(organization=org, user=editor).update(role="auditor")  # demoted meanwhile
    js.run_device_job(job.pk)
    job.refresh_from_db()
    assert job.state == DeviceJob.State.FAILED
    assert "device.manage" in job.error_list()[0]["message"]
    assert not Device.objects.for_org(org).exists()
    assert [e["action"] for e in events(org) if e["action"].startswith("device.")] == ["device.import.queue"]
    js.run_device_job(job.pk)  # a second delivery of the same job does nothing
    job.refresh_from_db()
    assert job.state == DeviceJob.State.FAILED
    with pytest.raises(Forbidden):
        js.queue_import(actor(editor), org, content, "d.csv")


@pytest.mark.django_db(transaction=True)
def test_device_jobs_on_the_queue_path(
    org: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    """On SQLite a job runs once the asking transaction commits; on PostgreSQL a worker runs it."""
    from securable.web import jobs

    content = f"{HEADER}\nQ-1,S,,,,,camera,,,,,\nQ-2,S,,,,,camera,,,,,\n".encode()
    job = js.queue_import(actor(member_of(org, "editor")), org, content, "q.csv")
    if jobs.uses_queue():
        job.refresh_from_db()
        assert job.state == DeviceJob.State.QUEUED  # nothing runs until a worker does
        from .test_web_releases import run_worker

        run_worker()
    job.refresh_from_db()
    assert job.state == DeviceJob.State.DONE, job.errors
    assert job.changed == 2
    status = js.queue_status(actor(owner), org, ["Q-1", "Q-2"], "restricted")
    if jobs.uses_queue():
        run_worker()
    status.refresh_from_db()
    assert (status.state, status.changed) == (DeviceJob.State.DONE, 2)
    assert set(Device.objects.for_org(org).values_list("status", flat=True)) == {"restricted"}


def test_versions_drafted_before_roles_were_named_ask_every_role(org: Organization, owner: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("securable.web.operations.migrations.0004_import_jobs_ack_roles")
    old = s.draft_policy(actor(owner), org, policy.Parameters(org.name), ["owner"])
    PolicyVersion.objects.for_org(org).filter(pk=old.pk).update(ack_roles="")  # as the column was added
    migration.every_role(apps, None)
    old.refresh_from_db()
    assert old.roles() == tuple(ROLES)
