"""SARIF 2.1.0, so CI systems (code scanning, merge-request widgets) show findings next to the file.

One run; the driver lists every rule that can report (ID, title, description, help text and a link
to its documentation); each result names its rule, has the level of its severity
(:attr:`Severity.sarif_level`), the message with the fix, and the product file with the line and
column of the value the finding points at. Output is deterministic: no timestamps, no absolute paths
that were not given, stable order.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from securable import __version__
from securable.assess.report import DOCS_BASE_URL, Assessment, Located, RuleInfo
from securable.rendering.formats import RenderOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = DOCS_BASE_URL + "rules.md"


def sarif_document(assessment: Assessment) -> dict[str, Any]:
    index = {rule.id: i for i, rule in enumerate(assessment.rules)}
    uri = _uri(assessment.file)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "securable",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(rule) for rule in assessment.rules],
                    }
                },
                "artifacts": [{"location": {"uri": uri}, "mimeType": "application/yaml"}],
                "columnKind": "unicodeCodePoints",
                "results": [_result(located, uri, index) for located in assessment.findings],
                "properties": {"assessmentDate": assessment.date.isoformat()},
            }
        ],
    }


def render_sarif(assessment: Assessment, options: RenderOptions) -> str:
    return json.dumps(sarif_document(assessment), ensure_ascii=False, indent=2) + "\n"


def _uri(path: str) -> str:
    """A URI reference for the product file: relative paths stay relative (CI resolves them against
    the checkout), absolute ones become ``file://`` URIs."""
    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(path)


def _rule(rule: RuleInfo) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(
            w.capitalize() for w in "".join(c if c.isalnum() else " " for c in rule.title).split()
        ),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.fires_when},
        "help": {"text": f"{rule.fires_when}\n\n{rule.rationale}"},
        "helpUri": DOCS_BASE_URL + rule.doc,
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": {"severity": rule.severity.value},
    }


def _result(located: Located, uri: str, index: dict[str, int]) -> dict[str, Any]:
    finding = located.finding
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": finding.severity.sarif_level,
        "message": {"text": f"{finding.message.rstrip('.')}. Fix: {finding.fix.rstrip('.')}."},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "index": 0},
                    "region": {"startLine": located.line, "startColumn": located.column},
                },
                "logicalLocations": [{"fullyQualifiedName": _dotted(finding.path) or "(document)"}],
            }
        ],
        "properties": {
            "severity": finding.severity.value,
            "section": finding.citation.section,
            "questions": list(finding.citation.questions),
            "elements": list(finding.citation.elements),
        },
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
