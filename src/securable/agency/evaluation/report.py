"""The evaluation report: the table of its writers and the words all four formats share.

Each format is a writer module beside this one: ``table``, ``markdown``, ``html`` (a Jinja2
template) and ``json_report``. All four formats say the same things in the same order: the
vendors and what went wrong with any of them, totals per status and per capability, every
requirement side by side, how each vendor meets it, where the customer would carry the burden,
the questions to send each vendor, and the contract checklist. The JSON shape is documented by
``securable/data/schemas/evaluation.schema.json`` (format 1: fields are only ever added). Nothing
reads the clock, so the output is reproducible.
"""

from __future__ import annotations

from securable.agency.evaluation.evaluate import MET, ROLE_WORDS, Evaluation, Verdict
from securable.agency.evaluation.vendors import Problem, Vendor
from securable.agency.requirements.links import CAPABILITIES, FEDERAL
from securable.rendering import formats
from securable.rendering.formats import RenderOptions

# Each format's writer, ``render(evaluation, options) -> str``, imported only when asked for.
WRITERS = {
    "table": "securable.agency.evaluation.table:to_table",
    "markdown": "securable.agency.evaluation.markdown:to_markdown",
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


def four(per: dict[str, int]) -> str:
    met = sum(per[s] for s in MET)
    return f"{met} / {per['partial']} / {per['customer-burden']} / {per['silent']}"


def customer_ids(ev: Evaluation, vendor: int) -> tuple[str, str]:
    """Requirement IDs the customer carries alone, and those it shares, for one evaluated vendor."""
    carried = [r.item.record.id for r in ev.rows if r.verdicts[vendor].status == "customer-burden"]
    shared = [r.item.record.id for r in ev.rows if r.verdicts[vendor].customer_share]
    return ", ".join(carried) or "none", ", ".join(shared) or "none"


def render(ev: Evaluation, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("evaluation report", WRITERS, ev, fmt, options)
