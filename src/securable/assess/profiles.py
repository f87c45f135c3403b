"""Profile files: a baseline tailored to a sector or use case (NISTIR 8259 section 3.3).

A profile starts from shipped baselines (``base``), adds catalog records (``select``), leaves some
out with a reason (``exclude``: they are reported as not applicable) and adds requirements of its
own (``add``). The format is documented in ``docs/profiles.md``; an example is
``examples/profiles/medical-device.yaml``.

The YAML is read by the product package's defensive reader (size limit, no anchors, aliases or
tags), so a profile gets the same protection and the same ``file:line:column`` positions. Every
problem is collected and reported at once, each as ``file:line:column: where: what; how to fix``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from securable.assess.areas import AREAS, areas_for
from securable.assess.requirements import (
    BASELINES,
    REQUIREMENT_KINDS,
    Requirement,
    Target,
    baseline_target,
    requirement_for,
    requirements_within,
)
from securable.catalog import Record, find, load
from securable.catalog.store import catalog_ids, closest
from securable.errors import InputError
from securable.inputs import check_size, read_profile_file
from securable.product.yamlsource import Loc, SourceDoc, decode, read_yaml

FORMAT_VERSION = 1
VERSION_KEY = "securable-profile"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_FIELDS = ("id", "title", "description", "base", "select", "exclude", "add")
_ADD_FIELDS = ("id", "title", "text", "satisfied_by", "capability", "areas")


class ProfileInvalid(InputError):
    """A profile file that was read but is wrong; every problem is in ``problems``."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems

    def render(self) -> str:
        return "\n".join([self.message, *(f"  - {p}" for p in self.problems)])


def load_profile(path: Path, raw: bytes | None = None) -> Target:
    """Read, check and resolve a profile file into the requirements it stands for.

    ``raw`` is the file's content when the caller has read it already
    (:func:`securable.inputs.read_profile_file`), so a pipe is read once and what is hashed is checked.
    """
    if raw is None:
        raw = read_profile_file(path)
    check_size(len(raw), str(path))
    return parse_profile(decode(raw, str(path)), filename=str(path))


def parse_profile(text: str, *, filename: str) -> Target:
    doc = read_yaml(text.removeprefix("\ufeff"), filename)
    data = doc.data
    if not isinstance(data, dict):
        doc.add(doc.at(()), "", "the top level must be a mapping", f"start with `{VERSION_KEY}: 1`")
        raise _failed(doc)
    target = _Builder(doc, data).build()
    if doc.problems:
        raise _failed(doc)
    return target


def _failed(doc: SourceDoc) -> ProfileInvalid:
    problems = sorted(set(doc.problems))
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return ProfileInvalid(
        f"{doc.filename}: {count} in the profile",
        [f"{doc.filename}:{p.line}:{p.column}: {p.text}" for p in problems],
    )


