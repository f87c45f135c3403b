"""The audit checkpoints through the API: read-only for ``audit.view``, keyset pages, and lines that
``securable audit verify --checkpoints`` accepts as they come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from securable.cli import main
from securable.package.keys import keygen, load_private_key
from securable.web.audit.checkpoints import make_checkpoints
from securable.web.orgs.models import Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.paging import PAGE_SIZE
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor
from .test_web_api import assert_error, call

pytestmark = pytest.mark.django_db
FIRST_DAY = dt.date(2026, 1, 1)


def _checkpoints(org: Organization, owner: Any, days: int, tmp_path: Path) -> Path:
    """``days`` daily checkpoints, with a new event between some of them; returns the public key."""
    private, public = tmp_path / "audit.key", tmp_path / "audit.pub"
    keygen(private, public)
    key = load_private_key(private)
    for n in range(days):
        if n % 7 == 0:
            import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), why=f"day {n}"))
        make_checkpoints(key, FIRST_DAY + dt.timedelta(days=n))
    return public


def test_an_auditor_pages_through_checkpoints_that_verify_the_exported_chain(
    org: Organization,
    owner: Any,
    token_for: Callable[[Organization, str], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    days = PAGE_SIZE + 3
    public = _checkpoints(org, owner, days, tmp_path)
    token = token_for(org, "auditor")
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        response = call("get", "/audit/checkpoints", token, data={"cursor": cursor} if cursor else {})
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 2
    assert [i["day"] for i in items] == [(FIRST_DAY + dt.timedelta(days=n)).isoformat() for n in range(days)]
    assert [i["seq"] for i in items] == sorted(i["seq"] for i in items)

    chain, marks = tmp_path / "audit.jsonl", tmp_path / "marks.jsonl"
    call_command("audit_export", org.slug, "--output", str(chain))
    marks.write_text("".join(i["line"] + "\n" for i in items), encoding="utf-8")
    capsys.readouterr()
    assert main(["audit", "verify", str(chain), "--checkpoints", str(marks), "--key", str(public)]) == 0
    assert f"{days} signed checkpoints agree" in capsys.readouterr().out


def test_checkpoints_are_for_audit_view_and_for_the_tokens_organization_only(
    org: Organization,
    owner: Any,
    token_for: Callable[[Organization, str], str],
    tmp_path: Path,
) -> None:
    other = create_organization(actor(owner), CreateOrganization("other", "Other Inc.", "maker"))
    _checkpoints(other, owner, 2, tmp_path)
    assert_error(call("get", "/audit/checkpoints", token_for(org, "editor")), 403, "forbidden")
    mine = call("get", "/audit/checkpoints", token_for(org, "owner")).json()
    # ``org`` has events too, so it has checkpoints of its own: none of them is the other's.
    lines = [i["line"] for i in mine["items"]]
    assert lines
    assert all(str(other.public_id) not in line for line in lines)
    assert all(str(org.public_id) in line for line in lines)
    assert_error(
        call("get", "/audit/checkpoints", token_for(org, "owner"), data={"cursor": "%%"}),
        400,
        "invalid_input",
    )
    assert call("get", "/audit/checkpoints", None).status_code == 401


def test_checkpoint_pages_stay_within_a_query_budget(
    org: Organization,
    owner: Any,
    token_for: Callable[[Organization, str], str],
    tmp_path: Path,
    django_assert_max_num_queries: Any,
) -> None:
    _checkpoints(org, owner, PAGE_SIZE + 1, tmp_path)
    token = token_for(org, "auditor")
    call("get", "/audit/checkpoints", token)  # the token's first use records it
    # The token (with its organization and user), the membership, the page: whatever the page size.
    with django_assert_max_num_queries(3):
        page = call("get", "/audit/checkpoints", token).json()
    assert len(page["items"]) == PAGE_SIZE
