"""The merge phase of profile resolution: structure each import's selection, then combine them.

``as-is`` keeps each selected control where its catalog has it, with every group and control that
holds it; without ``as-is`` (``flat``, or no merge at all) the controls come without groups, a
selected enhancement staying inside its parent only when the parent is selected too.

When several imports select the same control ID, ``combine`` decides: ``use-first`` keeps the first
copy (in import order, depth first), ``merge`` folds later copies into it (new list items are added,
the first value of anything else wins), ``keep`` (the specification's default) keeps every copy and
leaves the duplicate IDs for validation to catch. Groups are matched on ``id`` (or title) and
merged in every mode, as the specification asks of ``as-is``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from securable.oscal.resolution.resolve import iter_controls

if TYPE_CHECKING:
    from securable.oscal.resolution.resolve import Selection

JSON = dict[str, Any]


def combine(
    selections: list[Selection], *, as_is: bool, method: str, warnings: list[str]
) -> tuple[JSON, tuple[str, ...], tuple[str, ...]]:
    """The catalog body (params/controls/groups), the selected IDs and the implicitly kept ones."""
    merger = _Merger(method, warnings)
    selected: dict[str, None] = {}
    implicit: dict[str, None] = {}
    for selection in selections:
        keep, index = selection.keep, selection.index
        selected.update((cid, None) for cid in index.ids if cid in keep)
        if as_is:
            needed = set(keep).union(*(index.ancestors(cid) for cid in keep))
            implicit.update((cid, None) for cid in index.ids if cid in needed and cid not in keep)
            merger.add(_as_is(selection.catalog, needed))
        else:
            merger.add(_flat(selection))
    body = merger.root
    return body, tuple(selected), tuple(cid for cid in implicit if cid not in selected)


def _as_is(node: JSON, needed: set[str]) -> JSON:
    """A copy of a catalog or group holding only the needed controls, or {} when it holds none."""
    out = {k: v for k, v in node.items() if k not in ("controls", "groups")}
    controls = [_control(c, needed) for c in node.get("controls", ()) if c["id"] in needed]
    groups = [g for g in (_as_is(sub, needed) for sub in node.get("groups", ())) if g]
    if not controls and not groups:
        return {}
    if controls:
        out["controls"] = controls
    if groups:
        out["groups"] = groups
    return out


def _control(control: JSON, needed: set[str]) -> JSON:
    out = {k: v for k, v in control.items() if k != "controls"}
    children = [_control(c, needed) for c in control.get("controls", ()) if c["id"] in needed]
    if children:
        out["controls"] = children
    return out


def _flat(selection: Selection) -> JSON:
    keep, parent = selection.keep, selection.index.parent
    controls = [
        _control(c, set(keep))
        for c in iter_controls(selection.catalog)
        if c["id"] in keep and parent.get(c["id"]) not in keep
    ]
    # Loose parameters lose their groups too; unused ones are dropped later, once modify has run.
    params = [p for holder in _holders(selection.catalog) for p in holder.get("params", ())]
    return {k: v for k, v in (("params", params), ("controls", controls)) if v}


def _holders(node: JSON) -> Iterable[JSON]:
    yield node
    for group in node.get("groups", ()):
        yield from _holders(group)


class _Merger:
    """Folds selections into one body, control by control, following the combine method."""

    def __init__(self, method: str, warnings: list[str]) -> None:
        self.method = method
        self.warnings = warnings
        self.placed: dict[str, JSON] = {}
        self.root: JSON = {}

    def add(self, part: JSON) -> None:
        self._node(self.root, part)

    def _node(self, target: JSON, incoming: JSON) -> None:
        if incoming.get("params"):
            have = {p["id"] for p in target.get("params", ())}
            fresh = [p for p in incoming["params"] if p["id"] not in have]
            target["params"] = [*target.get("params", ()), *fresh]
        for control in incoming.get("controls", ()):
            self._control(target, control)
        for group in incoming.get("groups", ()):
            self._group(target, group)

    def _group(self, target: JSON, group: JSON) -> None:
        key = group.get("id") or group.get("title")
        twin = next((g for g in target.get("groups", ()) if (g.get("id") or g.get("title")) == key), None)
        if twin is None:
            twin = {k: v for k, v in group.items() if k not in ("params", "controls", "groups")}
            target.setdefault("groups", []).append(twin)
        self._node(twin, group)

    def _control(self, target: JSON, control: JSON) -> None:
        cid = control["id"]
        first = self.placed.get(cid)
        if first is not None and self.method != "keep":
            if self.method == "merge":
                _merge_fields(first, control)
            for child in control.get("controls", ()):
                self._control(first, child)
            return
        if first is not None:
            self.warnings.append(
                f"control {cid} is selected by more than one import; merge/combine 'keep' keeps every "
                "copy, so its ID repeats (use 'use-first' or 'merge' to keep one)"
            )
        copy = {k: v for k, v in control.items() if k != "controls"}
        target.setdefault("controls", []).append(copy)
        self.placed.setdefault(cid, copy)
        for child in control.get("controls", ()):
            self._control(copy, child)


def _merge_fields(first: JSON, other: JSON) -> None:
    """``merge``: list items the first copy lacks are appended; for anything else the first value wins."""
    for key, value in other.items():
        if key == "controls":
            continue
        if key not in first:
            first[key] = value
        elif isinstance(value, list) and isinstance(first[key], list):
            first[key] = [*first[key], *(item for item in value if item not in first[key])]
