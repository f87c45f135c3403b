"""The vendor comparison's bottom line: the summary per vendor read from its package, silent requirements
told apart, SP 800-53 component definitions read through NIST's mappings, priorities, the CSV and XLSX
requirement table, plain words and the contract clause table at any width."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import jsonschema_rs
import pytest
from openpyxl import load_workbook

from evaluation_builders import component, component_definition, requirement, requirements_profile, write
from htmlcheck import accessibility_problems
from securable import catalog as api
from securable.agency.evaluation.evaluate import MET, Evaluation, evaluate, priority
from securable.agency.evaluation.facts import TOPICS
from securable.agency.evaluation.report import (
    MAPPED,
    NOT_ADDRESSED,
    NOT_DETAILED,
    cell,
    render,
    render_bytes,
    summary,
)
from securable.agency.evaluation.requirements_profile import read_requirements, requirements_from_document
from securable.agency.evaluation.vendors import VendorSource, read_vendor, read_vendors, realized_by
from securable.agency.requirements.priority import BASELINES
from securable.cli import main
from securable.package.keys import fingerprint, load_public_key
from securable.rendering.formats import RenderOptions

ROOT = Path(__file__).resolve().parents[1]
AGENCY = ROOT / "examples" / "agency"
THIRD_PARTY = ROOT / "tests" / "data" / "oscal" / "third-party-sp800-53.component.json"
NIST_SCHEMA = ROOT / "upstream" / "sources" / "oscal-json-schemas" / "v1.2.1" / "oscal_component_schema.json"
SCHEMA = ROOT / "src" / "securable" / "data" / "schemas" / "evaluation.schema.json"
TODAY = date(2025, 10, 1)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The agency example's two vendors, each package signed with the vendor's own key."""
    from securable.package.build import build_package
    from securable.package.keys import keygen

    folder = tmp_path_factory.mktemp("vendors")
    for name, product in (
        ("aerolume", ROOT / "examples" / "federal-env-sensor" / "securable.yaml"),
        ("northwind", AGENCY / "vendor-b" / "securable.yaml"),
    ):
        keygen(folder / f"{name}.key", folder / f"{name}.pem")
        build_package(
            product, folder / name, key=folder / f"{name}.key", vex=None, pdf=False, strict=False, today=TODAY
        )
    return folder


@pytest.fixture(scope="module")
def example(packages: Path) -> Evaluation:
    sources = [VendorSource(n, packages / n, packages / f"{n}.pem") for n in ("aerolume", "northwind")]
    ev = evaluate(read_requirements(AGENCY / "moderate-requirements.json"), read_vendors(sources))
    from dataclasses import replace

    return replace(ev, date="2026-12-05")


def _summary(ev: Evaluation, vendor: int) -> dict[str, str]:
    return dict(summary(ev, vendor))


# ---- the summary per vendor -----------------------------------------------------------------------


def test_the_summary_states_what_separates_the_example_vendors(example: Evaluation, packages: Path) -> None:
    aerolume, northwind = _summary(example, 0), _summary(example, 1)
    assert aerolume["support period"].startswith("until 2041-04-30 (about 14 years left)")
    assert northwind["support period"].startswith("until 2034-03-31")
    assert aerolume["end of life"] == "2042-04-30"
    assert northwind["end of life"] == "not stated"
    assert aerolume["SBOM"].startswith("CycloneDX 1.6, ")
    assert aerolume["SBOM"].endswith("signed (listed in the verified manifest)")
    assert northwind["SBOM"] == "none in the package"
    assert "security@aerolume.example.com" in aerolume["vulnerability reporting"]
    assert "over the air" in aerolume["update policy"]
    assert aerolume["product"] == "Aerolume EnviroNode 400 version 1.4"
    assert aerolume["evaluated on"] == "2026-12-05"
    assert aerolume["package date"] == TODAY.isoformat()
    # Each package names the fingerprint of the key it verified against: two vendors, two keys.
    for name, line in (("aerolume", aerolume), ("northwind", northwind)):
        expected = fingerprint(load_public_key(packages / f"{name}.pem"))
        assert line["signature"] == f"verified, key {expected}"
    assert aerolume["signature"] != northwind["signature"]
    # Northwind states no end of life, no SBOM, nothing on network, sensors or data.
    unstated = northwind["unstated topics"]
    for title in ("end of life", "software bill of materials", "network use", "sensors", "data collected"):
        assert title in unstated
    assert aerolume["unstated topics"] == "none"


