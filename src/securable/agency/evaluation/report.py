"""The evaluation as Markdown and a terminal table, and the words all four formats share.

HTML is :mod:`securable.agency.evaluation.html`, JSON :mod:`securable.agency.evaluation.json_report`. All
four formats say the same things in the same order: the vendors and what went wrong with any
of them, totals per status and per capability, every requirement side by side, how each vendor
meets it, where the customer would carry the burden, the questions to send each vendor, and the
contract checklist. The JSON shape is documented by ``securable/data/schemas/evaluation.schema.json``
(format 1: fields are only ever added). Nothing reads the clock, so the output is reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence

from securable import __version__
from securable.agency.evaluation.clauses import Clause
from securable.agency.evaluation.evaluate import MET, ROLE_WORDS, STATUSES, Evaluation, Verdict
from securable.agency.evaluation.vendors import Problem, Vendor
from securable.agency.requirements.links import CAPABILITIES, FEDERAL
from securable.rendering import formats
from securable.rendering.formats import RenderOptions
from securable.rendering.layout import block, table, wrap

# Each format's writer, ``render(evaluation, options) -> str``, imported only when asked for.
WRITERS = {
    "table": "securable.agency.evaluation.report:to_table",
    "markdown": "securable.agency.evaluation.report:to_markdown",
    "html": "securable.agency.evaluation.html:to_html",
    "json": "securable.agency.evaluation.json_report:to_json",
}
FORMATS = tuple(WRITERS)
SECTION_TITLES = {"technical": "Device cybersecurity capabilities", "support": "Manufacturer support"}
# Short words for table cells, and the full meaning for the legend.
LABELS = {
    "met-by-device": "device",
    "met-by-related-device": "related device",
    "met-by-service": "service",
    "met-by-non-technical": "non-technical",
    "partial": "partial",
    "customer-burden": "customer",
    "silent": "silent",
}
MEANINGS = {
    "met-by-device": "met by the device itself",
    "met-by-related-device": "met by a related device (hub, gateway, phone app)",
    "met-by-service": "met by a service (e.g. the manufacturer's cloud)",
    "met-by-non-technical": "met by non-technical support (documentation, processes)",
    "partial": "only partly met by the vendor's side, or met for some of its parts only",
    "customer-burden": "left to the customer by the vendor's own account",
    "silent": "the vendor's component definition does not address it",
}
SIGNATURE_WORDS = {
    "verified": "verified",
    "not-checked": "not checked (no key given)",
    "failed": "FAILED",
    "not-a-package": "none (a single file)",
}
ERROR_WORDS = {
    "unreadable": "unreadable",
    "not-oscal": "not an OSCAL component definition",
    "invalid-oscal": "invalid OSCAL",
    "unknown-controls": "unknown catalog elements",
    "verification": "failed verification",
}
MAX_PROBLEMS = 20  # problems of one vendor shown in text reports; JSON has them all


def cell(verdict: Verdict) -> str:
    return LABELS[verdict.status] + (" + customer" if verdict.customer_share else "")


def notes(ev: Evaluation) -> list[str]:
    return [
        "A requirement is met when one of the vendor's means claims it fully, or when each of its "
        "parts (sub-elements, sub-actions; NIST's examples are not parts) is met; the cell names the "
        "means nearest the device (device, related device, service, non-technical support) that, "
        "with those nearer still, meet it. A claim for an element covers its sub-elements; a claim "
        "for a whole capability, sub-capability or topic names none of the requirements in it, so it "
        "counts as partial for each.",
        "'+ customer' marks requirements the customer shares by the vendor's own account.",
        f"The requirements come from NIST's DRAFT mappings of {CAPABILITIES} to SP 800-53 Rev. 5; the "
        f"Agency actions of {FEDERAL} behind the contract clauses were linked to controls by Securable, "
        "not by NIST. The clause wording is Securable's.",
        "Claims are the vendor's own statements: verify them in testing and in the contract.",
        *ev.requirements.warnings,
    ]


def result(vendor: Vendor) -> str:
    if vendor.error is None:
        return "evaluated"
    return f"not evaluated: {ERROR_WORDS[vendor.error.kind]}"


def claims_text(verdict: Verdict) -> str:
    """The claims behind a verdict, one per component and share: "GW-10 (related device; means m-1)"."""
    merged: dict[tuple[str, str], list[str]] = {}
    for claim in verdict.claims:
        share = "customer" if claim.customer_only else ROLE_WORDS[claim.component.role]
        key = (claim.component.title, share + (", partly" if claim.partial else ""))
        means = merged.setdefault(key, [])
        means += [m for m in claim.means if m not in means]
    return "; ".join(
        f"{title} ({share}{'; means ' + ', '.join(means) if means else ''})"
        for (title, share), means in merged.items()
    )


def problem_text(problem: Problem) -> str:
    """``$.path: message``, or just the message for problems of a package as a whole."""
    return f"{problem.path}: {problem.message}" if problem.path else problem.message


def counts(ev: Evaluation) -> dict[str, int]:
    return {key: len(ev.requirements.section(key)) for key in ("technical", "support", "agency")}


# ---- Markdown -------------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|"})


def _md(text: str) -> str:
    return " ".join(text.split()).translate(_MD_SPECIAL)


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
    ]
    return "\n".join(lines).rstrip() + "\n"


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


def four(per: dict[str, int]) -> str:
    met = sum(per[s] for s in MET)
    return f"{met} / {per['partial']} / {per['customer-burden']} / {per['silent']}"


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
                "| requirement | " + " | ".join(_md(v.name) for v in vendors) + " |",
                "|---|" + "---|" * len(vendors),
            ]
        text = _md(record.text or record.title)
        if row.item.added:
            text += f" *(added by the agency: {_md(row.item.added)})*"
        lines.append(f"| **{record.id}** {text} | " + " | ".join(cell(v) for v in row.verdicts) + " |")
    return [*lines, ""]


def _md_how(ev: Evaluation) -> list[str]:
    lines = ["## How each vendor meets the requirements", ""]
    for i, vendor in enumerate(ev.evaluated):
        lines += [f"### {_md(vendor.name)}", ""]
        items = [(row, row.verdicts[i]) for row in ev.rows if row.verdicts[i].status != "silent"]
        lines += [] if items else ["Nothing is claimed for any requirement."]
        for row, verdict in items:
            note = f" ({_md(verdict.note)})" if verdict.note else ""
            lines.append(f"- **{row.item.record.id}** {cell(verdict)}: {_md(claims_text(verdict))}{note}")
        lines.append("")
    return lines


def customer_ids(ev: Evaluation, vendor: int) -> tuple[str, str]:
    """Requirement IDs the customer carries alone, and those it shares, for one evaluated vendor."""
    carried = [r.item.record.id for r in ev.rows if r.verdicts[vendor].status == "customer-burden"]
    shared = [r.item.record.id for r in ev.rows if r.verdicts[vendor].customer_share]
    return ", ".join(carried) or "none", ", ".join(shared) or "none"


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


# ---- terminal -------------------------------------------------------------------------------------


def to_table(ev: Evaluation, options: RenderOptions) -> str:
    width = options.width
    req = ev.requirements
    out = [f"Vendor evaluation: {req.title}\n\n"]
    out.append(
        block([("requirements", req.source), *((k, str(n)) for k, n in counts(ev).items())], width=width)
    )
    out.append("\n== Vendors ==\n")
    rows = [(v.name, SIGNATURE_WORDS[v.signature], result(v), v.product or v.path) for v in ev.vendors]
    out.append(table(("VENDOR", "SIGNATURE", "RESULT", "PRODUCT"), rows, width=width))
    for v in ev.vendors:
        if v.error is not None:
            out.append("\n" + _wrapped(f"{v.name}: {v.error.message}", "", width))
            for problem in v.error.problems[:MAX_PROBLEMS]:  # JSON paths are long: a line of their own
                where = f"  {problem.path}:\n" if problem.path else ""
                out.append(f"{where}{_wrapped(problem.message, '    ', width, first='    ')}")
            if len(v.error.problems) > MAX_PROBLEMS:
                out.append(f"  and {len(v.error.problems) - MAX_PROBLEMS} more (see --format json)\n")
        out += ["\n" + _wrapped(f"{v.name}: warning: {w}", "  ", width) for w in v.warnings]
    vendors = ev.evaluated
    if vendors:
        names = tuple(v.name.upper() for v in vendors)
        out.append("\n== Totals per capability (met / partial / customer / silent) ==\n")
        totals = [(t.id, str(t.count), *(four(p) for p in t.per_vendor), t.title) for t in ev.totals]
        out.append(table(("CAPABILITY", "REQUIRED", *names, "TITLE"), totals, width=width))
        out.append("\n== Requirements side by side ==\n")
        matrix = [
            (r.item.record.id, *(cell(v) for v in r.verdicts), r.item.record.text or r.item.record.title)
            for r in ev.rows
        ]
        out.append(table(("ID", *names, "REQUIREMENT"), matrix, width=width))
    if ev.questions:
        out.append("\n== Questions for each vendor ==\n")
        questions = [(q.vendor, q.kind, q.text) for q in ev.questions]
        out.append(table(("VENDOR", "ABOUT", "QUESTION"), questions, width=width))
    out.append("\n== Contract clauses ==\n")
    clauses = [
        (c.theme.title, ", ".join(r.id for r in c.required) or "(not called for)", c.theme.clause)
        for c in ev.clauses
    ]
    out.append(table(("CLAUSE", "AGENCY ACTIONS", "WHAT THE CONTRACT SAYS"), clauses, width=width))
    out += [f"note: {n}\n" for n in notes(ev)]
    return "".join(out)


def _wrapped(text: str, indent: str, width: int, *, first: str = "") -> str:
    """``text`` wrapped to ``width``, the first line after ``first``, the others ``indent``ed."""
    lines = wrap(text, width - max(len(indent), len(first)))
    return "".join(f"{first if i == 0 else indent}{line}\n" for i, line in enumerate(lines))


def render(ev: Evaluation, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("evaluation report", WRITERS, ev, fmt, options)
