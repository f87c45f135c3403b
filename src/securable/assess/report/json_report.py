"""The JSON report: a documented, stable shape for scripts (``data/schemas/assessment.schema.json``).

``format`` is 1; fields are only ever added within a format version, never renamed or removed.
Every status and severity key is always present, with 0 when nothing has it, so scripts can read
``coverage[0].totals.gap`` without checking first.
"""

from __future__ import annotations

import json
from typing import Any

from securable import __version__
from securable.assess.coverage import Coverage, Group, Result
from securable.assess.findings import Severity
from securable.assess.report import FORMAT_VERSION, Assessment, Located
from securable.rendering.formats import RenderOptions


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    info = assessment.product.product
    return {
        "format": FORMAT_VERSION,
        "tool": {"name": "securable", "version": __version__},
        "date": assessment.date.isoformat(),
        "product": {
            "file": assessment.file,
            "name": info.name if info else None,
            "manufacturer": info.manufacturer if info else None,
            "model": info.model if info else None,
            "version": info.version if info else None,
            "known_requirements": [
                {"name": k.name, "kind": k.kind, "jurisdiction": k.jurisdiction, "reference": k.reference}
                for k in assessment.product.known_requirements()
            ],
        },
        "questions": dict(assessment.questions),
        "activities": [
            {
                "number": a.number,
                "section": a.section,
                "title": a.title,
                "questions": dict(a.questions),
                "findings": dict(a.findings),
            }
            for a in assessment.activities
        ],
        "coverage": [_coverage(c) for c in assessment.coverage],
        "findings": [_finding(f) for f in assessment.findings],
        "summary": {
            "findings": {s.value: assessment.count(s) for s in Severity}
            | {"total": len(assessment.findings)},
        },
    }


def render_json(assessment: Assessment, options: RenderOptions) -> str:
    return json.dumps(assessment_to_json(assessment), ensure_ascii=False, indent=2) + "\n"


def _coverage(coverage: Coverage) -> dict[str, Any]:
    target = coverage.target
    return {
        "target": {
            "id": target.id,
            "kind": target.kind,
            "title": target.title,
            "file": target.file,
        },
        "totals": dict(coverage.totals),
        "capabilities": [_group(g, areas=True) for g in coverage.capabilities],
        "areas": [_group(g, areas=False) for g in coverage.areas],
        "requirements": [_result(r) for r in coverage.results],
    }


def _group(group: Group, *, areas: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": group.id, "title": group.title}
    if areas:
        data["areas"] = list(group.areas)
    data["counts"] = dict(group.counts)
    return data


def _result(result: Result) -> dict[str, Any]:
    requirement = result.requirement
    return {
        "id": requirement.id,
        "title": requirement.title,
        "capability": requirement.capability,
        "areas": list(requirement.areas),
        "party": requirement.party,
        "status": result.status.value,
        "reason": result.reason,
        "means": [
            {
                "id": use.means,
                "kind": use.kind,
                "coverage": use.coverage,
                "via": list(use.via),
                "notes": list(use.notes),
            }
            for use in result.means
        ],
    }


def _finding(located: Located) -> dict[str, Any]:
    finding = located.finding
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "fix": finding.fix,
        "citation": {
            "section": finding.citation.section,
            "questions": list(finding.citation.questions),
            "elements": list(finding.citation.elements),
        },
        "path": list(finding.path),
        "line": located.line,
        "column": located.column,
        "related": [list(p) for p in finding.related],
    }
