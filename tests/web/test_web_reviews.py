"""Reviews (scheduled, and opened by advisories, incidents and failed verifications), their
reminders, reports for auditors checked against the exported chain, and policy PDFs: the
authorization matrix of these pages (generated from the role table), audit events, query budgets."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from advisories import csaf
from securable.cli import main
from securable.operations import policy
from securable.operations.register import DeviceRow
from securable.web import jobs
from securable.web.audit.models import AuditEvent
from securable.web.operations import review_services as rs
from securable.web.operations import services as s
from securable.web.operations.review_models import ClosedReview, Review
from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES, allows
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.service import Conflict, Forbidden

from .conftest import actor
from .test_web_operations import stock
from .test_web_pages import assert_csp_clean

pytestmark = pytest.mark.django_db


def events(org: Organization, action: str) -> list[dict[str, Any]]:
    payloads = AuditEvent.objects.for_org(org).order_by("seq").values_list("payload", flat=True)
    return [e for e in map(json.loads, payloads) if e["action"] == action]


def reviewed_world(org: Organization, owner: Any, reviewer: Any) -> dict[str, int]:
    """``stock`` plus a camera of a named product, and one open incident review (R-1)."""
    ctx = stock(org, owner, reviewer)
    row = DeviceRow("CAM-2", "SN2", system="Lobby", device_type="camera", vendor="Acme", product="SmartCam")
    s.add_device(actor(owner), org, DeviceRow(**{**row.__dict__, "version": "2.1"}))
    rs.record_incident(actor(owner), org, rs.RecordIncident("door forced", "high", timezone.now(), "CAM-2"))
    return ctx | {"review": 1}


@dataclass(frozen=True)
class Endpoint:
    name: str
    permission: str
    method: str
    path: str

    def data(self, role: str) -> dict[str, Any]:
        match self.name:
            case "advisory upload":
                # One advisory per role (the same file twice is refused as a duplicate).
                content = csaf("Acme", "SmartCam", "2.1", cve=f"CVE-2026-{1000 + list(ROLES).index(role)}")
                return {"file": SimpleUploadedFile("a.json", content)}
            case "incident record":
                return {
                    "summary": "s",
                    "severity": "low",
                    "occurred": "2026-11-30T10:00",
                    "asset_tag": "CAM-2",
                }
            case "review complete":
                return {"outcome": "no action needed", "note": f"checked by {role}"}
        return {}


ENDPOINTS = (
    Endpoint("reviews", "device.view", "get", "/o/{org}/reviews/"),
    Endpoint("review", "device.view", "get", "/o/{org}/reviews/1/"),
    Endpoint("advisory upload", "review.trigger", "post", "/o/{org}/reviews/advisory"),
    Endpoint("incident record", "review.trigger", "post", "/o/{org}/reviews/incident"),
    Endpoint("review complete", "review.complete", "post", "/o/{org}/reviews/1/complete"),
    Endpoint("reports", "audit.view", "get", "/o/{org}/reports/"),
    Endpoint("report", "audit.view", "get", "/o/{org}/reports/report.csv"),
)
URL_NAMES = {
    "reviews",
    "review",
    "advisory_upload",
    "incident_record",
    "review_complete",
    "reports",
    "report",
}


def test_every_review_url_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    names = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    assert names >= URL_NAMES
    assert len(ENDPOINTS) == len(URL_NAMES)


@pytest.fixture
def world(
    org: Organization,
    owner: Any,
    make_user: Callable[[str], Any],
    member_of: Callable[[Organization, str], Any],
) -> tuple[Organization, Organization]:
    reviewed_world(org, owner, member_of(org, "reviewer"))
    founder = make_user("founder@foreign.example")
    foreign = create_organization(actor(founder), CreateOrganization("foreign", "Foreign", "agency"))
    reviewed_world(foreign, founder, member_of(foreign, "reviewer"))
    return org, foreign


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("role", list(ROLES))
def test_matrix(
    *,
    world: tuple[Organization, Organization],
    member_of: Callable[[Organization, str], Any],
    role: str,
    endpoint: Endpoint,
) -> None:
    ours, foreign = world
    client = Client()
    client.force_login(member_of(ours, role))

    def go(org: Organization) -> Any:
        path = endpoint.path.format(org=org.slug)
        return client.post(path, endpoint.data(role)) if endpoint.method == "post" else client.get(path)

    own = go(ours)
    if allows(role, endpoint.permission):
        assert own.status_code in (200, 302), (role, endpoint.name, own.status_code, own.content[:300])
    else:
        assert own.status_code == 403, (role, endpoint.name, own.status_code)
    away = go(foreign)
    assert away.status_code == 404, (role, endpoint.name, away.status_code)
    assert b"Foreign" not in away.content


def test_an_advisory_opens_a_review_per_affected_device(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    reviewer = member_of(org, "reviewer")
    stock(org, owner, reviewer)
    a = actor(owner)
    for tag, version in (("CAM-21", "2.1"), ("CAM-20", "2.0"), ("CAM-X", "")):
        s.add_device(
            a,
            org,
            DeviceRow(tag, "S", device_type="camera", vendor="Acme", product="SmartCam", version=version),
        )
    s.add_device(
        a,
        org,
        DeviceRow("OTHER", "S", device_type="camera", vendor="Other", product="SmartCam", version="2.1"),
    )
    client = client_of(member_of(org, "editor"))
    url = reverse("advisory_upload", kwargs={"org": org.slug})
    page = client.post(url, {"file": SimpleUploadedFile("acme.json", csaf("Acme", "SmartCam", "2.1"))})
    assert page.status_code == 200
    html = page.content.decode()
    assert_csp_clean(html)
    opened = Review.objects.for_org(org).select_related("device", "assignee").order_by("number")
    # The matching version, and the device whose version the register does not know; not 2.0,
    # not another vendor's product of the same name.
    assert [r.device.asset_tag for r in opened] == ["CAM-21", "CAM-X"]
    assert all(r.kind == "advisory" and "CVE-2026-0001 (affected)" in r.subject for r in opened)
    assert {r.assignee.user for r in opened} == {reviewer}  # the one member who may complete reviews
    assert all(r.due == r.opened + timedelta(days=14) for r in opened)
    detail = client.get(reverse("review", kwargs={"org": org.slug, "number": opened[0].number}))
    assert opened[0].advisory is not None
    assert opened[0].advisory.sha256 in detail.content.decode()
    assert_csp_clean(detail.content.decode())
    (upload,) = events(org, "advisory.upload")
    assert upload["after"]["devices"] == ["CAM-21", "CAM-X"]
    assert [e["after"]["device"] for e in events(org, "review.open")] == ["CAM-21", "CAM-X"]
    again = client.post(url, {"file": SimpleUploadedFile("acme.json", csaf("Acme", "SmartCam", "2.1"))})
    assert again.status_code == 400
    assert "uploaded already" in again.content.decode()
    # "Not affected" opens nothing.
    quiet = csaf("Acme", "SmartCam", "2.1", cve="CVE-2026-0002", status="known_not_affected")
    assert client.post(url, {"file": SimpleUploadedFile("q.json", quiet)}).status_code == 200
    assert Review.objects.for_org(org).count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'{"document": {"csaf_version": "2.0"}}',  # CSAF by its marker, but not schema-valid
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,  # nesting the strict reader refuses
        "\ufeff[1]".encode("utf-16"),
        b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": "\\ud800"}',
    ],
    ids=["empty", "broken", "invalid-csaf", "deep", "utf16", "lone-surrogate"],
)
def test_hostile_advisories_are_refused_and_open_nothing(
    org: Organization, owner: Any, client_of: Callable[[Any], Client], content: bytes
) -> None:
    stock(org, owner)
    page = client_of(owner).post(
        reverse("advisory_upload", kwargs={"org": org.slug}), {"file": SimpleUploadedFile("h.json", content)}
    )
    assert page.status_code == 400
    assert "Traceback" not in page.content.decode()
    assert not Review.objects.for_org(org).exists()
    assert not events(org, "advisory.upload")


def test_a_failed_verification_opens_a_review(
    org: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    ctx = stock(org, owner)
    editor, reviewer = actor(member_of(org, "editor")), actor(member_of(org, "reviewer"))
    s.step(reviewer, org, ctx["number"], s.Approve("fine"))
    s.step(editor, org, ctx["number"], s.Perform(ctx["technician"], None, timezone.now(), "cleaned", ()))
    failing = dict.fromkeys(s.POLICY.checklist, True) | {s.POLICY.checklist[0]: False}
    s.step(reviewer, org, ctx["number"], s.Verify(failing, "drift"))
    (review,) = Review.objects.for_org(org)
    assert review.kind == "verification"
    assert review.maintenance is not None
    assert review.maintenance.number == ctx["number"]
    assert review.due == review.opened + timedelta(days=7)
    (opened,) = events(org, "review.open")
    assert opened["after"]["actions"] == ["FPN-SEED-6.A2", "FPN-SEED-22.A2"]


def test_reviews_are_completed_once_and_never_change(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    reviewed_world(org, owner, member_of(org, "reviewer"))
    editor = actor(member_of(org, "editor"))
    with pytest.raises(Forbidden):
        rs.complete_review(editor, org, 1, "no action needed", "looked")
    with pytest.raises(Exception, match="say what was reviewed"):
        rs.complete_review(actor(owner), org, 1, "no action needed", "  ")
    with pytest.raises(Exception, match="unknown outcome"):
        rs.complete_review(actor(owner), org, 1, "shrug", "looked")
    done = rs.complete_review(actor(owner), org, 1, "maintenance requested", "lock replaced")
    assert done.state == "completed"
    with pytest.raises(Conflict, match="completed already"):
        rs.complete_review(actor(owner), org, 1, "no action needed", "again")
    done.note = "rewritten"
    with pytest.raises(ClosedReview):
        done.save()
    (event,) = events(org, "review.complete")
    assert event["after"]["outcome"] == "maintenance requested"
    html = client_of(owner).get(reverse("review", kwargs={"org": org.slug, "number": 1})).content.decode()
    assert "lock replaced" in html
    assert "Complete the review" not in html
    assert_csp_clean(html)


def test_reminders_and_the_schedule_from_the_command(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    reviewer = member_of(org, "reviewer")
    reviewed_world(org, owner, reviewer)  # an approved policy: reviews every 12 months
    later = (timezone.now().date() + timedelta(days=30)).isoformat()

    ran: set[int] = set()

    def call_command(*args: str) -> None:
        # The job runs once the command's transaction commits (inline on SQLite), and its mail
        # once the job's own transaction commits. On PostgreSQL it is queued; a worker cannot see
        # this test's open transaction, so the jobs queued here are run here.
        from django.core.management import call_command as run

        with django_capture_on_commit_callbacks(execute=True):
            run(*args, stdout=io.StringIO())
            if jobs.uses_queue():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT id, args FROM procrastinate_jobs ORDER BY id")
                    queued = [(pk, a) for pk, a in cursor.fetchall() if pk not in ran]
                for pk, raw in queued:
                    ran.add(pk)
                    found = json.loads(raw) if isinstance(raw, str) else raw
                    jobs.run(found["job"], found["args"])

    with override_settings(SMTP_HOST="smtp.example"):
        call_command("operations_reminders", org.slug, "--today", later)
    # The incident review (due in 7 days) is overdue: reminded, mailed to its assignee.
    (remind,) = events(org, "review.remind")
    assert remind["object"]["id"] == "R-1"
    assert remind["after"]["mailed"] is True
    assert remind["actor"] is None
    (message,) = mail.outbox
    assert message.to == [reviewer.email]
    assert "R-1" in message.subject
    # One scheduled review per system: "Lobby", and the devices outside any system.
    scheduled = Review.objects.for_org(org).filter(kind="scheduled").order_by("system")
    assert [r.system for r in scheduled] == [rs.NO_SYSTEM, "Lobby"]
    assert {r.opened.isoformat() for r in scheduled} == {later}
    # The same day again: nobody is reminded twice, nothing is scheduled twice.
    call_command("operations_reminders", "--today", later)
    assert len(events(org, "review.remind")) == 1
    assert Review.objects.for_org(org).filter(kind="scheduled").count() == 2
    # Eleven months on, the scheduled reviews are overdue but not due again; a year on they are.
    eleven = (date.fromisoformat(later) + timedelta(days=335)).isoformat()
    call_command("operations_reminders", "--today", eleven)
    assert Review.objects.for_org(org).filter(kind="scheduled").count() == 2
    assert len(events(org, "review.remind")) == 1 + 3
    year = (date.fromisoformat(later) + timedelta(days=366)).isoformat()
    call_command("operations_reminders", "--today", year)
    assert Review.objects.for_org(org).filter(kind="scheduled").count() == 4


def _report_range(text: str) -> tuple[int, str, int, str]:
    found = re.search(r"audit events (\d+) \(hash ([0-9a-f]{64})\) to (\d+) \(hash ([0-9a-f]{64})\)", text)
    assert found is not None, text[:500]
    return int(found[1]), found[2], int(found[3]), found[4]


def test_a_report_names_the_chain_range_that_audit_verify_checks(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    tmp_path: Path,
) -> None:
    ctx = stock(org, owner)
    editor, reviewer = actor(member_of(org, "editor")), actor(member_of(org, "reviewer"))
    s.step(reviewer, org, ctx["number"], s.Approve("fine"))
    s.step(editor, org, ctx["number"], s.Perform(ctx["technician"], None, timezone.now(), "cleaned", ()))
    failing = dict.fromkeys(s.POLICY.checklist, True) | {s.POLICY.checklist[0]: False}
    s.step(reviewer, org, ctx["number"], s.Verify(failing, "drift"))
    s.step(editor, org, ctx["number"], s.Perform(ctx["technician"], None, timezone.now(), "again", ()))
    s.step(reviewer, org, ctx["number"], s.Verify(dict.fromkeys(s.POLICY.checklist, True)))
    s.add_device(actor(owner), org, DeviceRow("=HYPERLINK(1)", "S", device_type="camera"))
    rs.record_incident(
        actor(owner), org, rs.RecordIncident("@SUM(1)", "low", timezone.now(), "=HYPERLINK(1)")
    )
    client = client_of(member_of(org, "auditor"))
    url = reverse("report", kwargs={"org": org.slug, "fmt": "csv"})
    text = client.get(url, {"device": "CAM-1"}).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    sections = [r[0] for r in rows[4:]]
    assert sections.count("performed") == 2
    assert sections.count("approvals") == 1
    assert sections.count("failures") == 2  # the failure, and the check that resolved it
    assert "resolved by event" in text
    assert sections.count("reviews") == 1  # the review the failure opened, still open
    assert {r[4] for r in rows[4:] if r[0] == "open"} == {"M-1", "R-1"}

    first_seq, first_hash, last_seq, last_hash = _report_range(text)
    chain = tmp_path / "audit.jsonl"
    call_command("audit_export", org.slug, "--output", str(chain))
    assert main(["audit", "verify", str(chain)]) == 0
    exported = [json.loads(line) for line in chain.read_text(encoding="utf-8").splitlines()]
    by_seq = {r["seq"]: r["hash"] for r in exported}
    assert (first_seq, last_seq) == (1, max(by_seq))
    assert by_seq[first_seq] == first_hash
    assert by_seq[last_seq] == last_hash

    everything = client.get(url).content.decode()
    assert "'=HYPERLINK(1)" in everything  # a device tag a spreadsheet would run is defused
    assert ",=HYPERLINK" not in everything
    html = client.get(reverse("report", kwargs={"org": org.slug, "fmt": "html"}), {"device": "CAM-1"})
    assert f"{last_seq} (hash {last_hash})" in html.content.decode()
    pdf = client.get(reverse("report", kwargs={"org": org.slug, "fmt": "pdf"}), {"device": "CAM-1"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    # A period after everything happened shows no work but still the open items.
    tomorrow = (timezone.now().date() + timedelta(days=1)).isoformat()
    quiet = list(
        csv.reader(io.StringIO(client.get(url, {"device": "CAM-1", "start": tomorrow}).content.decode()))
    )
    assert {r[0] for r in quiet[4:]} == {"open"}
    assert client.get(url, {"device": "NOPE"}).status_code == 404
    assert client.get(url, {"start": "2026-12-31", "end": "2026-01-01"}).status_code == 400


def test_policy_versions_export_as_pdf(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    version = s.draft_policy(actor(owner), org, policy.Parameters(org.name))
    s.approve_policy(actor(member_of(org, "reviewer")), org, version.number)
    url = reverse("policy_export", kwargs={"org": org.slug, "number": version.number, "fmt": "pdf"})
    client = client_of(member_of(org, "auditor"))
    first, second = client.get(url), client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert first.content == second.content  # dated by the approval, not the clock


def test_review_pages_stay_within_a_query_budget(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
) -> None:
    reviewed_world(org, owner, member_of(org, "reviewer"))
    for i in range(60):
        rs.record_incident(actor(owner), org, rs.RecordIncident(f"incident {i}", "low", timezone.now()))
    client = client_of(owner)
    client.get("/")
    pages = [
        reverse("reviews", kwargs={"org": org.slug}),
        reverse("review", kwargs={"org": org.slug, "number": 1}),
        reverse("reports", kwargs={"org": org.slug}),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            page = client.get(url)
        assert page.status_code == 200, url
        assert_csp_clean(page.content.decode())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("report", kwargs={"org": org.slug, "fmt": "csv"})).status_code == 200
    first = client.get(pages[0]).content.decode()
    cursor = first.split('rel="next" href="?cursor=')[1].split("&")[0]
    second = client.get(pages[0] + "?state=open&cursor=" + cursor).content.decode()
    assert ">R-61<" in first
    assert ">R-12<" in first
    assert ">R-11<" not in first
    assert ">R-11<" in second
    assert ">R-61<" not in second


def test_the_reminder_command_refuses_bad_arguments(org: Organization) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("operations_reminders", "--today", "31/12/2026", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no organization"):
        call_command("operations_reminders", "nobody", stdout=io.StringIO())
    out = io.StringIO()
    call_command("operations_reminders", org.slug, stdout=out)
    assert out.getvalue() == "reminders: 1 organization\n"