def test_the_bottom_line_leads_every_format(example: Evaluation) -> None:
    table = render(example, "table", RenderOptions(width=100))
    assert table.index("== Bottom line ==") < table.index("== Summary: aerolume ==")
    assert table.index("== Summary: northwind ==") < table.index("== Requirements that decide ==")
    assert table.index("== Requirements that decide ==") < table.index("== Requirements side by side ==")
    words = " ".join(table.split())  # wrapped to the width
    assert "northwind: meets" in words
    assert "no SBOM" in words
    assert "states nothing on end of life" in words
    markdown = render(example, "markdown")
    assert (
        markdown.index("## Bottom line")
        < markdown.index("## Summary: aerolume")
        < markdown.index("## Vendors")
    )
    page = render(example, "html")
    assert accessibility_problems(page) == []
    assert page.index('id="bottom-line"') < page.index('id="vendor-summaries"') < page.index('id="vendors"')
    data = json.loads(render(example, "json"))
    errors = [
        f"{e.instance_path}: {e.message}"
        for e in jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8"))).iter_errors(data)
    ]
    assert errors == []
    facts = {s["vendor"]: s["facts"] for s in data["summaries"]}
    assert facts["aerolume"]["support_end"] == "2041-04-30"
    assert facts["aerolume"]["sbom_signed"]
    assert facts["northwind"]["end_of_life"] is None
    assert facts["northwind"]["sbom"] is None
    assert "sbom" in facts["northwind"]["unstated"]
    assert data["date"] == "2026-12-05"
    assert data["deciding"] == [row.item.record.id for row in example.deciding()]


def test_a_single_component_definition_has_no_facts_to_summarize(tmp_path: Path) -> None:
    doc = component_definition("Solo", component("hardware", "Solo", requirement("di-1.1")))
    vendor = read_vendor(VendorSource("solo", write(tmp_path / "solo.json", doc)))
    ev = evaluate(requirements_from_document(requirements_profile(["di-1.1"]), name="r"), [vendor])
    facts = _summary(ev, 0)
    assert facts["support period"] == "unknown: a single component definition does not say"
    assert facts["signature"] == "none (a single file)"
    assert facts["evaluated on"] == "not recorded"  # nothing in the library reads the clock


def test_an_unverified_package_says_its_sbom_signature_was_not_checked(packages: Path) -> None:
    vendor = read_vendor(VendorSource("aerolume", packages / "aerolume"))  # no key given
    ev = evaluate(read_requirements(AGENCY / "moderate-requirements.json"), [vendor])
    facts = _summary(ev, 0)
    assert facts["SBOM"].endswith("listed in the manifest, whose signature was not checked (no key given)")
    assert facts["signature"].startswith("not checked (no key given); the manifest names key sha256:")


