"""`make demo`'s workspace: the examples loaded through the services, and the server checked in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from securable.web.audit.models import AuditEvent
from securable.web.orgs.demo import AGENCY, EMAIL, MAKER, load
from securable.web.orgs.models import Membership, Organization
from securable.web.products.models import Product

from .conftest import ROOT


@pytest.mark.django_db
def test_demo_loads_the_examples_once_with_a_new_password_each_time() -> None:
    first = load(ROOT / "examples")
    expected = len(list((ROOT / "examples").glob("*/securable.yaml"))) + 1  # and the agency's vendor
    assert first.products == expected
    maker = Organization.objects.get(slug=MAKER[0])
    agency = Organization.objects.get(slug=AGENCY[0])
    assert agency.kind == "agency"
    assert {m.role for m in Membership.objects.filter(user__email=EMAIL)} == {"owner"}
    events = AuditEvent.objects.for_org(maker).count()
    assert events == 1 + expected  # founded, then one import each

    second = load(ROOT / "examples")
    assert second.password != first.password
    assert Product.objects.for_org(maker).count() == expected
    assert AuditEvent.objects.for_org(maker).count() == events  # nothing imported twice
    client = Client()
    assert not client.login(username=EMAIL, password=first.password)
    assert client.login(username=EMAIL, password=second.password)
    page = client.get(f"/o/{maker.slug}/products/").content.decode()
    assert "Acme HomeCam 2" in page


def test_demo_script_starts_the_server_and_stops_it_when_not_on_a_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECURABLE_DB_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "tools.demo_workspace", "--data", str(tmp_path / "ws"), "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,  # a hang guard
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("== Workspace at http://127.0.0.1:")
    assert lines[1].startswith(f"Demo sign-in: {EMAIL} / ")
    assert "answered" in lines[2]
    assert len(lines) == 3  # the demo's output stays short
    assert (tmp_path / "ws" / "workspace.sqlite3").exists()
