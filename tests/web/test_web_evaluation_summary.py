"""The agency's evaluation page leads with the core's summary (bottom line per vendor, requirements
that decide, priorities, "not detailed" against "not addressed") and offers the core's CSV, XLSX and
JSON as downloads."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from securable.web.agency.models import Evaluation
from securable.web.agency.services import RunEvaluation, UploadPackage, run_evaluation, upload_package
from securable.web.orgs.models import Organization
from securable.web.orgs.services import CreateOrganization, create_organization

from .agency_world import Packages, approved_set, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import actor
from .test_web_pages import assert_csp_clean

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(owner: Any) -> Organization:
    return create_organization(actor(owner), CreateOrganization("agency", "Agency", "agency"))


@pytest.fixture
def evaluated(
    agency: Organization, owner: Any, member_of: Callable[[Organization, str], Any], packages: Packages
) -> Evaluation:
    version = approved_set(agency, owner, member_of(agency, "reviewer"))
    chosen = [
        upload_package(actor(owner), agency, UploadPackage(name, data, packages.public_key, f"{name}.zip")).pk
        for name, data in (("Northwind", packages.vendor_b), ("Aerolume", packages.sensor))
    ]
    return run_evaluation(actor(owner), agency, RunEvaluation("sensors", version.number, tuple(chosen)))


def test_the_page_leads_with_the_bottom_line_of_each_vendor(
    agency: Organization, owner: Any, evaluated: Evaluation, client_of: Callable[[Any], Client]
) -> None:
    page = client_of(owner).get(reverse("evaluation", kwargs={"org": agency.slug, "pk": evaluated.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert_csp_clean(text)
    summaries = evaluated.result["summaries"]
    assert [s["vendor"] for s in summaries] == ["Northwind", "Aerolume"]
    # The bottom line comes before the side-by-side table, each vendor's in the core's words.
    first = text.index("The bottom line")
    assert first < text.index("Requirements that decide") < text.index("Side by side")
    for summary in summaries:
        line = summary["bottom_line"].replace("'", "&#x27;")
        assert first < text.index(line)
        facts = summary["facts"]
        assert f"<strong>{facts['not_detailed']}</strong> are not detailed" in text
        assert f"<strong>{facts['not_addressed']}</strong> are not addressed" in text
    # Every deciding requirement has its row in the "decide" table, which sits before the full one.
    decide = text[text.index("Requirements that decide") : text.index("Side by side")]
    assert evaluated.result["deciding"]
    for rid in evaluated.result["deciding"]:
        assert f"<td>{rid}</td>" in decide
    rows = evaluated.result["evaluation"]
    deciding = sum(r.get("priority") == 1 for r in rows)
    assert deciding == len(evaluated.result["deciding"])
    assert f"<strong>decides</strong> ({deciding})" in text
    # Silent verdicts are split in the cells the way the core's text reports word them.
    labels = {v["label"] for r in rows for v in r["verdicts"].values()}
    assert "not addressed" in labels
    assert "not addressed</td>" in text


def test_downloads_are_the_cores_csv_xlsx_and_json(
    agency: Organization, owner: Any, evaluated: Evaluation, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)

    def get(fmt: str) -> Any:
        path = reverse("evaluation_export", kwargs={"org": agency.slug, "pk": evaluated.pk, "fmt": fmt})
        return client.get(path)

    page = client.get(reverse("evaluation", kwargs={"org": agency.slug, "pk": evaluated.pk})).content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert f"/evaluation.{fmt}" in page
    table = get("csv")
    assert table.status_code == 200
    assert table["Content-Type"].startswith("text/csv")
    assert "attachment" in table["Content-Disposition"]
    cells = list(csv.reader(io.StringIO(table.content.decode("utf-8"))))
    ids = {r["id"] for r in evaluated.result["evaluation"]}
    found = {row[0] for row in cells[1:] if row}
    assert ids <= found | {c for row in cells for c in row}
    assert any("Northwind" in c for c in cells[0]) or any("Northwind" in c for row in cells for c in row)
    workbook = get("xlsx")
    assert workbook.status_code == 200
    with zipfile.ZipFile(io.BytesIO(workbook.content)) as xlsx:
        assert "xl/workbook.xml" in xlsx.namelist()
    assert get("xlsx").content == workbook.content  # the core reads no clock: the same file twice
    report = get("json")
    assert json.loads(report.content) == evaluated.result
    assert get("pdf").status_code == 400


def test_a_foreign_evaluation_cannot_be_downloaded(
    agency: Organization,
    evaluated: Evaluation,
    make_user: Callable[[str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    stranger = make_user("stranger@other.example")
    other = create_organization(actor(stranger), CreateOrganization("other", "Other", "agency"))
    client = client_of(stranger)
    for org in (agency.slug, other.slug):
        path = reverse("evaluation_export", kwargs={"org": org, "pk": evaluated.pk, "fmt": "csv"})
        assert client.get(path).status_code == 404
