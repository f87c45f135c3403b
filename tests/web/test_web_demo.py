"""`make demo`'s workspace: the examples loaded through the services on both sides, and the server
checked in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from securable.cli import main
from securable.product import parse_product
from securable.web import jobs
from securable.web.agency.models import Evaluation, RequirementVersion, VendorPackage
from securable.web.audit.models import AuditEvent
from securable.web.operations.models import Authorization, Device, Maintenance, PolicyVersion, Tool
from securable.web.orgs.demo import AGENCY, ANSWERED, EMAIL, MAKER, REVIEWER, load
from securable.web.orgs.demo_agency import VENDORS
from securable.web.orgs.models import Membership, Organization
from securable.web.products.models import Product, Release

from .conftest import ROOT

EXAMPLES = ROOT / "examples"


def _chain_verifies(org: Organization, path: Path) -> bool:
    call_command("audit_export", org.slug, "--output", str(path))
    return main(["audit", "verify", str(path)]) == 0


# transaction=True: the release is built when its approval commits, as in the demo itself.
@pytest.mark.django_db(transaction=True)
def test_demo_fills_both_sides_through_the_services_once(tmp_path: Path) -> None:
    first = load(EXAMPLES)
    expected = len(list(EXAMPLES.glob("*/securable.yaml"))) + 1  # and the agency's vendor
    assert first.products == expected
    maker = Organization.objects.get(slug=MAKER[0])
    agency = Organization.objects.get(slug=AGENCY[0])
    assert agency.kind == "agency"
    roles = {(m.organization_id, m.user.email, m.role) for m in Membership.objects.select_related("user")}
    for org in (maker, agency):
        assert {(org.pk, EMAIL, "owner"), (org.pk, REVIEWER, "reviewer")} <= roles

    # Maker: one question answered in the workspace (a second version for the diff), one release
    # approved by the reviewer (not its requester), built and shared.
    answered = Product.objects.for_org(maker).get(slug=ANSWERED[0])
    assert answered.latest_number == 2
    (release,) = Release.objects.for_org(maker)
    assert release.approved_by != release.requested_by
    if jobs.uses_queue():  # PostgreSQL: the build waits for a worker, so no link is made yet
        assert (release.state, first.share) == (Release.State.BUILDING, "")
    else:
        assert release.state == Release.State.BUILT
        assert first.share.startswith("/share/")
        shared = Client().get(first.share + "package.zip")
        assert shared.status_code == 200
        assert shared.content[:2] == b"PK"

    # Agency: MODERATE, tailored once with a reason, approved by the second person.
    versions = list(RequirementVersion.objects.for_org(agency).order_by("number"))
    assert [v.status for v in versions] == ["draft", "approved"]
    assert versions[-1].baseline == "moderate"
    assert versions[-1].approver != versions[-1].author
    assert [step["reason"] for step in versions[-1].tailoring]
    packages = list(VendorPackage.objects.for_org(agency))
    assert sorted(p.status for p in packages) == ["verified", "verified"]
    (evaluation,) = Evaluation.objects.for_org(agency)
    assert set(evaluation.packages.all()) == set(packages)

    # Devices carry the support dates the vendors' own descriptions state.
    for vendor in VENDORS:
        text = (EXAMPLES / vendor.example / "securable.yaml").read_text(encoding="utf-8")
        support = parse_product(text, filename="securable.yaml").support
        assert support is not None
        for tag in vendor.tags:
            device = Device.objects.for_org(agency).get(asset_tag=tag)
            assert (device.support_end, device.end_of_life) == (support.support_end, support.end_of_life)

    (policy,) = PolicyVersion.objects.for_org(agency)
    assert policy.approved is not None
    assert policy.approved_by != policy.author
    assert Tool.objects.for_org(agency).filter(approved__isnull=False).count() >= 1
    expiries = [a.expires for a in Authorization.objects.for_org(agency)]
    assert min(expiries) < release.requested.date() < max(expiries)  # one has lapsed, one is current

    states = {m.state: m for m in Maintenance.objects.for_org(agency).select_related("device")}
    assert {"requested", "approved", "performed", "failed", "closed", "offsite"} <= set(states)
    assert states["failed"].device.status == "restricted"
    offsite = states["offsite"].record()
    assert offsite.attestation is not None
    assert states["offsite"].device.status == "offsite"

    for org in (maker, agency):
        assert _chain_verifies(org, tmp_path / f"{org.slug}.jsonl")

    counts = {org.slug: AuditEvent.objects.for_org(org).count() for org in (maker, agency)}
    second = load(EXAMPLES)
    assert (second.password, second.reviewer_password) != (first.password, first.reviewer_password)
    assert second.share == ""  # released once
    assert Product.objects.for_org(maker).count() == expected
    assert {org.slug: AuditEvent.objects.for_org(org).count() for org in (maker, agency)} == counts
    client = Client()
    assert not client.login(username=EMAIL, password=first.password)
    assert client.login(username=EMAIL, password=second.password)
    page = client.get(f"/o/{maker.slug}/products/").content.decode()
    assert "Acme HomeCam 2" in page
    devices = client.get(f"/o/{agency.slug}/devices/").content.decode()
    assert "restricted" in devices
    diff = client.get(f"/o/{maker.slug}/products/{ANSWERED[0]}/diff").content.decode()
    assert ANSWERED[3] in diff


def test_demo_script_starts_the_server_and_stops_it_when_not_on_a_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECURABLE_DB_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "tools.demo_workspace", "--data", str(tmp_path / "ws"), "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("== Workspace at http://127.0.0.1:")
    assert lines[1].startswith(f"Demo sign-ins: {EMAIL} / ")
    assert REVIEWER in lines[1]
    address = lines[0].split()[3].rstrip("/")
    assert lines[2].split()[-1].startswith(f"{address}/share/sec_share_")
    assert "answered" in lines[3]
    assert len(lines) == 4  # the demo's output stays short
    assert (tmp_path / "ws" / "workspace.sqlite3").exists()
