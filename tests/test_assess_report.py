"""The assessment and its four renderings: schema-valid JSON, official-schema-valid SARIF with the
right lines, deterministic output, golden files for the example products."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from golden import assert_golden
from securable.assess.profiles import load_profile
from securable.assess.report import Assessment, build_assessment, fails, render
from securable.assess.report.json_report import assessment_to_json
from securable.assess.report.sarif import sarif_document
from securable.assess.requirements import BASELINES, baseline_target
from securable.cli.dates import run_date
from securable.errors import UsageError
from securable.product import load_document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*/securable.yaml"))
PROFILE = ROOT / "examples" / "profiles" / "medical-device.yaml"
SCHEMA = ROOT / "src" / "securable" / "data" / "schemas" / "assessment.schema.json"
SARIF_SCHEMA = ROOT / "upstream" / "sources" / "formats" / "sarif" / "sarif-schema-2.1.0.json"
DAY = date(2025, 10, 1)


def assess(path: Path, *, profiles: bool = True, everything: bool = False) -> Assessment:
    names = BASELINES if everything else ("nistir-8259a", "nistir-8259b")
    targets = [baseline_target(n) for n in names]
    if profiles:
        targets.append(load_profile(PROFILE.relative_to(ROOT)))
    loaded = load_document(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return build_assessment(loaded, targets, today=DAY)


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # reports name the file as given: relative paths keep goldens portable
    monkeypatch.setenv("COLUMNS", "100")


def errors(schema: dict[str, Any], document: Any, *, draft4: bool = False) -> list[str]:
    validator: Any = (
        jsonschema_rs.Draft4Validator(schema, validate_formats=True)
        if draft4
        else jsonschema_rs.validator_for(schema)
    )
    return [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(document)]


def test_json_matches_its_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert jsonschema_rs.meta.is_valid(schema)
    for example in EXAMPLES:
        data = json.loads(render(assess(example, everything=True), "json"))
        assert data["format"] == 1
        assert errors(schema, data) == []
        assert [c["target"]["id"] for c in data["coverage"]] == [*BASELINES, "medical-device"]


def test_sarif_is_valid_2_1_0_with_the_lines_of_the_findings(tmp_path: Path) -> None:
    # The official SARIF 2.1.0 schema is JSON Schema draft-04 ("id", not "$id"): validate as such.
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    product = tmp_path / "securable.yaml"
    product.write_text(
        "securable: 1\n"
        "product:\n"
        "  name: Test device\n"
        "means:\n"
        "  - id: m-one\n"
        "    kind: device\n"
        "    catalog: [nistir-8259a:8259A-SU.2]\n"
        "    status: partial\n",
        encoding="utf-8",
    )
    assessment = assess(product, profiles=False)
    document = sarif_document(assessment)
    assert errors(schema, document, draft4=True) == []
    run = document["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(rule_ids)
    assert {"COV-001", "COV-002"} <= set(rule_ids)
    partial = next(r for r in run["results"] if r["ruleId"] == "COV-002")
    assert partial["level"] == "note"
    assert partial["locations"][0]["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 5}
    assert rule_ids[partial["ruleIndex"]] == "COV-002"
    gap = next(r for r in run["results"] if r["ruleId"] == "COV-001")
    assert gap["level"] == "warning"
    assert gap["locations"][0]["physicalLocation"]["region"]["startLine"] == 5  # the means list
    lines = product.read_text(encoding="utf-8").splitlines()
    for result in run["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert 1 <= region["startLine"] <= len(lines)
    for example in EXAMPLES:
        assert errors(schema, sarif_document(assess(example)), draft4=True) == []


def test_every_finding_points_at_its_path() -> None:
    for example in EXAMPLES:
        assessment = assess(example)
        loaded = load_document(example.relative_to(ROOT))
        for located in assessment.findings:
            assert (located.line, located.column) == loaded.position(located.finding.path)


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "sarif"])
def test_same_input_and_date_give_byte_identical_output(fmt: str) -> None:
    first = render(assess(EXAMPLES[0]), fmt)
    assert render(assess(EXAMPLES[0]), fmt) == first
    assert "2025-10-01" in first


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "sarif"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_golden_reports_of_the_examples(example: Path, fmt: str) -> None:
    suffix = {"table": "txt", "json": "json", "markdown": "md", "sarif": "sarif.json"}[fmt]
    assert_golden(f"assess/{example.parent.name}.{suffix}", render(assess(example), fmt))


def test_json_summary_counts_the_findings() -> None:
    assessment = assess(EXAMPLES[0])
    data = assessment_to_json(assessment)
    counts = data["summary"]["findings"]
    assert (
        counts["total"] == len(data["findings"]) == sum(counts[s] for s in ("high", "medium", "low", "info"))
    )
    assert fails(assessment, "info") == bool(assessment.findings)
    assert not fails(assessment, "none")


def test_the_run_date() -> None:
    assert run_date("2024-02-29", {}) == date(2024, 2, 29)
    assert run_date(None, {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2023, 11, 14)
    assert run_date("2024-01-02", {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2024, 1, 2)
    assert run_date(None, {}) == datetime.now(UTC).date()  # a UTC day, wherever the run happens
    with pytest.raises(UsageError):
        run_date("2024-02-30", {})
    with pytest.raises(UsageError):
        run_date(None, {"SOURCE_DATE_EPOCH": "soon"})


@pytest.mark.parametrize("given", ["20240101", "2024W011", "", "2024-1-01"])
def test_the_assessment_date_must_be_written_as_the_help_says(given: str) -> None:
    with pytest.raises(UsageError, match="is not a date"):
        run_date(given, {})


def test_rule_findings_lead_by_severity_then_one_coverage_finding_per_capability() -> None:
    from securable.assess.findings import Severity

    for example in EXAMPLES:
        assessment = assess(example, everything=True)
        rules = [f.finding.rule for f in assessment.findings]
        first_cov = next((i for i, r in enumerate(rules) if r.startswith("COV-")), len(rules))
        assert not any(r.startswith("COV-") for r in rules[:first_cov])
        assert all(r.startswith("COV-") for r in rules[first_cov:])
        ranks = [f.finding.severity.rank for f in assessment.findings[:first_cov]]
        assert ranks == sorted(ranks, reverse=True)
        # every gap or partly met requirement is listed in exactly one finding, with its capability's
        listed: dict[str, list[str]] = {"COV-001": [], "COV-002": []}
        capabilities = {
            r.requirement.id: r.requirement.capability for c in assessment.coverage for r in c.results
        }
        for located in assessment.findings[first_cov:]:
            finding = located.finding
            assert finding.severity is (Severity.MEDIUM if finding.rule == "COV-001" else Severity.LOW)
            assert len({capabilities[e] for e in finding.citation.elements}) == 1
            assert finding.message.startswith(capabilities[finding.citation.elements[0]] + " (")
            for element in finding.citation.elements:
                assert element.partition(":")[2] in finding.message
            listed[finding.rule] += finding.citation.elements
        expected: dict[str, set[str]] = {"gap": set(), "partial": set()}
        for coverage in assessment.coverage:
            for result in coverage.results:
                if result.status.value in expected:
                    expected[result.status.value].add(result.requirement.id)
        assert sorted(listed["COV-001"]) == sorted(expected["gap"])
        assert sorted(listed["COV-002"]) == sorted(expected["partial"] - expected["gap"])
        groups = {capabilities[e] for e in listed["COV-001"]}
        assert len([f for f in rules if f == "COV-001"]) == len(groups) < len(listed["COV-001"])


def test_each_activity_sums_its_questions_and_the_findings_that_cite_it() -> None:
    from securable.assess.activities import activity_of_finding

    for example in EXAMPLES:
        assessment = assess(example)
        activities = assessment.activities
        assert [a.number for a in activities] == [1, 2, 3, 4, 5, 6]
        for key in ("answered", "open", "not-applicable", "total"):
            assert sum(a.questions[key] for a in activities) == assessment.questions[key]
        for activity in activities:
            cited = [f for f in assessment.findings if activity_of_finding(f.finding) == activity.number]
            assert activity.findings["total"] == len(cited)
        text = render(assessment, "table")
        assert text.index("== NISTIR 8259 activities") < text.index("== findings") < text.index("== baseline")
