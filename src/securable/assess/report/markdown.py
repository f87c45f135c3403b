"""The Markdown report, for pull-request comments, wikis and release notes: the header, one row per
NISTIR 8259 activity, the findings, then the coverage of each target."""

from __future__ import annotations

from securable.assess.activities import words
from securable.assess.coverage import Coverage, Group, Result, Status
from securable.assess.findings import Severity
from securable.assess.report import Assessment, product_label
from securable.assess.report.text import summary_line
from securable.rendering.formats import RenderOptions
from securable.textsafety import markdown

_LABEL = {
    Status.MET_BY_DEVICE: "met by the device",
    Status.MET_BY_OTHER_MEANS: "met by other means",
    Status.PARTIAL: "partly met",
    Status.GAP: "**gap**",
    Status.NOT_APPLICABLE: "not applicable",
    Status.CUSTOMER_ACTION: "customer action",
}
_COUNT_HEADERS = "| device | other means | partial | gap | n/a | customer |"


def render_markdown(assessment: Assessment, options: RenderOptions) -> str:
    q = assessment.questions
    lines = [
        f"# Securable check: {_cell(product_label(assessment.product))}",
        "",
        f"- file: `{assessment.file}`",
        f"- as of: {assessment.date.isoformat()}",
        f"- NISTIR 8259 questions: {q['answered']} answered, {q['open']} open, "
        f"{q['not-applicable']} not applicable (of {q['total']})",
        "- findings: " + ", ".join(f"{assessment.count(s)} {s.value}" for s in Severity),
    ]
    known = assessment.product.known_requirements()
    if known:
        lines.append("- known requirements:")
        lines += [f"  - {_cell(k.words())}" for k in known]
    lines += _activities(assessment)
    lines += _findings(assessment)  # before the coverage tables: what to act on leads
    for coverage in assessment.coverage:
        lines += _target(coverage)
    return "\n".join(lines) + "\n"


def _activities(assessment: Assessment) -> list[str]:
    lines = ["", "## NISTIR 8259 activities", "", "| activity | section | title | questions and findings |"]
    lines.append("|---|---|---|---|")
    lines += [f"| {a.number} | {a.section} | {a.title} | {words(a)} |" for a in assessment.activities]
    return lines


_cell = markdown  # the one Markdown sanitiser (securable.textsafety)


def _counts(group: Group) -> str:
    return " | ".join(str(group.counts[s.value]) for s in Status)


def _target(coverage: Coverage) -> list[str]:
    target = coverage.target
    lines = ["", f"## {target.kind.capitalize()} `{target.id}`: {_cell(target.title)}", ""]
    lines += [summary_line(coverage) + ".", "", "### By capability", ""]
    lines += [f"| capability | title {_COUNT_HEADERS}", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| `{g.id}` | {_cell(g.title)} | {_counts(g)} |" for g in coverage.capabilities]
    lines += ["", "### By NISTIR 8228 risk mitigation area", ""]
    lines += [f"| area {_COUNT_HEADERS} requirements |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {g.title} | {_counts(g)} | {g.counts['total']} |" for g in coverage.areas]
    lines += ["", "### Requirements", "", "| requirement | status | title | how |", "|---|---|---|---|"]
    lines += [_row(r) for r in coverage.results]
    return lines


def _row(result: Result) -> str:
    how = [
        f"`{u.means}` ({u.kind or 'kind not given'}{'' if u.coverage == 'full' else ', partly'})"
        for u in result.means
    ]
    if result.reason:
        how.append(_cell(result.reason))
    return (
        f"| `{result.requirement.id}` | {_LABEL[result.status]} | {_cell(result.requirement.title)} "
        f"| {'; '.join(how)} |"
    )


def _findings(assessment: Assessment) -> list[str]:
    lines = ["", f"## Findings ({len(assessment.findings)})", ""]
    if not assessment.findings:
        return [*lines, "None."]
    lines += ["| severity | rule | where | finding | fix |", "|---|---|---|---|---|"]
    for located in assessment.findings:
        f = located.finding
        lines.append(
            f"| {f.severity.value} | {f.rule} | `{assessment.file}:{located.line}:{located.column}` "
            f"| {_cell(f.message)} | {_cell(f.fix)} |"
        )
    return lines
