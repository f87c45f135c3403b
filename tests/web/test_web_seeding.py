"""The benchmark seed: a small workspace of the benchmark's shape, whose chains verify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from securable.cli import main
from securable.errors import UsageError
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.seeding import Size, seed
from securable.web.products.models import Product, ProductVersion

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_writes_the_shape_asked_and_valid_chains(tmp_path: Path) -> None:
    size = Size(organizations=3, products=20, versions=3, events=31, members=2)
    seeded = seed(size, PASSWORD)
    orgs = list(Organization.objects.order_by("slug"))
    assert len(orgs) == 3
    assert sum(Product.objects.for_org(o).count() for o in orgs) == 20
    assert all(
        ProductVersion.objects.for_org(o).count() == 3 * Product.objects.for_org(o).count() for o in orgs
    )
    assert {m.role for m in Membership.objects.filter(organization=orgs[0])} == {
        "owner",
        "editor",
        "reviewer",
    }
    # 31 seeded events, then one more per organization: its CI token, through the service.
    assert sum(AuditEvent.objects.for_org(o).count() for o in orgs) == 31 + 3
    for org in orgs:
        path = tmp_path / f"{org.slug}.jsonl"
        call_command("audit_export", org.slug, "--output", str(path))
        assert main(["audit", "verify", str(path)]) == 0

    slug, email, token = seeded.organizations[1]
    client = Client()
    assert client.login(username=email, password=PASSWORD)
    assert client.get(f"/o/{slug}/products/").status_code == 200
    listed = Client().get("/api/v1/products", headers={"Authorization": f"Bearer {token}"})
    assert len(listed.json()["items"]) == Product.objects.for_org(Organization.objects.get(slug=slug)).count()

    with pytest.raises(UsageError, match="already holds organizations"):
        seed(size, PASSWORD)


def test_seed_command_writes_private_credentials(tmp_path: Path, capsys: Any) -> None:
    credentials = tmp_path / "credentials.json"
    call_command(
        "seed_workspace", "--scale", "0.002", "--password", PASSWORD, "--credentials", str(credentials)
    )
    rows = json.loads(credentials.read_text(encoding="utf-8"))
    assert [r["org"] for r in rows] == ["org-000"]
    assert rows[0]["token"].startswith("sct_")
    assert credentials.stat().st_mode & 0o777 == 0o600
    assert "seeded 1 organizations, 20 products x 3 versions, 100 audit events" in capsys.readouterr().out
