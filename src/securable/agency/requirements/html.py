"""The requirements report as one accessible HTML page, from ``templates/requirements.html.j2``.

The page says what the other formats say (:func:`securable.agency.requirements.report.view`), in
the customer documents' stylesheet (:mod:`securable.rendering.stylesheet`, light and dark).
The environment autoescapes; the ``h`` filter also folds runs of white space into one space, as
the catalogs' texts carry line breaks from the PDFs they were taken from.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from securable import __version__
from securable.agency.requirements.derive import Requirements, Tailoring
from securable.agency.requirements.report import (
    DECIDING_INTRO,
    DERIVED,
    Group,
    Item,
    deciding,
    label,
    labels,
    notes,
    summary,
    view,
)
from securable.oscal.blocks import oscal_id
from securable.rendering.formats import RenderOptions
from securable.rendering.htmltext import finalize
from securable.rendering.stylesheet import stylesheet

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class Node:
    """An item of a group with the items nested under it (sub-elements, nested Agency actions)."""

    item: Item
    anchor: str
    calls: str  # "called for by" labels, shown per item unless the group says them once
    children: tuple[Node, ...]


def to_html(req: Requirements, options: RenderOptions) -> str:
    uncalled = ", ".join(_h(label(c)) for c in req.uncalled()) or "none"
    return _template().render(
        req=req,
        title=f"IoT device requirements: {req.controls.title}",
        version=__version__,
        css=stylesheet(),
        sections=view(req),
        summary=summary(req),
        notes=notes(req),
        derived=DERIVED,
        tree=_tree,
        changed=_changed,
        uncalled=Markup(uncalled),  # escaped item by item above
        deciding=deciding(req),
        deciding_intro=DECIDING_INTRO,
        labels=labels,
    )


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # tailoring reasons and profile titles come from the agency's input
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=finalize,  # control characters and Markdown links out of every value
    )
    env.filters["h"] = lambda text: Markup(_h(str(text)))
    env.filters["anchor"] = oscal_id
    return env.get_template("requirements.html.j2")


def _h(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _tree(group: Group) -> list[Node]:
    """The group's items nested by depth: a deeper item belongs to the item before it."""
    items = list(group.items)
    return _nodes(group, items, 0)


def _nodes(group: Group, items: list[Item], depth: int) -> list[Node]:
    out: list[Node] = []
    while items and items[0].depth >= depth:
        item = items.pop(0)
        children = _nodes(group, items, depth + 1) if items and items[0].depth > depth else []
        calls = labels(item.calls) if item.calls and not group.calls else ""
        out.append(Node(item, oscal_id(item.id), calls, tuple(children)))
    return out


def _changed(tailoring: Tailoring) -> str:
    return ", ".join(a.partition(":")[2] for a in tailoring.affected)
