"""The report of ``securable verify``: one line of verdict and a line per problem, or JSON."""

from __future__ import annotations

import json

from securable.package.manifest import VerifyReport, display_path
from securable.rendering import formats
from securable.rendering.formats import RenderOptions

WRITERS = {
    "table": "securable.package.verify_report:render_text",
    "json": "securable.package.verify_report:render_json",
}
FORMATS = tuple(WRITERS)


def render(report: VerifyReport, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("verification report", WRITERS, report, fmt, options)


def render_json(report: VerifyReport, options: RenderOptions) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def render_text(report: VerifyReport, options: RenderOptions) -> str:
    # Paths are printed escaped: a file name that is not UTF-8 must not break the report.
    where = display_path(str(report.directory))
    what = " ".join(display_path(w) for w in (report.product_name, report.product_version) if w)
    what = f"{what}, " if what else ""
    if report.ok:
        return (
            f"OK: {where}: {what}{report.files_checked} files match the manifest "
            f"signed by {report.key_fingerprint}\n"
        )
    count = len(report.problems)
    lines = [f"FAILED: {where}: {what}{count} problem{'s' if count != 1 else ''}\n"]
    for problem in report.problems:
        at = f"{problem.path}: " if problem.path and not problem.message.startswith("refused") else ""
        lines.append(f"  {problem.kind:<18} {at}{problem.message}\n")
    return "".join(lines)
