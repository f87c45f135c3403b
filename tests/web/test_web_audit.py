"""The audit log in the database: append-only, exported as JSON Lines, checked by the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from securable.cli import main
from securable.web.audit.models import AppendOnly, AuditEvent, Person
from securable.web.orgs import services
from securable.web.orgs.models import Organization
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_org(org: Organization, owner: Any, member_of: Callable[[Organization, str], Any]) -> Organization:
    member_of(org, "editor")
    member_of(org, "auditor")
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), why="first release"))
    return org


def export(org: Organization, path: Path) -> Path:
    call_command("audit_export", org.slug, "--output", str(path))
    return path


def test_an_exported_chain_verifies(
    busy_org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(busy_org, tmp_path / "audit.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3, 4]
    assert main(["audit", "verify", str(path)]) == 0
    assert "4 events" in capsys.readouterr().out


def test_tampering_in_the_database_is_named_by_audit_verify(
    busy_org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = AuditEvent.objects.for_org(busy_org).get(seq=3)
    forged = json.loads(target.payload)
    forged["after"] = {"role": "owner"}
    # Behind the application's back, as someone with database access would.
    AuditEvent._base_manager.filter(pk=target.pk).update(payload=json.dumps(forged))
    path = export(busy_org, tmp_path / "audit.jsonl")
    assert main(["audit", "verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3: event 3: its hash does not match its content" in out
    assert "the 2 events before it are intact" in out


def test_two_organizations_have_separate_chains(
    busy_org: Organization, make_user: Callable[[str], Any], tmp_path: Path
) -> None:
    other = services.create_organization(
        actor(make_user("lead@agency.example")), services.CreateOrganization("agency", "Agency", "agency")
    )
    lines = export(other, tmp_path / "other.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["prev"] == "0" * 64


def test_events_cannot_be_changed_or_deleted_through_the_app(busy_org: Organization) -> None:
    event = AuditEvent.objects.for_org(busy_org).get(seq=1)
    event.payload = "{}"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.for_org(busy_org).update(payload="{}")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.for_org(busy_org).delete()


def test_erasing_a_person_keeps_the_chain_valid(busy_org: Organization, owner: Any, tmp_path: Path) -> None:
    Person.objects.filter(user=owner).update(name="", email="")
    path = export(busy_org, tmp_path / "audit.jsonl")
    assert owner.email not in path.read_text(encoding="utf-8")
    assert main(["audit", "verify", str(path)]) == 0
