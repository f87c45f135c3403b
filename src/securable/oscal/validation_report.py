"""The report of ``securable oscal validate``: a line per problem (``table``) or JSON, one writer each."""

from __future__ import annotations

import json

from securable.oscal.validate import ValidationReport
from securable.rendering import formats
from securable.rendering.formats import RenderOptions

WRITERS = {
    "table": "securable.oscal.validation_report:render_text",
    "json": "securable.oscal.validation_report:render_json",
}
FORMATS = tuple(WRITERS)


def render(report: ValidationReport, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("validation report", WRITERS, report, fmt, options)


def render_text(report: ValidationReport, options: RenderOptions) -> str:
    if report.ok:
        return f"{report.path}: valid OSCAL {report.model} (schema 1.2.1)\n"
    count = len(report.problems)
    noun = "problem" if count == 1 else "problems"
    lines = [f"{report.path}: {count} {noun} against the OSCAL 1.2.1 {report.model} schema"]
    lines += [f"  {problem.path}: {problem.message}" for problem in report.problems]
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport, options: RenderOptions) -> str:
    data = {
        "file": report.path,
        "model": report.model,
        "valid": report.ok,
        "problems": [{"path": p.path, "message": p.message} for p in report.problems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
