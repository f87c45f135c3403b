"""The requirements report: terminal table, Markdown, HTML and JSON, all from one view of the result.

:func:`view` arranges the requirements the way an agency reads them (capability, sub-capability,
requirement; area, supporting capability, Agency action) and the writers only format it, so the
four formats always say the same thing. The table writer is here; each other format is a writer
module of its own beside it (``markdown``, ``html``, ``json_report``, ``oscal_profile``). Every
writer marks Securable-derived links as such, and none reads the clock, so the same input and
options give the same bytes (the table wraps to ``RenderOptions.width``).
"""

from __future__ import annotations

from dataclasses import dataclass

from securable import catalog as api
from securable.agency.requirements.derive import Call, Requirement, Requirements
from securable.agency.requirements.links import CAPABILITIES, CONTROLS, FEDERAL, THRESHOLD
from securable.agency.requirements.priority import PRIORITIES, priority
from securable.rendering import formats
from securable.rendering.formats import RenderOptions
from securable.rendering.layout import block, table, wrap

# Each format's writer, ``render(requirements, options) -> str``.
WRITERS = {
    "table": "securable.agency.requirements.report:to_table",
    "markdown": "securable.agency.requirements.markdown:to_markdown",
    "html": "securable.agency.requirements.html:to_html",
    "json": "securable.agency.requirements.json_report:to_json",
    "oscal": "securable.agency.requirements.oscal_profile:render_profile",
}
FORMATS = tuple(WRITERS)
DERIVED = "Securable-derived, not NIST's"
DECIDING_INTRO = (
    "The requirements to read first when choosing a device (priority 1): "
    + PRIORITIES[1].split(": ", 1)[1]
    + "."
)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    calls: tuple[Call, ...]
    added: str  # the agency's reason, when it added this requirement
    depth: int  # 0, or 1 for a sub-element / nested Agency action


@dataclass(frozen=True, slots=True)
class Group:
    """A sub-capability or supporting capability and its requirements."""

    id: str
    title: str
    items: tuple[Item, ...]
    calls: tuple[Call, ...] = ()  # supporting capabilities: the derived links that call for them
    note: str = ""


@dataclass(frozen=True, slots=True)
class Part:
    """A capability (SP 800-213A) or area (Federal Profile)."""

    id: str
    title: str
    groups: tuple[Group, ...]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    intro: str
    parts: tuple[Part, ...]
    count: int


def view(req: Requirements) -> list[Section]:
    return [
        Section(
            "technical",
            "Device cybersecurity capabilities",
            f"Technical capabilities of {CAPABILITIES} (SP 800-213A) whose NIST draft mappings name a "
            "control of the set: what the device itself must be able to do.",
            _capability_parts(req.technical),
            len(req.technical),
        ),
        Section(
            "support",
            "Manufacturer support",
            f"Non-technical capabilities of {CAPABILITIES} whose NIST draft mappings name a control of "
            "the set: documentation, information, and education the manufacturer must provide.",
            _capability_parts(req.support),
            len(req.support),
        ),
        Section(
            "agency",
            "Agency actions",
            f"Agency actions of {FEDERAL} (the 2020 Federal Profile) that the agency itself must carry "
            f"out. NIST mapped none of them to controls: the links here are {DERIVED} (shared wording "
            f"with a NIST-mapped {CAPABILITIES} record, similarity at least {THRESHOLD}, or a title "
            "naming an SP 800-53 family, linked to its policy control XX-1).",
            _agency_parts(req.agency),
            len(req.agency),
        ),
    ]


def _capability_parts(items: tuple[Requirement, ...]) -> tuple[Part, ...]:
    cat = api.load(CAPABILITIES)
    parts: dict[str, dict[str, list[Item]]] = {}
    for req in items:
        chain = [*cat.ancestors(req.record.id), req.record]
        root, group = chain[0], next((r for r in chain if r.kind == "sub-capability"), req.record)
        depth = 1 if req.record.kind == "sub-element" else 0
        item = Item(req.record.id, req.record.text or req.record.title, req.calls, req.added, depth)
        parts.setdefault(root.id, {}).setdefault(group.id, []).append(item)
    return tuple(
        Part(
            pid,
            _title(cat, pid),
            tuple(Group(gid, _title(cat, gid), tuple(found)) for gid, found in groups.items()),
        )
        for pid, groups in parts.items()
    )


