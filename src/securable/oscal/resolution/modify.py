"""The modify phase of profile resolution: ``set-parameters`` and ``alters`` (removes and adds).

Parameter settings replace ``label``, ``usage``, ``class`` and the value (``values`` or ``select``,
each replacing both) and add to ``props``, ``links``, ``constraints`` and ``guidelines``, applied in
profile order. ``removes`` drop every param, prop, link or part of the control (parts searched
through their sub-parts, never into child controls) that meets all the given ``by-*`` conditions.
``adds`` without ``by-id`` go to the start (``starting``/``before``) or end of the control's own
lists; with ``by-id`` they go inside the identified part or param (``starting``/``ending``) or beside
it (``before``/``after``). JSON keeps each kind of item in its own list, so an item of another kind
than the target lands at the start or end of its own list in the same container.

The specification calls a directive that names nothing in the result inoperative; each one is a
warning here, since it usually means a typo or a catalog of another version.
"""

from __future__ import annotations

import copy
from typing import Any

from securable.oscal.resolution.resolve import iter_controls

JSON = dict[str, Any]
_LISTS = (("params", "param"), ("props", "prop"), ("links", "link"), ("parts", "part"))
_BY = ("by-name", "by-class", "by-id", "by-item-name", "by-ns")
_ITEM_KEYS = {"by-name": "name", "by-class": "class", "by-id": "id", "by-ns": "ns"}


def apply(body: JSON, modify: JSON, warnings: list[str], where: str) -> None:
    """Apply the profile's ``modify`` to the resolved catalog body, in place."""
    controls: dict[str, list[JSON]] = {}
    for control in iter_controls(body):
        controls.setdefault(control["id"], []).append(control)
    for n, setting in enumerate(modify.get("set-parameters", ())):
        if not _set_parameter(body, setting):
            warnings.append(
                f"{where}: modify.set-parameters[{n}]: no parameter {setting['param-id']!r} in the result"
            )
    owned: set[int] = set()
    for n, alter in enumerate(modify.get("alters", ())):
        cid = alter["control-id"]
        targets = controls.get(cid)
        if not targets:
            warnings.append(f"{where}: modify.alters[{n}]: control {cid!r} is not in the result")
            continue
        for control in targets:
            if id(control) not in owned:  # copy on first write: the source catalog stays untouched
                owned.add(id(control))
                for key, _ in _LISTS:
                    if key in control:
                        control[key] = copy.deepcopy(control[key])
            _alter(control, alter, f"{where}: modify.alters[{n}]", warnings)


def _set_parameter(body: JSON, setting: JSON) -> bool:
    pid = setting["param-id"]
    found = False
    for holder in _param_holders(body):
        params = holder.get("params")
        if not params:
            continue
        for i, param in enumerate(params):
            if param.get("id") == pid:
                holder["params"] = params = [*params[:i], _set(param, setting), *params[i + 1 :]]
                found = True
    return found


def _param_holders(node: JSON) -> list[JSON]:
    out = [node]
    for key in ("controls", "groups"):
        for child in node.get(key, ()):
            out += _param_holders(child)
    return out


def _set(param: JSON, setting: JSON) -> JSON:
    new = dict(param)
    for key, value in setting.items():
        if key == "param-id":
            continue
        if key in ("values", "select"):
            new.pop("values", None)
            new.pop("select", None)
            new[key] = value
        elif key in ("props", "links", "constraints", "guidelines"):
            new[key] = [*new.get(key, ()), *value]
        else:  # label, usage, class, depends-on: one value, replaced
            new[key] = value
    return new


def _alter(control: JSON, alter: JSON, where: str, warnings: list[str]) -> None:
    for n, rule in enumerate(alter.get("removes", ())):
        criteria = {k: rule[k] for k in _BY if k in rule}
        if not criteria:
            warnings.append(f"{where}.removes[{n}]: names nothing to remove (no by-* given)")
        elif not _remove(control, criteria):
            warnings.append(f"{where}.removes[{n}]: nothing in {control['id']} matches {criteria}")
    for n, add in enumerate(alter.get("adds", ())):
        if not _add(control, add):
            warnings.append(f"{where}.adds[{n}]: {control['id']} has no part or param {add['by-id']!r}")


def _remove(holder: JSON, criteria: dict[str, str]) -> int:
    removed = 0
    for key, item_name in _LISTS:
        if key not in holder:
            continue
        kept = []
        for item in holder[key]:
            if _matches(item, item_name, criteria):
                removed += 1
                continue
            if key == "parts":
                removed += _remove(item, criteria)
            kept.append(item)
        if kept:
            holder[key] = kept
        else:
            del holder[key]
    return removed


def _matches(item: JSON, item_name: str, criteria: dict[str, str]) -> bool:
    if criteria.get("by-item-name", item_name) != item_name:
        return False
    return all(item.get(field) == criteria[by] for by, field in _ITEM_KEYS.items() if by in criteria)


def _add(control: JSON, add: JSON) -> bool:
    position = add.get("position", "ending")
    by_id = add.get("by-id")
    if by_id is None or by_id == control["id"]:
        if "title" in add:
            control["title"] = add["title"]
        _insert(control, add, at_start=position in ("starting", "before"))
        return True
    found = _find(control, by_id)
    if found is None:
        return False
    container, key, index = found
    if position in ("starting", "ending"):
        _insert(container[key][index], add, at_start=position == "starting")
        return True
    for field, _ in _LISTS:
        items = add.get(field)
        if not items:
            continue
        current = list(container.get(field, ()))
        if field == key:
            at = index if position == "before" else index + 1
            current[at:at] = items
        else:
            current = [*items, *current] if position == "before" else [*current, *items]
        container[field] = current
    return True


def _insert(holder: JSON, add: JSON, *, at_start: bool) -> None:
    for field, _ in _LISTS:
        items = add.get(field)
        if items:
            current = holder.get(field, [])
            holder[field] = [*items, *current] if at_start else [*current, *items]


def _find(holder: JSON, target: str) -> tuple[JSON, str, int] | None:
    """Where the param or part with id ``target`` sits: its container, list key and position."""
    for key in ("params", "parts"):
        for i, item in enumerate(holder.get(key, ())):
            if item.get("id") == target:
                return holder, key, i
            if key == "parts" and (deeper := _find(item, target)) is not None:
                return deeper
    return None
