"""The requirements report as Markdown."""

from __future__ import annotations

from securable import __version__
from securable import catalog as api
from securable.agency.requirements.derive import Requirements
from securable.agency.requirements.links import CAPABILITIES, CONTROLS, FEDERAL
from securable.agency.requirements.report import (
    DECIDING_INTRO,
    DERIVED,
    Group,
    deciding,
    label,
    labels,
    notes,
    summary,
    view,
)
from securable.rendering.formats import RenderOptions
from securable.textsafety import markdown

_md = markdown  # the one Markdown sanitiser (securable.textsafety)


def to_markdown(req: Requirements, options: RenderOptions) -> str:
    lines = [f"# IoT device requirements: {_md(req.controls.title)}", ""]
    lines += [
        f"Derived by Securable {__version__} from the {len(req.controls.controls)} controls of the "
        f"{_md(req.controls.title)}.",
        "",
        "| | count |",
        "|---|---:|",
        *(f"| {a} | {b} |" for a, b in summary(req)),
        "",
        *(f"> {_md(n)}" for n in notes(req)),
        "",
    ]
    decide = deciding(req)
    if decide:
        lines += [f"## Requirements that decide ({len(decide)})", "", _md(DECIDING_INTRO), ""]
        for r in decide:
            called = f" — called for by {labels(r.calls)}" if r.calls else ""
            lines.append(f"- **{r.record.id}** {_md(r.record.text or r.record.title)}{called}")
        lines.append("")
    for number, section in enumerate(view(req), 1):
        lines += [f"## {number}. {section.title} ({section.count})", "", _md(section.intro), ""]
        for part in section.parts:
            lines += [f"### {part.id} {_md(part.title)}", ""]
            for group in part.groups:
                lines += _md_group(group)
    lines += _md_tailoring(req)
    uncalled = ", ".join(label(c) for c in req.uncalled()) or "none"
    lines += ["## Controls that call for none of these", "", uncalled, ""]
    lines += _md_sources()
    return "\n".join(lines).rstrip() + "\n"


def _md_group(group: Group) -> list[str]:
    lines = [f"#### {group.id} {_md(group.title)}", ""]
    if group.note:
        lines += [f"*{_md(group.note)}*", ""]
    if group.calls:
        lines += [f"Called for by ({DERIVED}):", ""]
        lines += [f"- {_md(c.note)}" for c in group.calls]
        lines.append("")
    for item in group.items:
        indent = "  " * item.depth
        detail = "" if group.calls else f" — called for by {labels(item.calls)}" if item.calls else ""
        added = f" — *added by the agency: {_md(item.added)}*" if item.added else ""
        lines.append(f"{indent}- **{item.id}** {_md(item.text)}{detail}{added}")
    return [*lines, ""]


def _md_tailoring(req: Requirements) -> list[str]:
    if not req.tailoring:
        return []
    lines = ["## Tailoring", "", "| action | record | reason | requirements changed |", "|---|---|---|---|"]
    for t in req.tailoring:
        changed = ", ".join(a.partition(":")[2] for a in t.affected)
        lines.append(f"| {t.action} | {t.ref} | {_md(t.reason)} | {changed} |")
    lines.append("")
    if req.dropped:
        lines += ["Dropped requirements and the controls that called for them:", ""]
        lines += [f"- **{r.record.id}** {labels(r.calls) or 'no control'}" for r, _ in req.dropped]
        lines.append("")
    return lines


def _md_sources() -> list[str]:
    lines = ["## Sources", ""]
    for catalog_id in (CAPABILITIES, FEDERAL, CONTROLS):
        for s in api.load(catalog_id).sources.values():
            status = " (draft)" if s.status == "draft" else ""
            lines.append(f"- {_md(s.publication)}{status}, {_md(s.version)}: {s.url or s.repository}")
    return [*lines, ""]
