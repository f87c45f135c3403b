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

from securable.agency.evaluation.evaluate import MET, ROLE_WORDS, Evaluation, Row, Verdict
from securable.agency.evaluation.facts import TOPICS
from securable.agency.evaluation.vendors import Problem, Vendor
from securable.agency.requirements.links import CAPABILITIES, FEDERAL
from securable.agency.requirements.priority import PRIORITIES, WORDS
from securable.rendering import formats
from securable.rendering.formats import RenderOptions

# Each format's writer, ``render(evaluation, options) -> str``, imported only when asked for.
WRITERS = {
    "table": "securable.agency.evaluation.table:to_table",
    "markdown": "securable.agency.evaluation.markdown:to_markdown",
    "html": "securable.agency.evaluation.html:to_html",
    "json": "securable.agency.evaluation.json_report:to_json",
    "csv": "securable.agency.evaluation.spreadsheet:to_csv",
}
# Formats that are bytes, not text: written by ``render_bytes`` to a file (never to a terminal).
BINARY = {"xlsx": "securable.agency.evaluation.spreadsheet:to_xlsx"}
FORMATS = (*WRITERS, *BINARY)
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
# Silent splits in two, and a partial verdict that rests only on SP 800-53 controls is "mapped".
NOT_DETAILED = "not detailed"  # short for table cells: not claimed at this level of detail
NOT_ADDRESSED = "not addressed"
MAPPED = "mapped"
SILENT_MEANINGS = {
    NOT_DETAILED: "not claimed at this level of detail: the vendor claims the capability, sub-capability "
    "or element above it as a whole, without naming this requirement",
    NOT_ADDRESSED: "nothing the vendor claims names it or anything above it",
    MAPPED: "the vendor claims SP 800-53 controls that NIST's mapping links to it, not the requirement "
    "itself: ask how the device meets it",
}
PRIORITY_WORDS = WORDS
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
    if verdict.status == "silent":
        return NOT_DETAILED if verdict.coarser else NOT_ADDRESSED
    if verdict.mapped:
        return MAPPED + (", customer" if verdict.status == "customer-burden" else "")
    return LABELS[verdict.status] + (" + customer" if verdict.customer_share else "")


def silent_split(ev: Evaluation, vendor: int) -> tuple[int, int]:
    """Silent requirements of one evaluated vendor: not claimed at this level of detail, not addressed."""
    silent = [r.verdicts[vendor] for r in ev.rows if r.verdicts[vendor].status == "silent"]
    coarser = sum(1 for v in silent if v.coarser)
    return coarser, len(silent) - coarser


def mapped_count(ev: Evaluation, vendor: int) -> int:
    return sum(1 for r in ev.rows if r.verdicts[vendor].mapped)


def summary(ev: Evaluation, vendor: int) -> list[tuple[str, str]]:
    """The one-page summary of the ``vendor``-th evaluated vendor, as (label, value) pairs in order."""
    v = ev.evaluated[vendor]
    f = v.facts
    stated = f.read
    missing = (
        "not stated"
        if stated
        else "unknown: "
        + (
            "a single component definition does not say"
            if v.kind == "file"
            else "the package has no product description"
        )
    )
    sig = SIGNATURE_WORDS[v.signature]
    if f.fingerprint:
        sig += (
            f", key {f.fingerprint}"
            if v.signature == "verified"
            else f"; the manifest names key {f.fingerprint}"
        )
    sbom = missing if not stated else "none in the package"
    if f.sbom:
        sbom = f.sbom + (
            "; signed (listed in the verified manifest)"
            if f.sbom_signed
            else "; listed in the manifest, whose signature was not checked (no key given)"
            if f.sbom_listed
            else "; not covered by the package's signature"
        )
    per = ev.overall(vendor)
    coarser, unaddressed = silent_split(ev, vendor)
    met = sum(per[s] for s in MET)
    mapped = mapped_count(ev, vendor)
    deciding = [r for r in ev.rows if r.priority == 1]
    pairs = [
        ("product", " ".join(w for w in (v.product, f.version and f"version {f.version}") if w) or v.path),
        ("manufacturer", v.manufacturer or "not stated"),
        ("signature", sig),
        ("package date", f.package_date or ("none (a single file)" if v.kind == "file" else "not stated")),
        ("evaluated on", ev.date or "not recorded"),
        (
            "support period",
            f"until {f.support_end}{_left(f.support_end, ev.date)}" if f.support_end else missing,
        ),
        ("end of life", f.end_of_life or missing),
        ("SBOM", sbom),
        ("vulnerability reporting", f.vulnerability_reporting or missing),
        ("update policy", f.update_policy or missing),
        ("unstated topics", ", ".join(t.title for t in f.unstated()) or ("none" if stated else missing)),
        ("answered in prose", prose(ev, vendor) or "none"),
        (
            "decisive requirements",
            f"{sum(1 for r in deciding if r.verdicts[vendor].status in MET)} of {len(deciding)} met",
        ),
        (
            "requirements",
            f"{met} met, {per['partial']} partly met, {per['customer-burden']} left to the customer, "
            f"{coarser} not claimed at this level of detail, "
            f"{unaddressed} {NOT_ADDRESSED} (of {len(ev.rows)})"
            + (f"; {mapped} of them only mapped from SP 800-53 controls the vendor claims" if mapped else ""),
        ),
    ]
    return pairs


