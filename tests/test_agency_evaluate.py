"""Vendors against an agency's requirements: every verdict branch, vendor errors that leave the other
vendors evaluated, the requirements profile reader, the contract checklist and the four reports."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from evaluation_builders import (
    component,
    component_definition,
    requirement,
    requirements_profile,
    write,
)
from golden import assert_golden
from htmlcheck import accessibility_problems
from securable import catalog as api
from securable.agency.evaluation.clauses import THEMES, checklist
from securable.agency.evaluation.evaluate import MET, STATUSES, Evaluation, baseline_named, evaluate, named
from securable.agency.evaluation.report import render
from securable.agency.evaluation.requirements_profile import read_requirements, requirements_from_document
from securable.agency.evaluation.vendors import VendorSource, read_vendor, read_vendors
from securable.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 10, 1)  # the build day, used only where a product states no release date
SCHEMA = ROOT / "src" / "securable" / "data" / "schemas" / "evaluation.schema.json"
EXAMPLE = ROOT / "examples" / "agency" / "moderate-requirements.json"

TECHNICAL = [
    "di-1.1",
    "di-1.2",
    "dc-1",
    "dp-3.1",
    "dp-3.1.1",
    "dp-3.1.2",
    "lai-2.1",
    "lai-2.1.1",
    "su-1.1",
    "su-1.2",
    "csa-1.1",
    "ds-5.7",
]
SUPPORT = ["doc-1.a.1.1", "ea-1.a.1.1"]
AGENCY = ["fpn-lai-1.a5", "fpn-dp-7.a1", "fpn-ma-6.a1"]


def several(element: str) -> str:
    """The note on a claim through a baseline element that several records realize together."""
    return (
        f"the vendor cites {baseline_named(element)}, which NIST meets with several requirements together; "
        "the vendor does not say which of them the product meets"
    )


def whole(element: str, capability: str) -> str:
    """The note on a claim through a baseline element that a whole capability realizes."""
    return (
        f"the vendor cites {baseline_named(element)} as a whole; NIST meets that with the whole {capability} "
        "capability, and the vendor does not say which of its parts the product meets"
    )


def alpha() -> dict[str, Any]:
    """A package-like vendor: device, gateway, cloud and support, one claim for each branch."""
    return component_definition(
        "Alpha Sensor: capabilities",
        component(
            "hardware",
            "Alpha Sensor",
            requirement("di-1.1", means=["m-id"]),
            requirement("dc-1", status="partial"),
            requirement("dp-3.1", roles=["provider", "customer"]),
            requirement("lai-2.1.1", status="partial"),
            requirement("su-1"),
            requirement("csa-1.1", roles=["customer"], means=["m-agency-logs"]),
        ),
        component("hardware", "Alpha Hub", requirement("di-1.2")),
        component("service", "Alpha Cloud", requirement("dc-1")),
        component("process-procedure", "Alpha Support", requirement("doc-1.a.1.1")),
        manufacturer="Alpha Inc.",
    )


def beta() -> dict[str, Any]:
    """A hand-written vendor: no hardware, a NISTIR 8259A source, OSCAL's implementation-status."""
    return component_definition(
        "Beta Controller",
        component("service", "Beta Cloud", requirement("csa-1.1", roles=(), statement_roles=["customer"])),
        component(
            "software",
            "Beta Controller",
            requirement("di-1.1", status="planned", status_prop="implementation-status"),
            requirement("lai-2.1.1", roles=["customer"]),
            more=[("nistir-8259a.oscal.json", [requirement("_8259a-dp.1")])],
        ),
        component("physical", "Beta Enclosure", requirement("ds-5.7")),
        component("policy", "Beta Policy", requirement("doc-1.a.1.1", status=None)),
        component(
            "service",
            "Beta Other",
            requirement("ac-2"),
            source="https://example.com/ISO-27001-2022_controls.json",
        ),
    )


def gamma() -> dict[str, Any]:
    return component_definition(
        "Gamma", component("hardware", "Gamma", requirement("xx-9"), requirement("di-1.1"))
    )


def delta() -> dict[str, Any]:
    doc = alpha()
    del doc["component-definition"]["components"][0]["uuid"]
    return doc


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Evaluation:
    monkeypatch.chdir(tmp_path)  # relative paths in the reports keep the golden file portable
    monkeypatch.setenv("COLUMNS", "100")
    profile = requirements_profile(
        [*TECHNICAL, *SUPPORT],
        AGENCY,
        calls={"di-1.1": ["ia-3"], "ds-5.7": ["cm-7"]},
        added={"ds-5.7": "sensors hang in public lobbies"},
    )
    write(tmp_path / "requirements.json", profile)
    sources = []
    for name, doc in (("alpha", alpha()), ("beta", beta()), ("gamma", gamma()), ("delta", delta())):
        write(tmp_path / f"{name}.json", doc)
        sources.append(VendorSource(name, Path(f"{name}.json")))
    return evaluate(read_requirements(Path("requirements.json")), read_vendors(sources))


def statuses(ev: Evaluation, vendor: int) -> dict[str, str]:
    return {row.item.record.id: row.verdicts[vendor].status for row in ev.rows}


# ---- verdicts -------------------------------------------------------------------------------------