def test_a_broken_product_description_leaves_the_facts_out_with_a_warning(
    packages: Path, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "northwind"
    shutil.copytree(packages / "northwind", copy)
    (copy / "machine" / "product.json").write_text('{"product": {"a": 1, "a": 2}}', encoding="utf-8")
    vendor = read_vendor(VendorSource("northwind", copy))  # no key: the tampered file is read anyway
    assert vendor.ok
    assert not vendor.facts.read
    assert any("product.json could not be read" in w for w in vendor.warnings)
    ev = evaluate(read_requirements(AGENCY / "moderate-requirements.json"), [vendor])
    assert _summary(ev, 0)["support period"] == "unknown: the package has no product description"


# ---- silent, in two kinds, and answers in prose -------------------------------------------------------


def test_silent_requirements_tell_a_coarser_claim_from_no_claim(tmp_path: Path) -> None:
    """A shared claim for DP-3.1 (through 8259A-DP.1) names none of the records inside it: they are
    not claimed at this level of detail; DI-1.2 has nothing above it claimed at all."""
    doc = component_definition(
        "Coarse",
        component("hardware", "Coarse", more=[("nistir-8259a.oscal.json", [requirement("_8259a-dp.1")])]),
    )
    vendor = read_vendor(VendorSource("coarse", write(tmp_path / "c.json", doc)))
    ev = evaluate(
        requirements_from_document(requirements_profile(["dp-3.1.1", "di-1.2"]), name="r"), [vendor]
    )
    verdicts = {r.item.record.id: r.verdicts[0] for r in ev.rows}
    assert verdicts["DP-3.1.1"].status == verdicts["DI-1.2"].status == "silent"
    assert (cell(verdicts["DP-3.1.1"]), cell(verdicts["DI-1.2"])) == (NOT_DETAILED, NOT_ADDRESSED)
    assert verdicts["DP-3.1.1"].note.startswith(
        "not claimed at this level of detail: the vendor claims DP-3.1 ("
    )
    assert verdicts["DI-1.2"].note == ""
    counts = _summary(ev, 0)["requirements"]
    assert f"1 not claimed at this level of detail, 1 {NOT_ADDRESSED}" in counts
    asked = {q.requirements: q.text for q in ev.questions}
    assert "claims what contains DP-3.1.1 as a whole, without naming it" in asked[("DP-3.1.1",)]
    assert "Your component definition does not mention it" in asked[("DI-1.2",)]


def test_topics_answered_in_prose_are_named(example: Evaluation) -> None:
    aerolume = example.evaluated[0]
    assert {t.key for t in TOPICS} == set(aerolume.facts.answered)
    prose = _summary(example, 0)["answered in prose"]
    assert "event logging (" in prose
    assert " CSA requirements not claimed)" in prose
    markdown = render(example, "markdown")
    assert "Silent requirements whose topic the vendor's documents answer in prose:" in markdown
    assert "- the vendor's documents describe event logging in prose: CSA-" in markdown


# ---- third-party component definitions over SP 800-53 ---------------------------------------------


def test_the_third_party_test_file_is_valid_against_nists_schema() -> None:
    schema = json.loads(NIST_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema_rs.validator_for(schema)
    doc = json.loads(THIRD_PARTY.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(doc)] == []
    # ... and it claims SP 800-53 controls only, as most third-party component definitions do
    sources = {
        i["source"] for c in doc["component-definition"]["components"] for i in c["control-implementations"]
    }
    assert all("SP800-53/rev5" in s for s in sources)


def test_sp800_53_claims_are_mapped_never_claimed() -> None:
    vendor = read_vendor(VendorSource("kestrel", THIRD_PARTY))
    assert vendor.ok
    assert [w for w in vendor.warnings if "xx-99" in w]  # the control SP 800-53 does not have
    assert vendor.claims
    assert all(c.mapped_from for c in vendor.claims)
    ev = evaluate(read_requirements(AGENCY / "moderate-requirements.json"), [vendor])
    verdicts = {r.item.record.id: r.verdicts[0] for r in ev.rows}
    # Every record NIST maps AC-7 to that the profile requires is mapped, not met.
    ac7 = {r.id for r in api.records_mapped_to("ac-7") if r.catalog == "sp800-213a"} & set(verdicts)
    assert ac7
    for record in ac7:
        assert verdicts[record].mapped
        assert cell(verdicts[record]) == MAPPED
        assert verdicts[record].status == "partial"
        assert "mapped, not claimed: the vendor claims SP 800-53 AC-7" in verdicts[record].note
    assert not any(v.status in MET for v in verdicts.values())
    # The customer's PE-3 stays the customer's.
    pe3 = {r.id for r in api.records_mapped_to("pe-3") if r.catalog == "sp800-213a"} & set(verdicts)
    assert pe3
    assert all(cell(verdicts[r]) == f"{MAPPED}, customer" for r in pe3)
    mapped = sum(1 for v in verdicts.values() if v.mapped)
    assert _summary(ev, 0)["requirements"].endswith(
        f"; {mapped} of them only mapped from SP 800-53 controls the vendor claims"
    )
    mapped_questions = [q for q in ev.questions if "claims SP 800-53 controls that NIST maps to" in q.text]
    assert mapped_questions
    assert {r for q in mapped_questions for r in q.requirements} == {
        r for r, v in verdicts.items() if v.mapped
    }
    data = json.loads(render(ev, "json"))
    row = next(r for r in data["evaluation"] if r["id"] in ac7)
    assert row["verdicts"]["kestrel"]["mapped"] is True
    assert {c["mapped_from"] for c in row["verdicts"]["kestrel"]["claims"]} == {"ac-7"}


# ---- priorities -----------------------------------------------------------------------------------


def test_priorities_from_the_controls_and_the_core_baseline() -> None:
    core = {r for b in BASELINES for record in api.load(b) for r in realized_by(record)}
    low = set(api.load("sp800-53r5").baselines["LOW"])
    assert "DI-4" in core
    assert "DI-1.1" in core
    assert "LAI-2.1.3" not in core
    assert "cm-2" in low
    assert "ac-7" in low
    assert "ia-3" not in low
    profile = requirements_profile(
        ["di-4", "di-1.1", "lai-2.1.3", "dc-1", "ds-5.7", "dp-3.1.1"],
        calls={"di-4": ["cm-2"], "di-1.1": ["ia-3"], "lai-2.1.3": ["ac-7"], "ds-5.7": ["cm-7"]},
        added={"ds-5.7": "sensors hang in public lobbies"},
    )
    got = {w.record.id: priority(w) for w in requirements_from_document(profile, name="r").items}
    assert got == {
        "DI-1.1": 3,  # core, but only a MODERATE control calls for it
        "DI-4": 1,  # core, and a LOW control calls for it
        "DC-1": 1,  # core, and the profile does not say which control calls for it
        "DP-3.1.1": 3,
        "LAI-2.1.3": 2,  # a LOW control, not core
        "DS-5.7": 1,  # added by the agency
    }


def test_the_deciding_requirements_put_differences_first(example: Evaluation) -> None:
    deciding = example.deciding()
    assert deciding
    assert all(r.priority == 1 for r in deciding)
    assert len(deciding) < len(example.rows) // 5  # a few, not hundreds
    differ = [len({v.status in MET for v in r.verdicts}) == 2 for r in deciding]
    assert differ == sorted(differ, reverse=True)
    assert any(differ)


# ---- CSV and XLSX -----------------------------------------------------------------------------------


def test_csv_and_xlsx_hold_the_same_rows(example: Evaluation) -> None:
    text = render(example, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["priority", "id"]
    assert len(rows) == len(example.rows) + 1
    order = {"decides": 1, "high": 2, "normal": 3}
    assert [order[r[0]] for r in rows[1:]] == sorted(order[r[0]] for r in rows[1:])
    book = load_workbook(io.BytesIO(render_bytes(example, "xlsx")))
    sheet = book.active
    assert sheet is not None
    cells = [["" if c is None else str(c) for c in line] for line in sheet.iter_rows(values_only=True)]
    assert cells == rows
    assert render_bytes(example, "xlsx") == render_bytes(example, "xlsx")  # reproducible


def test_spreadsheet_cells_never_run_as_formulas(tmp_path: Path) -> None:
    doc = component_definition(
        "Evil", component("hardware", '=HYPERLINK("http://evil.example","x")', requirement("di-1.1"))
    )
    vendor = read_vendor(VendorSource("@evil", write(tmp_path / "evil.json", doc)))
    ev = evaluate(requirements_from_document(requirements_profile(["di-1.1"]), name="r"), [vendor])
    rows = list(csv.reader(io.StringIO(render(ev, "csv"))))
    assert rows[0][7] == "'@evil: verdict"
    assert rows[1][8].startswith("'=HYPERLINK(")
    sheet = load_workbook(io.BytesIO(render_bytes(ev, "xlsx"))).active
    assert sheet is not None
    assert sheet.cell(row=2, column=9).data_type == "s"  # a string, not a formula
    assert str(sheet.cell(row=2, column=9).value).startswith("'=HYPERLINK(")


def test_the_cli_writes_xlsx_to_a_file(
    packages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "requirements.xlsx"
    code = main(
        [
            "evaluate", "--requirements", str(AGENCY / "moderate-requirements.json"),
            f"aerolume={packages / 'aerolume'}", f"northwind={packages / 'northwind'}",
            "--key", f"aerolume={packages / 'aerolume.pem'}",
            "--key", f"northwind={packages / 'northwind.pem'}",
            "--format", "xlsx", "-o", str(out), "--date", "2026-12-05",
        ]
    )  # fmt: skip
    assert code == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.max_row == 370
    code = main(
        [
            "evaluate",
            "--requirements",
            str(AGENCY / "moderate-requirements.json"),
            str(THIRD_PARTY),
            "--date",
            "soon",
        ]
    )
    assert code == 2
    assert "--date 'soon' is not a date" in capsys.readouterr().err


# ---- plain words and the clause table ------------------------------------------------------------------


def test_reports_speak_plain_words(example: Evaluation) -> None:
    for fmt in ("table", "markdown", "html"):
        text = render(example, fmt, RenderOptions(width=120))
        assert "means m-" not in text, fmt
        assert "several records realize together" not in text, fmt
        assert "claimed through 8259A" not in text, fmt
    markdown = render(example, "markdown")
    # a means is named by its title in the vendor's product description
    assert "Aerolume Cloud console with PIV-backed single sign-on" in markdown
    assert "the vendor cites NISTIR 8259A's “" in markdown


@pytest.mark.parametrize("width", [80, 160])
def test_the_clause_table_wraps_every_column(example: Evaluation, width: int) -> None:
    table = render(example, "table", RenderOptions(width=width))
    section = table[table.index("== Contract clauses ==") :].splitlines()[1:]
    head = section[0]
    start = head.index("WHAT THE CONTRACT SAYS")
    lines = [line for line in section[2:] if not line.startswith("note:")]
    assert all(len(line) <= width for line in lines)
    # The clause text gets at least half the width: never squeezed into ~20 characters.
    assert width - start >= width // 2
    text = [line[start:] for line in lines if len(line) > start]
    assert max(len(t) for t in text) >= (width - start) * 3 // 4
    # ... and each column wraps: no line of the first two columns runs into the clause text
    assert all(line[start - 2 : start] == "  " for line in lines if len(line) > start)


def test_the_demo_signs_each_vendor_with_its_own_key() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    evaluate_line = makefile[makefile.index("EVALUATE =") : makefile.index("SYSLIBS")]
    keys = [
        part.split("=", 1)[1]
        for part in evaluate_line.split()
        if part.startswith(("aerolume=$(KEYS)", "northwind=$(KEYS)"))
    ]
    assert len(keys) == 2
    assert keys[0] != keys[1]
    northwind_key = keys[1].replace("public", "private")
    assert f"agency-vendor-b --key {northwind_key}" in makefile


def test_the_requirements_report_leads_with_the_ones_that_decide() -> None:
    from securable.agency.requirements.derive import derive, from_baseline
    from securable.agency.requirements.report import render as render_requirements

    req = derive(from_baseline("moderate"))
    data = json.loads(render_requirements(req, "json"))
    ranked = {item["id"]: item["priority"] for item in (*data["technical"], *data["support"])}
    assert set(ranked.values()) == {1, 2, 3}
    assert all("priority" not in item for item in data["agency"])  # the agency's own duties
    first = sorted(r for r, p in ranked.items() if p == 1)
    # The same requirements decide in the evaluation of the example, which is this baseline's profile.
    assert first == sorted(
        r.item.record.id
        for r in evaluate(read_requirements(AGENCY / "moderate-requirements.json"), []).deciding()
    )
    markdown = render_requirements(req, "markdown")
    assert markdown.index("## Requirements that decide (") < markdown.index("## 1. Device cybersecurity")
    page = render_requirements(req, "html")
    section = page[page.index('<section aria-labelledby="deciding">') :]
    assert section[: section.index("</section>")].count("<li>") == len(first)