def _agency_parts(items: tuple[Requirement, ...]) -> tuple[Part, ...]:
    fed = api.load(FEDERAL)
    parts: dict[str, dict[str, list[Requirement]]] = {}
    for req in items:
        chain = fed.ancestors(req.record.id)
        capability = next(r for r in chain if r.kind == "supporting-capability")
        parts.setdefault(chain[0].id, {}).setdefault(capability.id, []).append(req)
    out = []
    for area, groups in parts.items():
        built = []
        for cid, reqs in groups.items():
            record = fed.get(cid)
            links = record.links if record else ()
            seed = [link.target.partition(":")[2] for link in links if link.rel == "revision-of"]
            calls = tuple(dict.fromkeys(c for r in reqs for c in r.calls))
            found = tuple(
                Item(r.record.id, r.record.text, r.calls, r.added, r.record.id.count(".") - 1) for r in reqs
            )
            note = f"earlier revision on the seed page: {', '.join(seed)}" if seed else ""
            built.append(Group(cid, _title(fed, cid), found, calls, note))
        out.append(Part(area, _title(fed, area), tuple(built)))
    return tuple(out)


def _title(cat: api.Catalog, record_id: str) -> str:
    record = cat.get(record_id)
    return record.label if record else record_id


def labels(calls: tuple[Call, ...]) -> str:
    return ", ".join(dict.fromkeys(c.label for c in calls))


def summary(req: Requirements) -> list[tuple[str, str]]:
    sections = view(req)
    controls = req.controls.controls
    rows = [(s.title, str(s.count)) for s in sections]
    rows.append(("Controls calling for none of these", f"{len(req.uncalled())} of {len(controls)}"))
    if req.tailoring:
        rows.append(("Tailoring (added / dropped)", f"{_count(req, 'add')} / {len(req.dropped)}"))
    return rows


def _count(req: Requirements, action: str) -> int:
    return sum(len(t.affected) for t in req.tailoring if t.action == action)


def deciding(req: Requirements) -> list[Requirement]:
    """The device and manufacturer requirements of priority 1 (:mod:`.priority`), in catalog order."""
    return [r for r in (*req.technical, *req.support) if priority_of(r) == 1]


def priority_of(requirement: Requirement) -> int:
    return priority(
        requirement.record.id, (c.control for c in requirement.calls), added=bool(requirement.added)
    )


def notes(req: Requirements) -> list[str]:
    notes = [
        f"The {CAPABILITIES} to SP 800-53 Rev. 5 mappings are NIST's DRAFT mappings (2021-04-21 workbooks).",
        f"Links from Agency actions to controls are {DERIVED}: NIST mapped no Agency action.",
    ]
    if req.unlinked:
        notes.append(
            f"No link could be derived for {', '.join(req.unlinked)}; review their Agency actions by hand."
        )
    notes += list(req.controls.warnings)
    return notes


def label(control_id: str) -> str:
    record = api.load(CONTROLS).get(control_id)
    label = record.props.get("label") if record else None
    return label if isinstance(label, str) else control_id.upper()


# ---- terminal -------------------------------------------------------------------------------------


def to_table(req: Requirements, options: RenderOptions) -> str:
    width = options.width
    out = [f"IoT device requirements: {req.controls.title}\n\n"]
    out.append(block(summary(req), width=width))
    out += [f"note: {n}\n" for n in notes(req)]
    decide = deciding(req)
    if decide:
        out.append(f"\n== Requirements that decide ({len(decide)}) ==\n")
        out.append(f"note: {DECIDING_INTRO}\n")
        rows = [(r.record.id, labels(r.calls) or "(added)", r.record.text or r.record.title) for r in decide]
        out.append(table(("ID", "CALLED FOR BY", "REQUIREMENT"), rows, width=width))
    for section in view(req):
        out.append(f"\n== {section.title} ({section.count}) ==\n")
        for part in section.parts:
            for group in part.groups:
                out.append(f"\n{part.id} / {group.id} {group.title}\n")
                out.append(_table_group(group, width))
    if req.tailoring:
        out.append("\n== Tailoring ==\n")
        rows = [(t.action, t.ref, t.reason) for t in req.tailoring]
        out.append(table(("ACTION", "RECORD", "REASON"), rows, width=width))
    return "".join(out)


def _table_group(group: Group, width: int) -> str:
    def text(item: Item) -> str:
        return item.text + (f" [added by the agency: {item.added}]" if item.added else "")

    if not group.calls:
        called = [("  " * i.depth + i.id, labels(i.calls) or "(added)", text(i)) for i in group.items]
        return table(("ID", "CALLED FOR BY", "REQUIREMENT"), called, width=width)
    # Agency actions share their supporting capability's (derived) calls: say them once, above.
    lines = [f"  called for by ({DERIVED}):"]
    for call in group.calls:
        first, *rest = wrap(call.note, width - 6)
        lines += [f"  - {first}", *(f"    {line}" for line in rest)]
    actions = [("  " * i.depth + i.id, text(i)) for i in group.items]
    return "\n".join(lines) + "\n" + table(("ID", "AGENCY ACTION"), actions, width=width)


def render(req: Requirements, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("requirements report", WRITERS, req, fmt, options)
