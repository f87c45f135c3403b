"""The evaluation as Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from securable import __version__
from securable.agency.evaluation.clauses import Clause
from securable.agency.evaluation.evaluate import STATUSES, Evaluation
from securable.agency.evaluation.report import (
    ERROR_WORDS,
    LABELS,
    MAX_PROBLEMS,
    MEANINGS,
    SECTION_TITLES,
    SIGNATURE_WORDS,
    bottom_line,
    cell,
    claims_text,
    counts,
    customer_ids,
    four,
    notes,
    priority_notes,
    priority_text,
    problem_text,
    result,
    row_prose,
    summary,
)
from securable.agency.requirements.links import FEDERAL
from securable.rendering.formats import RenderOptions
from securable.textsafety import markdown

_md = markdown  # the one Markdown sanitiser (securable.textsafety)


def to_markdown(ev: Evaluation, options: RenderOptions) -> str:
    req = ev.requirements
    found = counts(ev)
    lines = [
        f"# Vendor evaluation: {_md(req.title)}",
        "",
        f"Requirements: {_md(req.source)}"
        + (f", for the {_md(req.control_source)}" if req.control_source else "")
        + f": {found['technical']} device cybersecurity capabilities, {found['support']} manufacturer "
        f"support requirements and {found['agency']} Agency actions. Evaluated by Securable "
        f"{__version__}: {len(ev.evaluated)} of {len(ev.vendors)} vendors.",
        "",
        *_md_lead(ev),
        *_md_vendors(ev),
        *_md_summary(ev),
        *_md_side_by_side(ev),
        *_md_how(ev),
        *_md_customer(ev),
        *_md_questions(ev),
        *_md_clauses(ev.clauses),
        "## Notes",
        "",
        *(f"- {_md(n)}" for n in notes(ev)),
        *(f"- priority {_md(n)}" for n in priority_notes()),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _md_lead(ev: Evaluation) -> list[str]:
    """The bottom line, one summary per vendor, and the requirements that decide."""
    vendors = ev.evaluated
    if not vendors:
        return []
    lines = ["## Bottom line", "", *(f"- {_md(bottom_line(ev, i))}" for i in range(len(vendors))), ""]
    for i, vendor in enumerate(vendors):
        lines += [f"## Summary: {_md(vendor.name)}", "", "| | |", "|---|---|"]
        lines += [f"| {label} | {_md(value)} |" for label, value in summary(ev, i)]
        lines.append("")
    lines += [
        "## Requirements that decide",
        "",
        "| requirement | " + " | ".join(_md(v.name) for v in vendors) + " |",
        "|---|" + "---|" * len(vendors),
    ]
    for row in ev.deciding():
        text = _md(row.item.record.text or row.item.record.title)
        lines.append(
            f"| **{row.item.record.id}** {text} | " + " | ".join(cell(v) for v in row.verdicts) + " |"
        )
    return [*lines, ""]


def _md_vendors(ev: Evaluation) -> list[str]:
    lines = [
        "## Vendors",
        "",
        "| vendor | product | manufacturer | given as | signature | result |",
        "|---|---|---|---|---|---|",
    ]
    for v in ev.vendors:
        lines.append(
            f"| {_md(v.name)} | {_md(v.product)} | {_md(v.manufacturer)} | {v.kind} {_md(v.path)} | "
            f"{SIGNATURE_WORDS[v.signature]} | {result(v)} |"
        )
    lines.append("")
    for v in ev.vendors:
        if v.error is not None:
            lines += [f"### {_md(v.name)}: {ERROR_WORDS[v.error.kind]}", "", _md(v.error.message), ""]
            lines += [f"- {_md(problem_text(p))}" for p in v.error.problems[:MAX_PROBLEMS]]
            more = len(v.error.problems) - MAX_PROBLEMS
            lines += [f"- and {more} more (see the JSON report)"] if more > 0 else []
            lines += [""] if v.error.problems else []
        if v.warnings:
            lines += [f"### {_md(v.name)}: warnings", "", *(f"- {_md(w)}" for w in v.warnings), ""]
    return lines


def _md_summary(ev: Evaluation) -> list[str]:
    vendors = ev.evaluated
    if not vendors:
        return ["No vendor could be evaluated.", ""]
    head = "| status | " + " | ".join(_md(v.name) for v in vendors) + " |"
    lines = ["## Summary", "", head, "|---|" + "---:|" * len(vendors)]
    totals = [ev.overall(i) for i in range(len(vendors))]
    for status in STATUSES:
        lines.append(f"| {MEANINGS[status]} | " + " | ".join(str(t[status]) for t in totals) + " |")
    lines.append("| **requirements** | " + " | ".join(str(len(ev.rows)) for _ in vendors) + " |")
    lines += ["", "Totals per capability (met / partial / customer / silent):", ""]
    lines += ["| capability | requirements | " + " | ".join(_md(v.name) for v in vendors) + " |"]
    lines += ["|---|---:|" + "---:|" * len(vendors)]
    for t in ev.totals:
        cells = [four(per) for per in t.per_vendor]
        lines.append(f"| {t.id} {_md(t.title)} | {t.count} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _md_side_by_side(ev: Evaluation) -> list[str]:
    vendors = ev.evaluated
    if not vendors:
        return []
    lines = ["## Requirements side by side", ""]
    lines += [f"- **{LABELS[s]}**: {MEANINGS[s]}" for s in STATUSES]
    lines.append("")
    section = capability = ""
    for row in ev.rows:
        record = row.item.record
        if row.item.section != section:
            section = row.item.section
            lines += [] if lines[-1] == "" else [""]
            lines += [f"### {SECTION_TITLES[section]}", ""]
        root = record.id.split("-", 1)[0]
        if root != capability:
            capability = root
            title = next(t.title for t in ev.totals if t.id == root)
            lines += [] if lines[-1] == "" else [""]
            lines += [
                f"#### {root} {_md(title)}",
                "",
                "| requirement | priority | " + " | ".join(_md(v.name) for v in vendors) + " |",
                "|---|---|" + "---|" * len(vendors),
            ]
        text = _md(record.text or record.title)
        if row.item.added:
            text += f" *(added by the agency: {_md(row.item.added)})*"
        cells = " | ".join(cell(v) for v in row.verdicts)
        lines.append(f"| **{record.id}** {text} | {priority_text(row)} | {cells} |")
    return [*lines, ""]


def _md_how(ev: Evaluation) -> list[str]:
    lines = ["## How each vendor meets the requirements", ""]
    for i, vendor in enumerate(ev.evaluated):
        lines += [f"### {_md(vendor.name)}", ""]
        items = [(row, row.verdicts[i]) for row in ev.rows if row.verdicts[i].status != "silent"]
        lines += [] if items else ["Nothing is claimed for any requirement."]
        for row, verdict in items:
            note = f" ({_md(verdict.note)})" if verdict.note else ""
            how = _md(claims_text(verdict, vendor))
            lines.append(f"- **{row.item.record.id}** {cell(verdict)}: {how}{note}")
        coarser = [row for row in ev.rows if row.verdicts[i].coarser]
        if coarser:
            lines += ["", f"Not claimed at this level of detail ({len(coarser)}):", ""]
            lines += [f"- **{row.item.record.id}**: {_md(row.verdicts[i].note)}" for row in coarser]
        prose: dict[str, list[str]] = {}
        for row in ev.rows:
            if text := row_prose(ev, i, row):
                prose.setdefault(text, []).append(row.item.record.id)
        if prose:
            lines += ["", "Silent requirements whose topic the vendor's documents answer in prose:", ""]
            lines += [f"- {_md(p)}: {', '.join(ids)}" for p, ids in prose.items()]
        lines.append("")
    return lines


def _md_customer(ev: Evaluation) -> list[str]:
    lines = ["## Where the customer would carry the burden", ""]
    for i, vendor in enumerate(ev.evaluated):
        carried, shared = customer_ids(ev, i)
        name = _md(vendor.name)
        lines.append(f"- **{name}**: carried by the customer: {carried}; shared with the customer: {shared}")
    return [*lines, ""]


def _md_questions(ev: Evaluation) -> list[str]:
    lines = ["## Questions for each vendor", ""]
    for vendor in ev.vendors:
        mine = [q for q in ev.questions if q.vendor == vendor.name]
        lines += [f"### {_md(vendor.name)}", ""]
        lines += [f"{n}. {_md(q.text)}" for n, q in enumerate(mine, 1)] or ["Nothing to ask."]
        lines.append("")
    return lines


def _md_clauses(clauses: Sequence[Clause]) -> list[str]:
    lines = [
        "## Contract clauses",
        "",
        f"Drawn from the Agency actions of {FEDERAL} that the requirements include; the wording is "
        "Securable's, the records cited are NIST's.",
        "",
    ]
    for c in clauses:
        if c.on_checklist:
            cited = ", ".join(r.id for r in c.required)
            lines.append(f"- [ ] **{_md(c.theme.title)}**: {_md(c.theme.clause)} (Agency actions: {cited})")
    left = [c for c in clauses if not c.on_checklist]
    if left:
        lines += ["", "Not called for by these requirements (add them by tailoring if they apply):", ""]
        lines += [f"- {_md(c.theme.title)}: {', '.join(r.id for r in c.others)}" for c in left]
    return [*lines, ""]
