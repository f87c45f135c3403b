"""The terminal report: what matters first. A header, one line per NISTIR 8259 activity, the findings
(rule findings by severity, then coverage gaps grouped per capability) with their place in the file,
and then, per target, the sums by capability and by NISTIR 8228 area and the status of each
requirement.

Tables wrap their last column to ``options.width`` (the CLI passes the terminal's), so the same
width gives the same text everywhere.
"""

from __future__ import annotations

from securable.assess.activities import words
from securable.assess.coverage import Coverage, Group, Result, Status
from securable.assess.findings import Severity
from securable.assess.report import Assessment, product_label
from securable.rendering.formats import RenderOptions
from securable.rendering.layout import block, table, wrap

_SHORT = {
    Status.MET_BY_DEVICE: "device",
    Status.MET_BY_OTHER_MEANS: "other",
    Status.PARTIAL: "partial",
    Status.GAP: "gap",
    Status.NOT_APPLICABLE: "n/a",
    Status.CUSTOMER_ACTION: "customer",
}
_COUNT_HEADERS = ("DEVICE", "OTHER", "PARTIAL", "GAP", "N/A", "CUSTOMER")


def render_text(assessment: Assessment, options: RenderOptions) -> str:
    width = options.width
    parts = [_header(assessment, width), _activities(assessment, width), _findings(assessment, width)]
    for coverage in assessment.coverage:
        parts.append(_target(coverage, width))
    return "\n".join(parts)


def _activities(assessment: Assessment, width: int) -> str:
    rows = [(f"{a.number} ({a.section})", f"{a.title}: {words(a)}") for a in assessment.activities]
    return "== NISTIR 8259 activities\n" + table(("ACTIVITY", "QUESTIONS AND FINDINGS"), rows, width=width)


def _header(assessment: Assessment, width: int) -> str:
    q = assessment.questions
    findings = ", ".join(f"{assessment.count(s)} {s.value}" for s in Severity)
    return (
        f"Securable check: {product_label(assessment.product)}\n"
        + block(
            [
                ("file", assessment.file),
                ("as of", assessment.date.isoformat()),
                (
                    "questions",
                    f"{q['answered']} answered, {q['open']} open, {q['not-applicable']} not applicable "
                    f"(of {q['total']} NISTIR 8259 questions)",
                ),
                ("findings", findings),
            ],
            width=width,
        )
        + _known_requirements(assessment, width)
    )


def _known_requirements(assessment: Assessment, width: int) -> str:
    """The laws, regulations and standards the file names, when it names any: they decide which
    findings matter to whom."""
    known = [k.words() for k in assessment.product.known_requirements()]
    return block([("known requirements", known)], width=width) if known else ""


def summary_line(coverage: Coverage) -> str:
    totals = coverage.totals
    parts = [
        f"{totals[Status.MET_BY_DEVICE]} met by the device",
        f"{totals[Status.MET_BY_OTHER_MEANS]} met by other means",
        f"{totals[Status.PARTIAL]} partly met",
        f"{totals[Status.GAP]} gaps",
        f"{totals[Status.NOT_APPLICABLE]} not applicable",
    ]
    if totals[Status.CUSTOMER_ACTION]:
        parts.append(f"{totals[Status.CUSTOMER_ACTION]} customer actions")
    return f"{totals['total']} requirements: " + ", ".join(parts)


def _counts(group: Group) -> list[str]:
    return [str(group.counts[s.value]) for s in Status]


def _target(coverage: Coverage, width: int) -> str:
    target = coverage.target
    title = f"== {target.kind} {target.id}: {target.title}"
    lines = [title, summary_line(coverage), ""]
    lines.append(
        table(
            ("CAPABILITY", *_COUNT_HEADERS, "TITLE"),
            [(g.id, *_counts(g), g.title) for g in coverage.capabilities],
            width=width,
        )
    )
    lines.append(
        table(
            ("NISTIR 8228 AREA", *_COUNT_HEADERS, "REQUIREMENTS"),
            [(g.title, *_counts(g), str(g.counts["total"])) for g in coverage.areas],
            width=width,
        )
    )
    rows = [_row(r) for r in coverage.results]
    lines.append(table(("REQUIREMENT", "STATUS", "TITLE AND HOW"), rows, width=width))
    return "\n".join(lines)


def _row(result: Result) -> tuple[str, str, str]:
    how = ""
    if result.means:
        by = ", ".join(
            f"{u.means} ({u.kind or 'kind not given'}{'' if u.coverage == 'full' else ', partly'})"
            for u in result.means
        )
        how = f" | by {by}"
    if result.reason:
        how += f" | {result.reason}"
    return result.requirement.id, _SHORT[result.status], result.requirement.title + how


def _findings(assessment: Assessment, width: int) -> str:
    if not assessment.findings:
        return "== findings\nnone\n"
    room = max(40, width - 4)
    lines = [f"== findings ({len(assessment.findings)})"]
    for located in assessment.findings:
        finding = located.finding
        lines.append(
            f"{finding.severity.value:<6}  {finding.rule}  {assessment.file}:{located.line}:{located.column}"
        )
        lines.extend("    " + line for line in wrap(finding.message, room))
        lines.extend("    " + line for line in wrap(f"fix: {finding.fix}", room))
    return "\n".join(lines) + "\n"