def _left(until: str, day: str) -> str:
    """How the end of support stands on the evaluation day: " (ended)", " (about 7 years left)"."""
    from datetime import date

    try:
        end, today = date.fromisoformat(until), date.fromisoformat(day)
    except ValueError:  # no evaluation date, or the vendor's text is not a date
        return ""
    if end < today:
        return " (ended before the evaluation)"
    years = (end - today).days // 365
    return f" (about {years} year{'s' if years != 1 else ''} left)" if years else " (less than a year left)"


def prose(ev: Evaluation, vendor: int) -> str:
    """The topics the vendor's documents answer in prose where its claims leave requirements of the
    topic's capabilities silent: "event logging (54 CSA requirements not claimed)"."""
    v = ev.evaluated[vendor]
    silent: dict[str, int] = {}
    for row in ev.rows:
        if row.verdicts[vendor].status == "silent":
            root = row.item.record.id.split("-", 1)[0]
            silent[root] = silent.get(root, 0) + 1
    out = []
    for topic in TOPICS:
        if topic.key in v.facts.answered:
            roots = [r for r in topic.capabilities if silent.get(r)]
            if roots:
                count = sum(silent[r] for r in roots)
                out.append(f"{topic.title} ({count} {'/'.join(roots)} requirements not claimed)")
    return "; ".join(out)


def row_prose(ev: Evaluation, vendor: int, row: Row) -> str:
    """For a silent requirement, the topics of its capability the vendor answers in prose."""
    if row.verdicts[vendor].status != "silent":
        return ""
    topics = ev.evaluated[vendor].facts.in_prose(row.item.record.id.split("-", 1)[0])
    return f"the vendor's documents describe {', '.join(t.title for t in topics)} in prose" if topics else ""


def bottom_line(ev: Evaluation, vendor: int) -> str:
    """One sentence an officer can act on: what stands out for this vendor."""
    v = ev.evaluated[vendor]
    f = v.facts
    deciding = [r for r in ev.rows if r.priority == 1]
    met = sum(1 for r in deciding if r.verdicts[vendor].status in MET)
    parts = [f"meets {met} of the {len(deciding)} requirements that decide"]
    if f.read:
        parts.append(f"supported until {f.support_end}" if f.support_end else "states no support period")
        parts.append(
            ("SBOM signed" if f.sbom_signed else "SBOM present, signature not verified")
            if f.sbom
            else "no SBOM"
        )
        unstated = f.unstated()
        if unstated:
            parts.append("states nothing on " + ", ".join(t.title for t in unstated))
    elif v.kind == "file":
        parts.append("a single component definition, so no signature, support period, SBOM or update policy")
    else:
        parts.append(
            "support period, SBOM and update policy unknown (the package has no product description)"
        )
    if v.kind == "package" and v.signature != "verified":
        parts.append("package signature " + SIGNATURE_WORDS[v.signature])
    return f"{v.name}: " + "; ".join(parts) + "."


def priority_text(row: Row) -> str:
    return PRIORITY_WORDS[row.priority]


def priority_notes() -> list[str]:
    return [f"{PRIORITY_WORDS[n]}: {PRIORITIES[n].split(': ', 1)[1]}" for n in sorted(PRIORITIES)]


def notes(ev: Evaluation) -> list[str]:
    return [
        "A requirement is met when one of the vendor's means claims it fully, or when each of its "
        "parts (sub-elements, sub-actions; NIST's examples are not parts) is met; the cell names the "
        "means nearest the device (device, related device, service, non-technical support) that, "
        "with those nearer still, meet it. A claim for an element covers its sub-elements; a claim "
        "for a whole capability, sub-capability or topic names none of the requirements in it, so it "
        "counts as partial for each.",
        "'+ customer' marks requirements the customer shares by the vendor's own account.",
        *(f"'{label}': {meaning}." for label, meaning in SILENT_MEANINGS.items()),
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


def claims_text(verdict: Verdict, vendor: Vendor | None = None) -> str:
    """The claims behind a verdict in plain words, one per component and share:
    "GW-10 gateway (related device: LoRaWAN join server)"; the means are named by their titles in the
    vendor's product description (an internal means ID is no help to an officer)."""
    merged: dict[tuple[str, str], list[str]] = {}
    for claim in verdict.claims:
        share = "the customer" if claim.customer_only else ROLE_WORDS[claim.component.role]
        if claim.mapped_from:
            share += f", through SP 800-53 {claim.mapped_from.upper()}"
        key = (claim.component.title, share + (", partly" if claim.partial and not claim.mapped_from else ""))
        means = merged.setdefault(key, [])
        titles = [vendor.facts.means_title(m) if vendor else "" for m in claim.means]
        means += [t for t in titles if t and t not in means]
    return "; ".join(
        f"{title} ({share}{': ' + ', '.join(means) if means else ''})"
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
    """The report in format ``fmt`` (a text format of :data:`FORMATS`); an unknown format is a
    UsageError."""
    if fmt in BINARY:
        from securable.errors import UsageError

        raise UsageError(f"--format {fmt} is a binary file", hint=f"write it to a file: -o NAME.{fmt}")
    return formats.render("evaluation report", WRITERS, ev, fmt, options)


def render_bytes(ev: Evaluation, fmt: str) -> bytes:
    """The report in a binary format of :data:`BINARY` (XLSX)."""
    from importlib import import_module

    module, _, name = BINARY[fmt].partition(":")
    writer = getattr(import_module(module), name)
    data: bytes = writer(ev)
    return data