def test_every_status_branch_for_a_package_like_vendor(scenario: Evaluation) -> None:
    assert statuses(scenario, 0) == {
        "DI-1.1": "met-by-device",
        "DI-1.2": "met-by-related-device",  # the second hardware component
        "DC-1": "met-by-service",  # a full claim by the cloud beats a partial one by the device
        "DP-3.1": "met-by-device",
        "DP-3.1.1": "met-by-device",  # claimed for DP-3.1 as a whole
        "DP-3.1.2": "met-by-device",
        "LAI-2.1": "partial",  # only its sub-element LAI-2.1.1 is claimed
        "LAI-2.1.1": "partial",
        "SU-1.1": "partial",  # claimed for sub-capability SU-1 as a whole: names no element in it
        "SU-1.2": "partial",
        "CSA-1.1": "customer-burden",
        "DS-5.7": "silent",
        "DOC-1.a.1.1": "met-by-non-technical",
        "EA-1.a.1.1": "silent",
    }
    rows = {row.item.record.id: row.verdicts[0] for row in scenario.rows}
    assert rows["DP-3.1"].customer_share
    assert rows["DP-3.1"].note == "the customer carries part of it"
    assert rows["DP-3.1.1"].via == "DP-3.1"
    assert (
        rows["DP-3.1.1"].note == f"claimed for {named('DP-3.1')} as a whole; the customer carries part of it"
    )
    assert rows["LAI-2.1"].parts == ("LAI-2.1.1",)
    assert rows["LAI-2.1.1"].note == "the vendor says its means are only partly in place"
    assert rows["SU-1.1"].via == "SU-1"
    assert rows["SU-1.1"].note == f"claimed for {named('SU-1')} as a whole, not for this requirement"
    assert [c.component.title for c in rows["DC-1"].claims] == ["Alpha Sensor", "Alpha Cloud"]
    assert rows["CSA-1.1"].claims[0].means == ("m-agency-logs",)
    assert not rows["CSA-1.1"].customer_share  # the customer carries all of it, not a share


def test_every_status_branch_for_a_hand_written_vendor(scenario: Evaluation) -> None:
    assert statuses(scenario, 1) == {
        "DI-1.1": "partial",  # implementation-status: planned
        "DI-1.2": "silent",
        "DC-1": "silent",
        # through 8259A-DP.1, which NIST says DP-3.1 realizes together with five other records:
        # partial for each of them, as `securable check` counts it, and nothing for what they contain
        "DP-3.1": "partial",
        "DP-3.1.1": "silent",
        "DP-3.1.2": "silent",
        "LAI-2.1": "customer-burden",  # only the customer, and only for a part
        "LAI-2.1.1": "customer-burden",
        "SU-1.1": "silent",
        "SU-1.2": "silent",
        "CSA-1.1": "met-by-service",
        "DS-5.7": "met-by-related-device",  # a physical component
        "DOC-1.a.1.1": "met-by-non-technical",  # no status: taken at its word
        "EA-1.a.1.1": "silent",
    }
    beta_vendor = scenario.evaluated[1]
    assert [(c.title, c.role) for c in beta_vendor.components] == [
        ("Beta Cloud", "service"),
        ("Beta Controller", "device"),  # no hardware: the first software component is the device
        ("Beta Enclosure", "related-device"),
        ("Beta Policy", "non-technical"),
        ("Beta Other", "service"),
    ]
    dp = next(r for r in scenario.rows if r.item.record.id == "DP-3.1").verdicts[1]
    assert dp.note == several("8259A-DP.1")
    csa = next(r for r in scenario.rows if r.item.record.id == "CSA-1.1").verdicts[1]
    assert csa.customer_share  # the customer role sits on a statement
    lai = next(r for r in scenario.rows if r.item.record.id == "LAI-2.1").verdicts[1]
    assert lai.parts == ("LAI-2.1.1",)
    assert len(beta_vendor.warnings) == 1
    assert "components[4].control-implementations[0]: skipped" in beta_vendor.warnings[0]


def test_partial_claims_shared_with_the_customer(tmp_path: Path) -> None:
    doc = component_definition(
        "Shared",
        component(
            "hardware",
            "Shared",
            requirement("lai-2.1.1", status="partial", roles=["provider", "customer"]),
            requirement("lai-2.1.2", roles=["customer"]),
        ),
    )
    vendor = read_vendor(VendorSource("shared", write(tmp_path / "shared.json", doc)))
    req = requirements_from_document(requirements_profile(["lai-2.1", "lai-2.1.1", "lai-2.1.2"]), name="r")
    ev = evaluate(req, [vendor])
    verdicts = {r.item.record.id: r.verdicts[0] for r in ev.rows}
    assert verdicts["LAI-2.1.1"].status == "partial"
    assert verdicts["LAI-2.1.1"].customer_share
    assert verdicts["LAI-2.1"].status == "partial"  # parts: a partial provider claim and a customer one
    assert verdicts["LAI-2.1"].customer_share
    assert verdicts["LAI-2.1.2"].status == "customer-burden"


def test_parts_add_up_at_every_level(tmp_path: Path) -> None:
    """A part met through its own parts counts as met; a sub-capability a profile selects is met by
    its elements; the note names each part with the means nearest the device that meets it."""
    doc = component_definition(
        "Parts",
        component(
            "hardware",
            "Parts",
            requirement("di-1.1"),
            requirement("di-1.2"),
            requirement("lai-1.2.1"),
            requirement("lai-1.2.2", status="partial"),
        ),
        component(
            "service",
            "Parts Cloud",
            requirement("di-1.3"),
            *(requirement(f"lai-1.2.2.{n}") for n in range(1, 7)),
        ),
    )
    vendor = read_vendor(VendorSource("parts", write(tmp_path / "parts.json", doc)))
    req = requirements_from_document(requirements_profile(["di-1", "lai-1.2"]), name="r")
    verdicts = {r.item.record.id: r.verdicts[0] for r in evaluate(req, [vendor]).rows}
    assert {k: v.status for k, v in verdicts.items()} == {
        "DI-1": "met-by-service",
        # the device claims LAI-1.2.2 only partly; the cloud meets every sub-element of it
        "LAI-1.2": "met-by-service",
    }
    di, lai = verdicts["DI-1"], verdicts["LAI-1.2"]
    assert di.note == "met through its parts: DI-1.1 (device), DI-1.2 (device), DI-1.3 (service)"
    assert di.parts == ("DI-1.1", "DI-1.2", "DI-1.3")
    assert lai.note == "met through its parts: LAI-1.2.1 (device), LAI-1.2.2 (service)"
    assert lai.parts == ("LAI-1.2.1", "LAI-1.2.2", *(f"LAI-1.2.2.{n}" for n in range(1, 7)))


