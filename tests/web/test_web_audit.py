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


def _keys(tmp_path: Path) -> tuple[Path, Path]:
    from securable.package.keys import keygen

    private, public = tmp_path / "audit.key", tmp_path / "audit.pub"
    keygen(private, public)
    return private, public


def test_signed_checkpoints_catch_a_consistent_rewrite_and_a_cut_tail(
    busy_org: Organization, owner: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from securable.audit.chain import GENESIS, canonical, event_hash

    private, public = _keys(tmp_path)
    call_command("audit_checkpoint", "--key", str(private))
    call_command("audit_checkpoint", "--key", str(private))  # once a day: the second run signs nothing
    assert "0 checkpoints signed" in capsys.readouterr().out
    import_product(actor(owner), busy_org, ImportProduct(CAMERA.read_bytes(), why="after the checkpoint"))
    chain, marks = tmp_path / "audit.jsonl", tmp_path / "marks.jsonl"
    call_command("audit_export", busy_org.slug, "--output", str(chain), "--checkpoints", str(marks))
    verify = ["audit", "verify", str(chain), "--checkpoints", str(marks), "--key", str(public)]
    assert main(verify) == 0
    assert "1 signed checkpoint agree" in capsys.readouterr().out

    # Someone with database access rewrites event 2 and every hash after it: the chain alone verifies.
    prev = GENESIS
    for event in AuditEvent.objects.for_org(busy_org).order_by("seq"):
        payload = json.loads(event.payload)
        if event.seq == 2:
            payload["after"] = {"role": "owner"}
        text = canonical(payload).decode()
        digest = event_hash(prev, json.loads(text))
        AuditEvent._base_manager.filter(pk=event.pk).update(payload=text, prev_hash=prev, hash=digest)
        prev = digest
    call_command("audit_export", busy_org.slug, "--output", str(chain))
    assert main(["audit", "verify", str(chain)]) == 0
    capsys.readouterr()
    assert main(verify) == 1
    assert "differs from the signed one (the chain was rewritten)" in capsys.readouterr().out

    # Cutting the tail back to before the checkpoint is caught too.
    lines = chain.read_text(encoding="utf-8").splitlines(keepends=True)
    chain.write_text("".join(lines[:2]), encoding="utf-8")
    assert main(verify) == 1
    assert "missing from the chain (its tail was cut)" in capsys.readouterr().out


def test_checkpoints_signed_by_another_key_are_refused(
    busy_org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, _ = _keys(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _, wrong = _keys(other)
    call_command("audit_checkpoint", "--key", str(private))
    chain, marks = tmp_path / "audit.jsonl", tmp_path / "marks.jsonl"
    call_command("audit_export", busy_org.slug, "--output", str(chain), "--checkpoints", str(marks))
    assert main(["audit", "verify", str(chain), "--checkpoints", str(marks), "--key", str(wrong)]) == 1
    assert "signature does not match" in capsys.readouterr().out
    assert main(["audit", "verify", str(chain), "--checkpoints", str(marks)]) == 2


def test_cli_exports_and_checkpoints_through_the_web_commands(
    busy_org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = _keys(tmp_path)
    assert main(["web", "audit-checkpoint", "--key", str(private)]) == 0
    chain, marks = tmp_path / "a.jsonl", tmp_path / "m.jsonl"
    assert main(["web", "audit-export", busy_org.slug, "-o", str(chain), "--checkpoints", str(marks)]) == 0
    assert main(["audit", "verify", str(chain), "--checkpoints", str(marks), "--key", str(public)]) == 0
    capsys.readouterr()
    assert main(["web", "audit-export", "no-such-org"]) == 2
    assert "no organization 'no-such-org'" in capsys.readouterr().err
    assert main(["web", "audit-checkpoint", "--key", str(public)]) == 2  # a public key cannot sign
    assert main(["web", "manage"]) == 2