def _where(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Builder:
    """Checks one profile document field by field, collecting problems, and builds its target."""

    def __init__(self, doc: SourceDoc, data: dict[str, Any]) -> None:
        self.doc = doc
        self.data = data

    def problem(self, loc: Loc, what: str, fix: str, *, key: bool = False) -> None:
        self.doc.add(self.doc.at(loc, key=key), _where(loc), what, fix)

    def build(self) -> Target:
        self._check_header()
        profile_id = self._text("id", required=True) or "profile"
        if not _ID.match(profile_id):
            self.problem(("id",), f"{profile_id!r} is not a valid ID", "use letters, digits, '.', '_' or '-'")
        elif profile_id.casefold() in {c.casefold() for c in catalog_ids()}:
            # its added requirements would be read as that catalog's records (nistir-8259a:MD-1)
            self.problem(
                ("id",),
                f"{profile_id!r} is the ID of a shipped catalog",
                f"give the profile an ID of its own, e.g. 'my-{profile_id}'",
            )
        title = self._text("title") or profile_id
        description = self._text("description") or ""
        requirements: dict[str, Requirement] = {}
        for name in self._list("base"):
            for requirement in name:
                requirements.setdefault(requirement.id, requirement)
        for selected in self._list("select"):
            for requirement in selected:
                requirements.setdefault(requirement.id, requirement)
        self._exclude(requirements)
        added = self._add(profile_id, requirements)
        if not requirements and not added and not self.doc.problems:
            self.problem((), "the profile selects nothing", "give `base`, `select` or `add`")
        return Target(
            profile_id, "profile", title, (*requirements.values(), *added), self.doc.filename, description
        )

    # --- header and plain fields -------------------------------------------------------------

    def _check_header(self) -> None:
        for key in self.data:
            if key not in (VERSION_KEY, *_FIELDS):
                near = closest(key, [VERSION_KEY, *_FIELDS], n=1)
                fix = f"did you mean {near[0]!r}?" if near else "allowed: " + ", ".join(_FIELDS)
                self.problem((key,), f"unknown field {key!r}", fix, key=True)
        version = self.data.get(VERSION_KEY)
        if VERSION_KEY not in self.data:
            self.doc.add((1, 1), VERSION_KEY, "the format version key is missing", f"add `{VERSION_KEY}: 1`")
        elif version != FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                (VERSION_KEY,), f"format version {version!r} is not supported", f"write `{VERSION_KEY}: 1`"
            )

    def _text(self, key: str, *, required: bool = False, within: Loc = ()) -> str | None:
        holder: Any = self.data
        for part in within:
            holder = holder[part]
        value = holder.get(key)
        if value is None:
            if required:
                self.problem(within, f"required field {key!r} is missing", f"add `{key}: ...`")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*within, key), f"expected text, got {value!r}", "write a line of text")
            return None
        return value.strip()

    def _list(self, key: str) -> list[list[Requirement]]:
        """``base`` or ``select``: one list of requirements per entry that resolves."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]  # a single entry written without brackets
            self.doc.values.setdefault((key, 0), self.doc.at((key,)))
        if not isinstance(value, list):
            self.problem((key,), "expected a list", f"write e.g. `{key}: [nistir-8259a]`")
            return []
        found = []
        for index, entry in enumerate(value):
            loc: Loc = (key, index)
            if not isinstance(entry, str):
                self.problem(loc, f"expected an ID, got {entry!r}", "write the ID as text")
            elif key == "base":
                found.append(self._base(loc, entry))
            else:
                record = self._record(loc, entry)
                if record is not None:
                    cat = load(record.catalog)
                    found.append([requirement_for(cat, r) for r in requirements_within(record)])
        return found

    def _base(self, loc: Loc, name: str) -> list[Requirement]:
        if name not in BASELINES:
            near = closest(name, list(BASELINES), n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            self.problem(loc, f"unknown baseline {name!r}", f"{hint}use one of: {', '.join(BASELINES)}")
            return []
        return list(baseline_target(name).requirements)

    def _record(self, loc: Loc, ref: str) -> Record | None:
        """A catalog record named by ``catalog:ID`` or a bare ID that only one catalog holds."""
        ref = ref.strip()
        catalog, sep, bare = ref.rpartition(":")
        if sep and catalog not in REQUIREMENT_KINDS:
            near = closest(catalog, list(REQUIREMENT_KINDS), n=1)
            hint = f"did you mean '{near[0]}:{bare}'? " if near else ""
            self.problem(
                loc, f"{catalog!r} is not an IoT catalog", f"{hint}use {', '.join(REQUIREMENT_KINDS)}"
            )
            return None
        found = [r for r in find(ref) if r.catalog in REQUIREMENT_KINDS] if ref else []
        if len(found) == 1:
            return found[0]
        if found:
            options = ", ".join(r.qualified_id for r in found)
            self.problem(loc, f"{ref!r} is in more than one catalog", f"name one of: {options}")
            return None
        ids = [r.qualified_id for c in ([catalog] if sep else REQUIREMENT_KINDS) for r in load(c)]
        near = closest(ref if sep else f"{_guess_catalog(bare)}:{bare}", ids, n=3)
        shown = [repr(n) for n in near]
        listed = ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else "".join(shown)
        fix = f"did you mean {listed}?" if near else "look the ID up with `securable catalog search`"
        self.problem(loc, f"no catalog record {ref!r}", fix)
        return None

    # --- exclude and add -----------------------------------------------------------------------

    def _exclude(self, requirements: dict[str, Requirement]) -> None:
        value = self.data.get("exclude")
        if value is None:
            return
        if not isinstance(value, dict):
            self.problem(
                ("exclude",), "expected a mapping of ID: reason", "write e.g. `exclude: {8259A-DP.3: why}`"
            )
            return
        for ref, reason in value.items():
            loc: Loc = ("exclude", ref)
            if not isinstance(reason, str) or not reason.strip():
                self.problem(
                    loc,
                    "no reason given",
                    f'say why it does not apply, e.g. {ref}: "the device stores no data"',
                    key=reason is None,
                )
            record = self._record(loc, ref)
            if record is None:
                continue
            inside = {r.qualified_id for r in requirements_within(record)}
            hit = [qid for qid in requirements if qid in inside]
            if not hit:
                self.problem(
                    loc,
                    f"{record.qualified_id} is not among the requirements `base` and `select` give",
                    "remove it, or select it first",
                    key=True,
                )
            for qid in hit:
                why = reason.strip() if isinstance(reason, str) else ""
                requirements[qid] = replace(requirements[qid], excluded=why)

    def _add(self, profile_id: str, requirements: dict[str, Requirement]) -> list[Requirement]:
        value = self.data.get("add")
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(("add",), "expected a list of requirements", "write each as `- id: ...` with text")
            return []
        added: list[Requirement] = []
        seen: set[str] = set()
        for index, entry in enumerate(value):
            loc: Loc = ("add", index)
            if not isinstance(entry, dict):
                self.problem(loc, "expected a mapping with id and text", "write `- id: MD-1` and `text: ...`")
                continue
            for key in entry:
                if key not in _ADD_FIELDS:
                    near = closest(key, list(_ADD_FIELDS), n=1)
                    fix = f"did you mean {near[0]!r}?" if near else "allowed: " + ", ".join(_ADD_FIELDS)
                    self.problem((*loc, key), f"unknown field {key!r}", fix, key=True)
            requirement = self._added(profile_id, loc, entry, seen)
            if requirement is not None:
                added.append(requirement)
        return added

    def _added(self, profile_id: str, loc: Loc, entry: dict[str, Any], seen: set[str]) -> Requirement | None:
        local = self._text("id", required=True, within=loc)
        text = self._text("text", required=True, within=loc)
        title = self._text("title", within=loc)
        if local is not None and not _ID.match(local):
            self.problem((*loc, "id"), f"{local!r} is not a valid ID", "use letters, digits, '.', '_' or '-'")
        if local is not None and local in seen:
            self.problem((*loc, "id"), f"duplicate id {local!r}", "give each added requirement its own id")
        if local is not None:
            seen.add(local)
        satisfied: list[Record] = []
        refs = entry.get("satisfied_by")
        if refs is None:
            refs = []
        elif not isinstance(refs, list):
            self.problem(
                (*loc, "satisfied_by"), "expected a list of catalog IDs", "write e.g. [sp800-213a:DS-4.1]"
            )
            refs = []
        for i, ref in enumerate(refs):
            where: Loc = (*loc, "satisfied_by", i)
            if not isinstance(ref, str):
                self.problem(where, f"expected a catalog ID, got {ref!r}", "write the ID as text")
                continue
            record = self._record(where, ref)
            if record is not None:
                satisfied.append(record)
        capability_id, capability_title = f"{profile_id}:added", "Added by this profile"
        capability = entry.get("capability")
        if capability is not None and not isinstance(capability, str):
            self.problem(
                (*loc, "capability"),
                f"expected a catalog ID, got {capability!r}",
                "write the ID as text, e.g. nistir-8259b:8259B-DOC",
            )
        elif capability is not None:
            record = self._record((*loc, "capability"), capability)
            if record is not None:
                capability_id, capability_title = record.qualified_id, record.title or record.label
        areas = self._areas(loc, entry, satisfied, capability_id)
        if local is None or text is None:
            return None
        return Requirement(
            id=f"{profile_id}:{local}",
            title=title or (text if len(text) <= 90 else text[:87].rstrip() + "..."),
            text=text,
            capability=capability_id,
            capability_title=capability_title,
            areas=areas,
            satisfied_by=tuple(r.qualified_id for r in satisfied),
        )

    def _areas(
        self, loc: Loc, entry: dict[str, Any], satisfied: list[Record], capability: str
    ) -> tuple[str, ...]:
        given = entry.get("areas")
        if given is None:  # the areas of what satisfies it, or of the capability it is filed under
            codes = [_root(r).id for r in satisfied] + ([capability.partition(":")[2]] if capability else [])
            found = {a for code in codes for a in areas_for(code)}
            return tuple(a for a in AREAS if a in found)
        if isinstance(given, str):
            given = [given]
        elif not isinstance(given, list):
            self.problem(
                (*loc, "areas"), f"expected a list of areas, got {given!r}", f"use {', '.join(AREAS)}"
            )
            return ()
        areas = []
        for i, area in enumerate(given):
            if not isinstance(area, str):
                self.problem(
                    (*loc, "areas", i), f"expected an area name, got {area!r}", f"use {', '.join(AREAS)}"
                )
                continue
            if area in AREAS:
                areas.append(area)
                continue
            near = closest(str(area), list(AREAS), n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            self.problem(
                (*loc, "areas", i), f"unknown risk mitigation area {area!r}", f"{hint}use {', '.join(AREAS)}"
            )
        return tuple(a for a in AREAS if a in areas)


def _root(record: Record) -> Record:
    ancestors = load(record.catalog).ancestors(record.id)
    return ancestors[0] if ancestors else record


def _guess_catalog(bare: str) -> str:
    """The catalog a bare ID most likely belongs to, from its shape, for suggestions."""
    if bare.startswith("8259A-"):
        return "nistir-8259a"
    if bare.startswith("8259B-"):
        return "nistir-8259b"
    if bare.startswith(("FP-", "FPN-")):
        return "federal-profile-2020"
    return "sp800-213a"