def test_totals_per_capability_and_overall(scenario: Evaluation) -> None:
    totals = {t.id: t for t in scenario.totals}
    assert list(totals) == ["DI", "DC", "DP", "LAI", "SU", "CSA", "DS", "DOC", "EA"]
    assert totals["DP"].count == 3
    assert totals["DP"].section == "technical"
    assert totals["DOC"].section == "support"
    assert totals["DI"].per_vendor[0] == {
        **dict.fromkeys(STATUSES, 0),
        "met-by-device": 1,
        "met-by-related-device": 1,
    }
    overall = scenario.overall(0)
    assert sum(overall.values()) == len(scenario.rows) == 14
    assert overall["silent"] == 2


def test_questions_name_the_open_requirements_per_sub_capability(scenario: Evaluation) -> None:
    alpha_questions = [q for q in scenario.questions if q.vendor == "alpha"]
    assert [(q.kind, q.group, q.requirements) for q in alpha_questions] == [
        ("partial", "LAI-2", ("LAI-2.1", "LAI-2.1.1")),
        ("partial", "SU-1", ("SU-1.1", "SU-1.2")),
        ("customer-burden", "CSA-1", ("CSA-1.1",)),
        ("silent", "DS-5", ("DS-5.7",)),
        ("silent", "EA-1", ("EA-1.a.1.1",)),
    ]
    silent = alpha_questions[3].text
    assert silent.startswith("DS-5 Secure Device Operation: how does Alpha Sensor meet DS-5.7?")
    assert "LAI-2.1 and LAI-2.1.1 only in part" in alpha_questions[0].text
    errors = {q.vendor: q.text for q in scenario.questions if q.kind == "error"}
    assert set(errors) == {"gamma", "delta"}
    assert "Which catalog and version" in errors["gamma"]
    assert "passes `securable oscal validate`" in errors["delta"]


# ---- vendor errors --------------------------------------------------------------------------------


def test_failed_vendors_are_reported_and_the_others_evaluated(scenario: Evaluation) -> None:
    assert [v.name for v in scenario.evaluated] == ["alpha", "beta"]
    assert len(scenario.failed) == 2
    gamma_vendor, delta_vendor = scenario.failed
    assert gamma_vendor.error is not None
    assert gamma_vendor.error.kind == "unknown-controls"
    assert [p.path for p in gamma_vendor.error.problems] == [
        "$.component-definition.components[0].control-implementations[0].implemented-requirements[0].control-id"
    ]
    assert "'xx-9' names no record of sp800-213a" in gamma_vendor.error.problems[0].message
    assert delta_vendor.error is not None
    assert delta_vendor.error.kind == "invalid-oscal"
    assert delta_vendor.error.problems[0].path == "$.component-definition.components[0]"
    assert "'uuid'" in delta_vendor.error.problems[0].message


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        (None, "unreadable", "no such file or folder"),
        ("", "unreadable", "file is empty"),
        ("{not json", "not-oscal", "not valid JSON"),
        ('{"catalog": {}}', "not-oscal", "wrong model type"),
        ('{"hello": 1}', "not-oscal", "no OSCAL model key"),
    ],
)
def test_unusable_vendor_files(tmp_path: Path, content: str | None, kind: str, message: str) -> None:
    path = tmp_path / "vendor.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    vendor = read_vendor(VendorSource("v", path))
    assert vendor.error is not None
    assert (vendor.error.kind, vendor.signature) == (kind, "not-a-package")
    assert message in vendor.error.message


