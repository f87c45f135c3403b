"""The rule registry: well-formed rules, real citations, generated docs, order, speed, the example.

Each rule's firing and quiet cases are in ``test_assess_rules_cases.py``.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from securable import catalog
from securable.assess.findings import Severity
from securable.assess.rules import RULES, rules_markdown, run_rules
from securable.assess.rules.base import Context
from securable.assess.rules.interfaces import EXPOSED
from securable.assess.rules.questions import SECTIONS, place_path
from securable.assess.rules.reading import (
    ACTUATION,
    ACTUATION_HINTS,
    SAFETY_CRITICAL,
    SAFETY_CRITICAL_HINTS,
    mentions,
    off_device_place,
    says_none,
)
from securable.assess.rules.support import LONGEST, Period, period_days, use_period
from securable.product import Product, load_product, question_status
from securable.product.model import NeedsResearch, UseCase, YearRange

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "home-camera" / "securable.yaml"
DOCS = ROOT / "docs" / "rules.md"
TODAY = date(2025, 9, 1)
PREFIXES = {"SUP", "UPD", "DAT", "IFC", "DIS", "COM", "VUL", "RET", "SAF", "QST", "MNS", "MNT", "LOG"}


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(EXAMPLE)


# --- the registry ---------------------------------------------------------------------------------


def test_at_least_twenty_rules_with_unique_well_formed_ids() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) >= 20
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
    for rule_id in ids:
        assert re.fullmatch(r"[A-Z]{3}-\d{3}", rule_id), rule_id
        assert rule_id[:3] in PREFIXES, rule_id


def test_every_rule_is_documented() -> None:
    for rule in RULES:
        assert rule.title[:1].isupper(), rule.id
        assert rule.fires_when.endswith("."), rule.id
        # every rule says how it reads an unanswered field
        assert "ilence" in rule.rationale, f"{rule.id}: the rationale must say whether silence fires"


def test_citations_name_real_sections_questions_and_elements() -> None:
    questions = catalog.load("nistir-8259-questions")
    for rule in RULES:
        citation = rule.citation
        assert citation.section in (*SECTIONS, "3.1-4.2.6"), rule.id
        assert citation.elements, f"{rule.id} cites no catalog element"
        for question in citation.questions:
            assert questions.get(question) is not None, f"{rule.id}: unknown question {question}"
            assert questions.get(question).kind in ("question", "sub-question")  # type: ignore[union-attr]
        for element in citation.elements:
            assert ":" in element, f"{rule.id}: {element} is not qualified"
            assert catalog.resolve(element).qualified_id == element, f"{rule.id}: {element}"


def test_section_titles_match_the_questions_catalog() -> None:
    questions = catalog.load("nistir-8259-questions")
    assert {r.id[1:]: r.title for r in questions if r.kind == "section"} == SECTIONS


def test_docs_are_generated_from_the_rules() -> None:
    text = rules_markdown()
    assert DOCS.read_text(encoding="utf-8") == text, (
        "docs/rules.md is stale: run `.venv/bin/python -m securable.assess.rules > docs/rules.md`"
    )
    for rule in RULES:
        assert f"| [{rule.id}](#{rule.id.lower()}) | {rule.severity.value} |" in text
        assert f"\n## {rule.id}\n" in text


# --- running --------------------------------------------------------------------------------------


def test_the_home_camera_is_a_fairly_good_product(camera: Product) -> None:
    findings = run_rules(camera, today=TODAY)
    # no rule fires: what it leaves out shows in its coverage (`securable check`), not in the rules
    assert [(f.rule, f.path) for f in findings] == []


def test_findings_come_most_severe_first_then_by_rule_and_place(camera: Product) -> None:
    product = camera.model_copy(
        update={
            "updates": None,
            "retirement": None,
            "not_applicable": {"Q4.2.4-1": "no software"},
        }
    )
    findings = run_rules(product, today=date(2032, 1, 1))
    assert {f.severity for f in findings} >= {Severity.HIGH, Severity.MEDIUM, Severity.LOW}
    ranks = [-f.severity.rank for f in findings]
    assert ranks == sorted(ranks)
    for a, b in itertools.pairwise(findings):
        if a.severity is b.severity:
            assert a.rule <= b.rule
    assert findings == run_rules(product, today=date(2032, 1, 1))


def test_question_states_can_be_passed_in(camera: Product) -> None:
    product = camera.model_copy(update={"updates": None})
    states = question_status(product)
    assert run_rules(product, today=TODAY, states=states) == run_rules(product, today=TODAY)


def test_a_subset_of_rules_can_be_run(camera: Product) -> None:
    product = camera.model_copy(update={"updates": None})
    only = [r for r in RULES if r.id == "QST-001"]
    assert {f.rule for f in run_rules(product, today=TODAY, rules=only)} == {"QST-001"}


# --- reading free text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("3 to 6 years; many owners keep it longer", (3 * 365.25, 6 * 365.25)),
        ("about 18 months", (18 * 30.4375, 18 * 30.4375)),
        ("two decades", (7305.0, 7305.0)),
        ("5-7 Years", (5 * 365.25, 7 * 365.25)),
        ("a 10-year life in the field", (10 * 365.25, 10 * 365.25)),
        ("a few hours", None),
        ("several years", None),
        (None, None),
        # rates are not durations, and every duration counts
        ("8 hours a day for 5 to 7 years", (5 * 365.25, 7 * 365.25)),
        ("2 hours per week, for 3 years", (3 * 365.25, 3 * 365.25)),
        ("6 months a year for 10 years", (10 * 365.25, 10 * 365.25)),
        ("4 hours daily; 10 years", (10 * 365.25, 10 * 365.25)),
        ("6 months to 2 years", (6 * 30.4375, 2 * 365.25)),
        ("5 years to a decade", (5 * 365.25, 3652.5)),
        ("between 5 and 7 years", (5 * 365.25, 7 * 365.25)),
        ("a year or two", (365.25, 2 * 365.25)),
        ("one or two years", (365.25, 2 * 365.25)),
        ("a couple of years", (2 * 365.25, 2 * 365.25)),
        ("10 years in offices, 3 years outdoors", (3 * 365.25, 10 * 365.25)),
    ],
)
def test_period_of_use_is_read_from_text(text: str | None, days: tuple[float, float] | None) -> None:
    assert period_days(text) == days


@pytest.mark.parametrize(
    ("years", "text", "period"),
    [
        # the years win over the text, and one end stands for both
        (
            YearRange(min=3, max=6),
            "about 18 months",
            Period((1095.75, 2191.5), "3 to 6 years", "6 years", "period_of_use_years"),
        ),
        (YearRange(max=2), None, Period((730.5, 730.5), "2 years", "2 years", "period_of_use_years")),
        (
            YearRange(min=1.5),
            None,
            Period((547.875, 547.875), "1.5 years", "1.5 years", "period_of_use_years"),
        ),
        (
            YearRange(min=100, max=100),
            None,
            Period((LONGEST, LONGEST), "100 years", "100 years", "period_of_use_years"),
        ),
        # without a number in the years, the text is read
        (YearRange(), "18 months", Period((547.875, 547.875), "'18 months'", "'18 months'", "period_of_use")),
        (None, "several years", None),
        (None, None, None),
    ],
)
def test_period_of_use_comes_from_the_years_else_the_text(
    years: YearRange | None, text: str | None, period: Period | None
) -> None:
    assert use_period(UseCase(id="uc", period_of_use=text, period_of_use_years=years)) == period


@pytest.mark.parametrize(
    ("research", "roles"),
    [
        (NeedsResearch(physical_world="Actuates the door lock."), "acts in the physical world"),
        (NeedsResearch(physical_world="Actuates the door lock.", actuates=False), None),
        (
            NeedsResearch(physical_world="Measures only; no actuation.", actuates=True),
            "acts in the physical world",
        ),
        (NeedsResearch(safety_critical=True), "is safety-critical"),
        (NeedsResearch(physical_world="Life-sustaining therapy.", safety_critical=False), None),
        (
            NeedsResearch(physical_world="Doses insulin.", safety_critical=True),
            "acts in the physical world and is safety-critical",
        ),
        (NeedsResearch(actuates=False, safety_critical=False), None),
    ],
)
def test_safety_relevance_comes_from_the_fields_else_the_text(
    research: NeedsResearch, roles: str | None
) -> None:
    product = Product(securable=1, use_cases=(UseCase(id="uc", research=research),))
    assert Context(product, today=TODAY).safety_roles.get(0) == roles


@pytest.mark.parametrize(
    ("text", "none"),
    [
        ("none", True),
        ("None yet.", True),
        ("No.", True),
        ("N/A", True),
        ("cannot be disabled", True),
        ("Not supported", True),
        ("no rollback", True),
        ("No local web interface; the app uses TLS", False),
        ("nothing", True),
        ("removed from the production image", False),
        ("noted in the manual", False),
        (None, False),
    ],
)
def test_answers_that_say_there_is_nothing(text: str | None, none: bool) -> None:
    assert says_none(text) is none


@pytest.mark.parametrize(
    ("text", "actuation", "critical"),
    [
        ("Actuates the front-door lock.", True, False),
        ("It controls the heater and the pump.", True, False),
        ("Safety-critical infusion pump.", False, True),
        ("Delivers life-sustaining therapy.", False, True),
        ("Measures only (video, audio, motion); no actuation.", False, False),
        ("A failure is not a safety issue; privacy and personal safety matter.", False, False),
        ("Does not actuate anything.", False, False),
        # a negation ends with its clause
        ("It has no screen, but it actuates the front door lock.", True, False),
        ("No display; it actuates the front door lock.", True, False),
        ("No app needed and it controls the heater.", True, False),
        ("Not safety-critical, yet it opens the gate.", True, False),
        ("It does not control the door lock.", False, False),
        ("No remote or local actuation.", False, False),
        ("No actuation, but a safety-critical alarm.", False, True),
    ],
)
def test_safety_relevance_is_read_from_text_with_negation(text: str, actuation: bool, critical: bool) -> None:
    assert mentions(text, ACTUATION, ACTUATION_HINTS) is actuation
    assert mentions(text, ACTUATION) is actuation  # the hints never hide a match
    assert mentions(text, SAFETY_CRITICAL, SAFETY_CRITICAL_HINTS) is critical
    assert mentions(text, SAFETY_CRITICAL) is critical


@pytest.mark.parametrize(
    ("text", "exposed"),
    [
        ("no Wi-Fi, mounted outdoors", True),
        ("no display and mounted outdoors", True),
        ("never moved while in a public lobby", True),
        ("indoors, not in public areas", False),
        ("non-public offices", False),
        ("never outdoors", False),
    ],
)
def test_negation_does_not_reach_past_its_clause(text: str, exposed: bool) -> None:
    assert mentions(text, EXPOSED) is exposed


@pytest.mark.parametrize(
    ("place", "off"),
    [
        ("Acme Cloud (device history)", True),
        ("owner phone, stored locally in the app", True),
        ("hospital server on the local network", True),
        ("vendor-hosted portal", True),
        ("backend of the device service", True),
        ("Acme Cloud", True),
        ("somewhere else entirely", True),
        ("SD card", False),
        ("device flash", False),
        ("secure element", False),
        ("stored locally", False),
    ],
)
def test_places_naming_another_system_are_off_the_device(place: str, off: bool) -> None:
    assert off_device_place(place) is off


def test_update_rules_say_when_updates_count_as_offered() -> None:
    # UPD-002 and UPD-003 fire unless updates.available is false (an unanswered `available` does
    # not hide an answer that says how updates are installed); the docs say so
    by_id = {r.id: r for r in RULES}
    for rule_id in ("UPD-002", "UPD-003"):
        assert by_id[rule_id].fires_when.endswith(", unless `updates.available` is false."), rule_id
        assert "while updates are offered" not in by_id[rule_id].fires_when


def test_places_of_open_answers_become_paths() -> None:
    assert place_path("use_cases[0].research.interference") == ("use_cases", 0, "research", "interference")
    assert place_path("means[2] (m-x).robustness") == ("means", 2, "robustness")
    assert place_path("needs[0] (need-x): no means addresses it") == ("needs", 0)
    assert place_path("means (no device means yet)") == ("means",)


# --- half-written files ---------------------------------------------------------------------------


def _skeleton(value: object, key: str = "") -> object:
    """The same shape with the answers removed: objects, lists of objects, ids and the labels that
    say what a thing is (kind, category) stay; everything else is unanswered (None)."""
    if isinstance(value, dict):
        return {k: _skeleton(v, k) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [_skeleton(v) for v in value]
    return value if key in ("id", "securable", "kind", "category") else None


def test_rules_never_fail_on_half_written_files(camera: Product) -> None:
    data = camera.model_dump(mode="json")
    optional = [name for name, info in Product.model_fields.items() if info.default is None]
    products = [Product.model_validate(_skeleton(data)), Product.model_validate({"securable": 1})]
    products += [camera.model_copy(update={name: None}) for name in optional]
    for product in products:
        for finding in run_rules(product, today=TODAY):
            assert finding.message
            assert finding.fix


def test_only_rules_documented_to_read_silence_fire_on_an_unanswered_file(camera: Product) -> None:
    shell = Product.model_validate(_skeleton(camera.model_dump(mode="json")))
    fired = {f.rule for f in run_rules(shell, today=TODAY)}
    reads_silence = {r.id for r in RULES if "Silence fires" in " ".join(r.rationale.split())} | {"QST-001"}
    assert fired <= reads_silence
    assert fired >= {"QST-001", "DAT-003", "DAT-004", "DIS-001", "RET-002"}