def _make_fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)  # nobody writes to it: opening it for reading would block
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_make_fifo, "is a named pipe"),
        (lambda tmp_path: tmp_path / ("L" * 300 + ".json"), "path too long"),
        (lambda tmp_path: tmp_path / (("d" * 200 + "/") * 25 + "v.json"), "path too long"),
    ],
)
def test_vendor_paths_that_name_no_regular_file_fail_that_vendor(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    # Called through the library (no CLI check in front): classified before anything opens it.
    vendor = read_vendor(VendorSource("v", make(tmp_path)))
    assert vendor.error is not None
    assert vendor.error.kind == "unreadable"
    assert message in vendor.error.message


def test_a_folder_without_a_component_definition(tmp_path: Path) -> None:
    vendor = read_vendor(VendorSource("v", tmp_path))
    assert vendor.kind == "package"
    assert vendor.error is not None
    assert vendor.error.kind == "unreadable"
    assert "machine/oscal/component-definition.json" in vendor.error.message


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A signed package of the federal example, its public key, and another vendor's key."""
    from securable.package.build import build_package
    from securable.package.keys import keygen

    folder = tmp_path_factory.mktemp("vendor")
    keygen(folder / "key.pem", folder / "public.pem")
    keygen(folder / "other.pem", folder / "other-public.pem")
    example = ROOT / "examples" / "federal-env-sensor" / "securable.yaml"
    build_package(
        example, folder / "pkg", key=folder / "key.pem", vex=None, pdf=False, strict=False, today=TODAY
    )
    return folder / "pkg", folder / "public.pem", folder / "other-public.pem"


def test_packages_verified_unchecked_and_failed(package: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pkg, public, other = package
    ok, unchecked, wrong = read_vendors(
        [VendorSource("ok", pkg, public), VendorSource("unchecked", pkg), VendorSource("wrong", pkg, other)]
    )
    assert (ok.signature, ok.ok, ok.product) == ("verified", True, "Aerolume EnviroNode 400")
    assert ok.manufacturer == "Aerolume Systems LLC"
    assert [c.role for c in ok.components] == ["device", "related-device", "service", "non-technical"]
    assert (unchecked.signature, unchecked.ok) == ("not-checked", True)
    assert (wrong.signature, wrong.ok) == ("failed", False)
    assert wrong.error is not None
    assert wrong.error.kind == "verification"
    assert wrong.error.problems[0].message.startswith("wrong-key:")


def test_a_tampered_package_fails_verification(package: tuple[Path, Path, Path], tmp_path: Path) -> None:
    import shutil

    pkg, public, _ = package
    copy = tmp_path / "pkg"
    shutil.copytree(pkg, copy)
    target = copy / "machine" / "oscal" / "component-definition.json"
    target.write_text(target.read_text(encoding="utf-8").replace('"partial"', '"full"'), encoding="utf-8")
    vendor = read_vendor(VendorSource("t", copy), _public(public))
    assert vendor.error is not None
    assert vendor.error.kind == "verification"
    assert [p.path for p in vendor.error.problems] == ["machine/oscal/component-definition.json"]
    assert vendor.claims == ()  # nothing of a tampered package is believed


def test_a_key_for_a_single_file_is_a_verification_failure(package: tuple[Path, Path, Path]) -> None:
    pkg, public, _ = package
    vendor = read_vendor(
        VendorSource("f", pkg / "machine" / "oscal" / "component-definition.json"), _public(public)
    )
    assert vendor.error is not None
    assert (vendor.error.kind, vendor.signature) == ("verification", "failed")


def test_a_bad_key_file_is_the_agencys_error(package: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pkg, _, _ = package
    with pytest.raises(InputError, match="no such key file"):
        read_vendors([VendorSource("v", pkg, tmp_path / "missing.pem")])


EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/securable.yaml"))


def _evaluate_rank(status: str) -> int:
    return 2 if status in MET else 1 if status == "partial" else 0  # customer-burden, silent: 0


def _check_rank(status: str) -> int:
    return 2 if status.startswith("met-by-") else 1 if status == "partial" else 0  # gap, customer-action


# A product citing, besides an element of its own, NISTIR 8259A records that NIST realizes by a whole
# SP 800-213A capability: DC, DI, LAI and CSA each have sub-capabilities NIST states without elements
# (DC-1 to DC-4, DI-4, LAI-5, CSA-9), which are requirements themselves; SU (for 8259A-SU.3) has none.
WHOLE_CAPABILITIES = """\
securable: 1
product:
  name: Whole Capabilities
  manufacturer: Example Devices Inc.
  model: WC-1
  version: "1.0"
means:
  - id: m-config
    kind: device
    status: full
    catalog:
      - nistir-8259a:8259A-DC
      - nistir-8259a:8259A-DI
      - nistir-8259a:8259A-LAI
      - nistir-8259a:8259A-CSA
      - nistir-8259a:8259A-SU.3
      - sp800-213a:DI-1.1
"""


def _check_and_evaluate(
    product: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> list[tuple[str, str, str, str, str]]:
    """Per SP 800-213A requirement the product does not declare not applicable: its ID, the
    evaluation's verdict on the product's own package and its note, `securable check --baseline
    sp800-213a`'s status, and what the verdict would be had the vendor's side also carried what the
    package leaves to the customer."""
    from securable.cli import main
    from securable.oscal.blocks import oscal_id
    from securable.package.build import build_package

    build_package(product, tmp_path / "pkg", pdf=False, today=TODAY)
    argv = ["check", str(product), "--baseline", "sp800-213a", "--format", "json", "--fail-on", "none"]
    assert main([*argv, "--date", "2025-10-01"]) == 0
    (coverage,) = json.loads(capsys.readouterr().out)["coverage"]
    checked = {r["id"].partition(":")[2]: r["status"] for r in coverage["requirements"]}
    profile = requirements_from_document(
        requirements_profile([oscal_id(record) for record in checked]), name="every sp800-213a requirement"
    )
    vendor = read_vendor(VendorSource(product.parent.name, tmp_path / "pkg"))
    assert vendor.ok, vendor.error
    # check counts the customer's means like any other; an agency asks the vendor about them instead
    credited = replace(
        vendor, claims=tuple(replace(c, provider=c.provider or c.customer) for c in vendor.claims)
    )
    ev, ev_credited = evaluate(profile, [vendor]), evaluate(profile, [credited])
    assert len(ev.rows) == len(checked)
    return [
        (row.item.record.id, row.verdicts[0].status, row.verdicts[0].note, status, other.verdicts[0].status)
        for row, other in zip(ev.rows, ev_credited.rows, strict=True)
        if (status := checked[row.item.record.id]) != "not-applicable"  # nothing to compare a claim with
    ]


def _disagreements(
    compared: list[tuple[str, str, str, str, str]],
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """The requirements the evaluation rates better than check does; those it rates worse, counting
    what the package leaves to the customer as check does; and those both rate met where one says the
    device meets it and the other does not."""
    better = [
        (rid, verdict, status, note)
        for rid, verdict, note, status, _ in compared
        if _evaluate_rank(verdict) > _check_rank(status)
    ]
    worse = [
        (rid, verdict, status, note)
        for rid, verdict, note, status, credited in compared
        if _evaluate_rank(credited) < _check_rank(status)
    ]
    means = [
        (rid, verdict, status, note)
        for rid, verdict, note, status, _ in compared
        if verdict in MET
        and _check_rank(status) == 2
        and (verdict == "met-by-device") != (status == "met-by-device")
    ]
    return better, worse, means


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_package_never_claims_more_than_check_credits(
    example: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an agency's evaluation reads from a product's own package is never better than what
    `securable check --baseline sp800-213a` says of the product (met > partial > the rest), nor worse
    once the customer's share is counted as check counts it, and both name the device alike."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    compared = _check_and_evaluate(ROOT / "examples" / example / "securable.yaml", tmp_path, capsys)
    better, worse, means = _disagreements(compared)
    assert better == []
    assert worse == []
    assert means == []
    found = {verdict for _, verdict, _, _, _ in compared}
    assert "partial" in found  # the comparison is not vacuous
    assert found & set(MET)


def _product(*means: tuple[str, str, list[str]]) -> str:
    """A product description whose means are (kind, status, catalog citations)."""
    lines = [
        "securable: 1",
        "product:",
        "  name: Parts",
        "  manufacturer: Example Devices Inc.",
        "  model: P-1",
        '  version: "1.0"',
        "means:",
    ]
    for n, (kind, status, cited) in enumerate(means, 1):
        lines += [f"  - id: m-{n}", f"    kind: {kind}", f"    status: {status}", "    catalog:"]
        lines += [f"      - {ref}" for ref in cited]
        if kind in ("service", "related-device"):
            lines += ["    provider: manufacturer", f"    provider_name: Example {kind} {n}"]
    return "\n".join(lines) + "\n"


DP_1, DP_2 = "sp800-213a:DP-3.1.1", "sp800-213a:DP-3.1.2"
DOC_ACTIONS = [f"sp800-213a:DOC-1.a.1.{n}" for n in range(1, 8)]  # the sub-actions of DOC-1.a.1


@pytest.mark.parametrize(
    ("means", "expected"),
    [
        pytest.param(
            [("device", "full", [DP_1, DP_2])],
            (
                "DP-3.1",
                "met-by-device",
                "met-by-device",
                "met through its parts: DP-3.1.1 (device), DP-3.1.2 (device)",
            ),
            id="all-parts",
        ),
        pytest.param(
            [("device", "full", [DP_1])],
            (
                "DP-3.1",
                "partial",
                "partial",
                "claimed only for part of it: DP-3.1.1",
            ),
            id="some-parts",
        ),
        pytest.param(
            [("device", "full", [DP_1]), ("service", "full", [DP_2])],
            (
                "DP-3.1",
                "met-by-service",  # the device does not meet it without the service
                "met-by-other-means",
                "met through its parts: DP-3.1.1 (device), DP-3.1.2 (service)",
            ),
            id="parts-of-different-kinds",
        ),
        pytest.param(
            [("device", "full", [DP_1]), ("device", "partial", [DP_2])],
            (
                "DP-3.1",
                "partial",
                "partial",
                "claimed only for its parts: DP-3.1.1, DP-3.1.2; the vendor says its means are only "
                "partly in place",
            ),
            id="a-part-partly-in-place",
        ),
        pytest.param(
            [("device", "full", [DP_1]), ("customer", "full", [DP_2])],
            (
                "DP-3.1",
                "partial",  # check credits the customer; the agency asks the vendor about that part
                "met-by-other-means",
                "claimed only for its parts: DP-3.1.1, DP-3.1.2; the customer carries part of it",
            ),
            id="a-part-left-to-the-customer",
        ),
        pytest.param(
            [("customer", "full", [DP_1, DP_2])],
            (
                "DP-3.1",
                "customer-burden",
                "met-by-other-means",
                "claimed only for its parts: DP-3.1.1, DP-3.1.2",
            ),
            id="every-part-left-to-the-customer",
        ),
        pytest.param(
            # 8259A-DP.1 is realized by DP-3.1 and five other records: partial for DP-3.1 itself,
            # which its parts still meet
            [("device", "full", ["nistir-8259a:8259A-DP.1", DP_1, DP_2])],
            (
                "DP-3.1",
                "met-by-device",
                "met-by-device",
                "met through its parts: DP-3.1.1 (device), DP-3.1.2 (device)",
            ),
            id="a-shared-claim-and-all-parts",
        ),
        pytest.param(
            [("device", "full", ["nistir-8259a:8259A-DP.1", DP_1])],
            (
                "DP-3.1",
                "partial",
                "partial",
                several("8259A-DP.1"),
            ),
            id="a-shared-claim-and-some-parts",
        ),
        pytest.param(
            # 8259A-LAI.3 is realized by LAI-2.1 or both LAI-2.1.1 and LAI-2.1.2: shared by each
            [
                (
                    "device",
                    "full",
                    ["nistir-8259a:8259A-LAI.3", "sp800-213a:LAI-2.1.3", "sp800-213a:LAI-2.1.4"],
                )
            ],
            (
                "LAI-2.1",
                "partial",
                "partial",
                several("8259A-LAI.3"),
            ),
            id="parts-claimed-through-a-shared-baseline-element",
        ),
        pytest.param(
            [("non-technical", "full", DOC_ACTIONS)],
            (
                "DOC-1.a.1",
                "met-by-non-technical",
                "met-by-other-means",
                "met through its parts: "
                + ", ".join(f"DOC-1.a.1.{n} (non-technical support)" for n in range(1, 8)),
            ),
            id="sub-actions",
        ),
        pytest.param(
            # NIST's examples of what a sub-action may include are no part of it
            [("non-technical", "full", [*DOC_ACTIONS[:-1], "sp800-213a:DOC-1.a.1.7.1"])],
            (
                "DOC-1.a.1",
                "partial",
                "partial",
                "claimed only for part of it: " + ", ".join(f"DOC-1.a.1.{n}" for n in range(1, 7)),
            ),
            id="an-example-is-no-part",
        ),
        pytest.param(
            [("non-technical", "full", ["sp800-213a:DOC-1.a.1.7.1"])],
            ("DOC-1.a.1", "silent", "gap", ""),
            id="only-an-example",
        ),
    ],
)
def test_check_and_evaluate_add_up_parts_alike(
    means: list[tuple[str, str, list[str]]],
    expected: tuple[str, str, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An element is met when all its parts are met and partly met when some are, in both commands
    (docs/profiles.md rule 4), whichever means meet the parts; no command credits a claim for the
    element or its parts that it does not read from the product the same way."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    product = tmp_path / "parts" / "securable.yaml"
    product.parent.mkdir()
    product.write_text(_product(*means), encoding="utf-8")
    compared = _check_and_evaluate(product, tmp_path, capsys)
    assert _disagreements(compared) == ([], [], [])
    by_id = {r: (r, v, s, n) for r, v, n, s, _ in compared}
    assert by_id[expected[0]] == expected  # the ID, the verdict, check's status, the note


def test_check_and_evaluate_agree_on_a_capability_realized_by_a_whole_capability(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """8259A-DC is realized by the whole SP 800-213A DC capability: citing it supports each of DC's
    sub-capabilities, without saying which one it meets, so both commands rate DC-1 to DC-4 partial
    (check once rated them gaps while the package claimed them partly) and say why."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    product = tmp_path / "whole" / "securable.yaml"
    product.parent.mkdir()
    product.write_text(WHOLE_CAPABILITIES, encoding="utf-8")
    compared = _check_and_evaluate(product, tmp_path, capsys)
    assert _disagreements(compared) == ([], [], [])
    by_id = {rid: (verdict, note, status) for rid, verdict, note, status, _ in compared}
    for rid, capability, cited in (
        ("DC-1", "DC", "8259A-DC"),
        ("DC-4", "DC", "8259A-DC"),
        ("DI-4", "DI", "8259A-DI"),
        ("LAI-5", "LAI", "8259A-LAI"),
        ("CSA-9", "CSA", "8259A-CSA"),
    ):
        verdict, note, status = by_id[rid]
        assert (verdict, status) == ("partial", "partial"), rid
        assert note == whole(cited, capability)
    # ... and nothing for the elements inside the sub-capabilities, in either command
    for rid in ("DC-5.1", "DI-2.1", "LAI-1.1", "CSA-1.1", "SU-1.1", "SU-2.1"):
        assert (by_id[rid][0], by_id[rid][2]) == ("silent", "gap"), rid
    assert (by_id["DI-1.1"][0], by_id["DI-1.1"][2]) == ("met-by-device", "met-by-device")


def test_a_hand_written_baseline_claim_realized_by_a_whole_capability(tmp_path: Path) -> None:
    """`_8259a-su.3` stands for the whole Software Update capability, that is its sub-capabilities
    together, as a package lists it: no element of them is met. `_8259a-dc` is partial for DC's
    sub-capabilities without elements, which are requirements themselves."""
    doc = component_definition(
        "Rollback",
        component(
            "hardware",
            "Rollback",
            more=[("nistir-8259a.oscal.json", [requirement("_8259a-su.3"), requirement("_8259a-dc")])],
        ),
    )
    vendor = read_vendor(VendorSource("r", write(tmp_path / "r.json", doc)))
    assert [(c.record, c.shared, c.partial, c.realizes) for c in vendor.claims] == [
        ("SU-1", True, True, ("8259A-SU.3",)),
        ("SU-2", True, True, ("8259A-SU.3",)),
        *((f"DC-{n}", True, True, ("8259A-DC",)) for n in range(1, 6)),
    ]
    profile = requirements_profile(["su-1.1", "su-2.1", "dc-1", "dc-5.1"])
    ev = evaluate(requirements_from_document(profile, name="r"), [vendor])
    verdicts = {r.item.record.id: r.verdicts[0] for r in ev.rows}
    assert {k: v.status for k, v in verdicts.items()} == {
        "SU-1.1": "silent",
        "SU-2.1": "silent",
        "DC-1": "partial",
        "DC-5.1": "silent",
    }
    assert verdicts["DC-1"].note == whole("8259A-DC", "DC")


def test_securable_claim_scope_is_read(tmp_path: Path) -> None:
    """A package's `claim-scope: shared` listing is partial and covers nothing inside the record;
    a `capability` listing is partial and covers what it contains partly."""
    from securable.oscal.blocks import NS

    def scoped(control: str, scope: str) -> dict[str, Any]:
        item = requirement(control, status="partial")
        item["props"].append({"name": "claim-scope", "ns": NS, "value": scope})
        return item

    doc = component_definition(
        "Scoped", component("hardware", "Scoped", scoped("lai-4", "shared"), scoped("su-1", "capability"))
    )
    vendor = read_vendor(VendorSource("s", write(tmp_path / "s.json", doc)))
    assert [(c.record, c.shared) for c in vendor.claims] == [("LAI-4", True), ("SU-1", False)]
    req = requirements_from_document(requirements_profile(["lai-4", "lai-4.1", "su-1.1"]), name="s")
    verdicts = {r.item.record.id: r.verdicts[0] for r in evaluate(req, [vendor]).rows}
    assert {k: v.status for k, v in verdicts.items()} == {
        "LAI-4": "partial",
        "LAI-4.1": "silent",
        "SU-1.1": "partial",
    }
    assert verdicts["LAI-4"].note == "claimed together with other records, without saying which one is met"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("implemented", "met-by-device"),
        ("partial", "partial"),
        ("planned", "partial"),
        ("alternative", "partial"),  # another control in place instead: not this one in full
        ("not-applicable", "silent"),  # no claim at all, and certainly not a full one
    ],
)
def test_oscal_implementation_status(tmp_path: Path, status: str, expected: str) -> None:
    doc = component_definition(
        "Statuses",
        component(
            "hardware", "Statuses", requirement("di-1.1", status=status, status_prop="implementation-status")
        ),
    )
    vendor = read_vendor(VendorSource("s", write(tmp_path / "s.json", doc)))
    req = requirements_from_document(requirements_profile(["di-1.1"]), name="s")
    (row,) = evaluate(req, [vendor]).rows
    assert row.verdicts[0].status == expected
    if status == "not-applicable":
        assert vendor.claims == ()


def test_not_applicable_gives_way_to_a_status_in_place(tmp_path: Path) -> None:
    item = requirement("di-1.1", status="not-applicable", status_prop="implementation-status")
    item["props"].append({"name": "means-status", "ns": "https://securable.dev/ns/oscal", "value": "full"})
    doc = component_definition("Mixed", component("hardware", "Mixed", item))
    vendor = read_vendor(VendorSource("m", write(tmp_path / "m.json", doc)))
    assert [(c.record, c.partial) for c in vendor.claims] == [("DI-1.1", False)]


def _public(path: Path) -> Any:
    from securable.package.keys import load_public_key

    return load_public_key(path)


# ---- the requirements profile ---------------------------------------------------------------------


def test_the_example_profile_is_the_moderate_requirements() -> None:
    from securable.agency.requirements import derive
    from securable.agency.requirements.oscal_profile import dumps, to_profile

    expected = dumps(to_profile(derive.derive(derive.from_baseline("moderate"))))
    assert EXAMPLE.read_text(encoding="utf-8") == expected, (
        "examples/agency/moderate-requirements.json is stale: run `securable requirements --baseline "
        "moderate --format oscal -o examples/agency/moderate-requirements.json`"
    )
    req = read_requirements(EXAMPLE)
    result = derive.derive(derive.from_baseline("moderate"))
    assert [w.record.id for w in req.section("technical")] == [r.record.id for r in result.technical]
    assert [w.record.id for w in req.section("support")] == [r.record.id for r in result.support]
    assert [w.record.id for w in req.section("agency")] == [r.record.id for r in result.agency]
    assert req.items[0].calls == ("ia-3",)
    assert req.control_source.startswith("SP 800-53 Rev. 5 MODERATE baseline")


def test_profile_selection_rules() -> None:
    doc = requirements_profile(["di-1"], ["fpn-dp-7"])
    body = doc["profile"]
    body["imports"][0]["include-controls"] = [
        {"with-ids": ["di-1"], "with-child-controls": "yes"},
        {"matching": [{"pattern": "su-2.*"}]},
    ]
    body["imports"][0]["exclude-controls"] = [{"with-ids": ["di-1.3", "zz-1"]}]
    body["imports"][1]["href"] = "../catalogs/federal-profile-2020.oscal.json"
    body["imports"][1]["include-controls"][0]["with-child-controls"] = "yes"
    req = requirements_from_document(doc, name="p.json")
    # DI-1 itself is a sub-capability NIST did not map as a whole, but a profile may still select it.
    assert [w.record.id for w in req.section("technical")] == [
        "DI-1",
        "DI-1.1",
        "DI-1.2",
        "SU-2.1",
        "SU-2.2",
        "SU-2.2.1",
        "SU-2.2.2",
    ]
    assert [w.record.id for w in req.section("agency")] == ["FPN-DP-7.A1", "FPN-DP-7.A2"]
    assert req.warnings == (
        "p.json: imports[0]: exclude-controls names 1 control ID(s) that sp800-213a does not have: zz-1",
    )


def test_include_all_selects_every_control_but_not_capabilities() -> None:
    doc = requirements_profile(["di-1.1"])
    del doc["profile"]["imports"][0]["include-controls"]
    req = requirements_from_document(doc, name="p.json")
    ids = {w.record.id for w in req.items}
    assert "DI-1.1" in ids
    assert "DOC-1" in ids
    assert "DI" not in ids


def test_called_for_by_and_tailoring_are_read(scenario: Evaluation) -> None:
    items = {w.record.id: w for w in scenario.requirements.items}
    assert items["DI-1.1"].calls == ("ia-3",)
    assert items["DS-5.7"].added == "sensors hang in public lobbies"
    assert items["DI-1.2"].calls == ()


def _other_catalog(body: dict[str, Any]) -> None:
    body["imports"][0]["href"] = "NIST_SP-800-53_rev5_catalog.json"


def _unknown_id(body: dict[str, Any]) -> None:
    body["imports"][0]["include-controls"][0]["with-ids"].append("di-99")


def _a_group(body: dict[str, Any]) -> None:
    body["imports"][0]["include-controls"][0]["with-ids"] = ["di"]  # an OSCAL group, not a control


def _nothing_to_evaluate(body: dict[str, Any]) -> None:
    # A supporting capability: neither a device requirement nor an Agency action.
    body["imports"] = [
        {"href": "federal-profile-2020.oscal.json", "include-controls": [{"with-ids": ["fpn-dp-7"]}]}
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_other_catalog, "only sp800-213a.oscal.json"),
        (_unknown_id, "does not have: di-99"),
        (_a_group, "does not have: di$"),
        (_nothing_to_evaluate, "requires nothing"),
    ],
)
def test_bad_requirements_profiles(change: Any, message: str) -> None:
    doc = requirements_profile(["di-1.1"])
    change(doc["profile"])
    with pytest.raises(InputError, match=message):
        requirements_from_document(doc, name="p.json")


def test_an_invalid_or_unreadable_profile_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_requirements(tmp_path / "missing.json")
    doc = requirements_profile(["di-1.1"])
    del doc["profile"]["uuid"]
    with pytest.raises(
        InputError, match=r"not a valid OSCAL 1.2.1 profile: \$.profile: required property 'uuid'"
    ):
        read_requirements(write(tmp_path / "p.json", doc))
    with pytest.raises(InputError, match="expected an OSCAL profile"):
        read_requirements(write(tmp_path / "c.json", alpha()))


# ---- contract clauses -----------------------------------------------------------------------------


def test_clause_themes_cite_real_agency_actions() -> None:
    federal = api.load("federal-profile-2020")
    assert [t.key for t in THEMES] == [
        "vendor-documentation",
        "maintenance-records",
        "data-removal",
        "right-to-audit",
        "third-party-oversight",
    ]
    for theme in THEMES:
        assert theme.actions
        for action in theme.actions:
            record = federal.get(action)
            assert record is not None, action
            assert record.kind == "agency-action"
            assert not action.startswith("FPN-SEED")


def test_checklist_from_the_required_agency_actions(scenario: Evaluation) -> None:
    clauses = {c.theme.key: c for c in scenario.clauses}
    assert [r.id for r in clauses["right-to-audit"].required] == ["FPN-LAI-1.A5"]
    assert [r.id for r in clauses["right-to-audit"].others] == ["FPN-DS-9.A3"]
    assert [r.id for r in clauses["data-removal"].required] == ["FPN-DP-7.A1"]
    assert [r.id for r in clauses["maintenance-records"].required] == ["FPN-MA-6.A1"]
    assert not clauses["vendor-documentation"].on_checklist
    assert not clauses["third-party-oversight"].on_checklist


def test_moderate_puts_every_theme_on_the_checklist() -> None:
    req = read_requirements(EXAMPLE)
    clauses = checklist(w.record.id for w in req.section("agency"))
    assert all(c.on_checklist for c in clauses)
    cited = {r.id for c in clauses for r in c.required}
    assert {"FPN-LAI-1.A5", "FPN-DS-9.A3", "FPN-DP-7.A1", "FPN-DP-7.A2", "FPN-MA-6.A1"} <= cited


# ---- reports --------------------------------------------------------------------------------------


def test_markdown_report_is_golden(scenario: Evaluation) -> None:
    assert_golden("evaluate/scenario.md", render(scenario, "markdown"))


def test_json_report_matches_its_schema(scenario: Evaluation) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert jsonschema_rs.meta.is_valid(schema)
    data = json.loads(render(scenario, "json"))
    errors = [
        f"{e.instance_path}: {e.message}" for e in jsonschema_rs.validator_for(schema).iter_errors(data)
    ]
    assert errors == []
    assert data["format"] == 1
    assert data["exit_code"] == 1
    assert [v["evaluated"] for v in data["vendors"]] == [True, True, False, False]
    assert data["evaluation"][0]["verdicts"]["alpha"]["status"] == "met-by-device"
    assert set(data["evaluation"][0]["verdicts"]) == {"alpha", "beta"}
    assert {s for row in data["evaluation"] for v in row["verdicts"].values() for s in [v["status"]]} == set(
        STATUSES
    )


def test_html_report_is_accessible_and_escapes_vendor_text(tmp_path: Path) -> None:
    doc = component_definition(
        "Evil", component("hardware", "<script>alert(1)</script>", requirement("di-1.1"))
    )
    vendor = read_vendor(VendorSource("<b>evil</b>", write(tmp_path / "evil.json", doc)))
    ev = evaluate(
        requirements_from_document(requirements_profile(["di-1.1"], ["fpn-lai-1.a5"]), name="r"), [vendor]
    )
    page = render(ev, "html")
    assert accessibility_problems(page) == []
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;evil&lt;/b&gt;" in page


def test_html_and_table_with_failed_vendors(scenario: Evaluation) -> None:
    page = render(scenario, "html")
    assert accessibility_problems(page) == []
    assert "not evaluated: unknown catalog elements" in page
    # The customer documents' stylesheet (light and dark), and tables that scroll on a phone.
    from securable.rendering.stylesheet import stylesheet

    assert stylesheet() in page
    assert page.count('<div class="table-wrap"><table>') == page.count("<table>")
    table = render(scenario, "table")
    assert "gamma: 1 implemented requirement names elements" in table
    assert "DS-5.7" in table
    assert "Right to audit" in table


def test_reports_without_any_evaluated_vendor(tmp_path: Path) -> None:
    vendor = read_vendor(VendorSource("gone", tmp_path / "gone.json"))
    ev = evaluate(requirements_from_document(requirements_profile(["di-1.1"]), name="r"), [vendor])
    assert ev.rows[0].verdicts == ()
    assert "No vendor could be evaluated." in render(ev, "markdown")
    assert accessibility_problems(render(ev, "html")) == []
    assert "== Requirements side by side ==" not in render(ev, "table")
