"""OSCAL profile resolution: a profile, and the catalogs or profiles it imports, become one catalog.

The phases follow NIST's Profile Resolution specification (usnistgov/OSCAL,
``src/specifications/profile-resolution``):

* **select**: each import names a catalog or profile (a relative or ``file:`` href, or ``#uuid`` of a
  back-matter resource whose rlinks name the file); imported profiles are resolved first. The import
  keeps ``include-all`` or the ``include-controls`` (``with-ids``, glob ``matching``,
  ``with-child-controls``) minus the ``exclude-controls``; exclusion wins.
* **merge**: ``as-is`` keeps the source structure, ``flat`` (or no merge) lists the controls without
  groups; ``combine`` says what happens to a control selected twice (``use-first``, ``merge``, ``keep``).
* **modify**: ``set-parameters`` and ``alters`` (see :mod:`securable.oscal.resolution.modify`).

Where the draft specification leaves room, the result matches NIST's own resolved SP 800-53
baselines, which the tests use as the oracle: under ``as-is`` a control that holds a selected
control is kept whole (NIST's resolved PRIVACY baseline keeps AC-3 to hold AC-3(14)); back-matter
keeps exactly the resources the result refers to; loose parameters only when inserted somewhere.

Three deliberate departures, because a baseline that silently loses controls misleads whoever relies
on it: a missing import, a circular import and an ``include-controls`` ID the catalog lacks are
errors, not dropped imports. ``merge/custom`` is not supported and says so.

Output is deterministic (a uuid5 from the profile's uuid, no clock), so resolving twice gives the
same bytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from securable.errors import InputError

JSON = dict[str, Any]
_UUID_REF = re.compile(r"#([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})")
_PARAM_REF = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
_COMBINE = ("use-first", "merge", "keep")
_MAX_SHOWN = 10  # unknown IDs listed in one message
MAX_IMPORT_DEPTH = 1000  # profiles importing profiles; real baselines nest two or three deep
MAX_CONTROLS = 100_000  # in one resolved catalog; SP 800-53 Rev. 5 has about 1,200


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved profile: the catalog document and what went into it."""

    document: JSON  # {"catalog": {...}}
    selected: tuple[str, ...]  # control IDs the profile selects, in catalog order
    implicit: tuple[str, ...]  # controls kept only because they hold selected ones (merge as-is)
    warnings: tuple[str, ...]  # things the specification lets a resolver pass over, worth telling
    sources: tuple[str, ...]  # every file read, in the order read

    @property
    def catalog(self) -> JSON:
        body: JSON = self.document["catalog"]
        return body

    def control_ids(self) -> list[str]:
        """Every control in the resolved catalog, in document order (selected and implicit)."""
        return [c["id"] for c in iter_controls(self.catalog)]


def resolve_file(path: Path, *, catalog: Path | None = None) -> Resolved:
    """Resolve the OSCAL profile in ``path``.

    ``catalog`` stands in for any import that does not lead to a readable local file (NIST's
    baseline profiles point into NIST's repository layout); each such substitution is a warning.
    """
    resolver = _Resolver(catalog)
    doc, real = resolver.load(path, str(path))
    return resolver.top(doc, name=path.name, base=real.parent, origin=real)


def resolve_document(
    doc: object, *, name: str, base: Path | None = None, catalog: Path | None = None
) -> Resolved:
    """Resolve an already parsed profile document; relative hrefs resolve against ``base``."""
    return _Resolver(catalog).top(_checked(doc, name, name), name=name, base=base or Path.cwd(), origin=None)


def iter_controls(node: JSON) -> Iterator[JSON]:
    """Every control in a catalog (or group, or control's children), depth first, in document order."""
    for control in node.get("controls", ()):
        yield control
        yield from iter_controls(control)
    for group in node.get("groups", ()):
        yield from iter_controls(group)


# ---- reading documents ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """A profile being resolved: its imports are taken one by one, a profile import first resolved."""

    profile: JSON
    name: str
    base: Path
    path: Path | None  # None for a document given in memory
    selections: list[Selection]


class _Resolver:
    """One resolution run: the documents read so far, the fallback catalog and the warnings.

    Import graphs come from the input, so nothing here recurses on them: the open profiles sit on an
    explicit stack (a chain of 10,000 imports costs memory, not Python's stack, and is refused past
    MAX_IMPORT_DEPTH), and each profile is resolved once per run, however often it is imported (a
    diamond of imports would otherwise take time exponential in its depth).
    """

    def __init__(self, fallback: Path | None) -> None:
        self.fallback = fallback
        self.cache: dict[Path, JSON] = {}
        self.resolved: dict[Path, _Result] = {}
        self.warnings: list[str] = []
        self.sources: list[str] = []

    def load(self, path: Path, where: str) -> tuple[JSON, Path]:
        """A parsed and schema-checked OSCAL catalog or profile, read once per run."""
        from securable.inputfile import real as real_path
        from securable.oscal.validate import MAX_BYTES, parse_json, read_bytes

        real = real_path(path)
        if real not in self.cache:
            self.cache[real] = _checked(parse_json(read_bytes(path, MAX_BYTES), str(path)), str(path), where)
            self.sources.append(str(path))
        return self.cache[real], real

    def top(self, doc: object, *, name: str, base: Path, origin: Path | None) -> Resolved:
        if not isinstance(doc, dict) or "profile" not in doc:
            found = "an OSCAL catalog" if isinstance(doc, dict) and "catalog" in doc else "not a profile"
            raise InputError(
                f"expected an OSCAL profile, found {found}",
                hint="give a profile; a catalog goes to --catalog",
                location=name,
            )
        result = self.run(self.open(doc["profile"], name, base, origin))
        return Resolved(
            document={"catalog": result.body},
            selected=result.selected,
            implicit=result.implicit,
            warnings=tuple(dict.fromkeys(self.warnings)),  # a twice-met duplicate is told once
            sources=tuple(self.sources),
        )

    def run(self, first: _Open) -> _Result:
        """Resolve ``first`` and every profile it imports, depth first, without recursion."""
        stack = [first]
        while True:
            current = stack[-1]
            imports = current.profile["imports"]
            number = len(current.selections)
            if number < len(imports):
                imp = imports[number]
                where = f"{current.name}: imports[{number}]"
                doc, path = self.locate(_href(imp, where), current.profile, current.base, where)
                if "catalog" in doc:
                    current.selections.append(self.select(imp, doc["catalog"], where))
                elif path in self.resolved:
                    current.selections.append(self.select(imp, self.resolved[path].body, where))
                else:
                    _check_chain(stack, path, where)
                    stack.append(self.open(doc["profile"], path.name, path.parent, path))
                continue
            result = self.finish(current)
            stack.pop()
            if current.path is not None:
                self.resolved[current.path] = result
            if not stack:
                return result
            parent = stack[-1]
            number = len(parent.selections)
            where = f"{parent.name}: imports[{number}]"
            parent.selections.append(self.select(parent.profile["imports"][number], result.body, where))

    def open(self, profile: JSON, name: str, base: Path, path: Path | None) -> _Open:
        merge = profile.get("merge") or {}
        if "custom" in merge:
            raise InputError("merge/custom is not supported", hint="use as-is or flat", location=name)
        method = _method(profile)
        if method not in _COMBINE:
            raise InputError(f"unknown merge/combine method {method!r}", hint="use-first, merge or keep")
        return _Open(profile, name, base, path, [])

    def finish(self, current: _Open) -> _Result:
        profile, name, selections = current.profile, current.name, current.selections
        merge = profile.get("merge") or {}
        as_is = merge.get("as-is") in (True, "true", "yes")
        from securable.oscal.resolution.combine import combine

        body, selected, implicit = combine(
            selections, as_is=as_is, method=_method(profile), warnings=self.warnings
        )
        count = sum(1 for _ in iter_controls(body))
        if count > MAX_CONTROLS:
            raise InputError(
                f"the resolved catalog would hold {count:,} controls, more than {MAX_CONTROLS:,}",
                hint="imports that select the same controls again and again (e.g. a diamond of profiles "
                "under merge/combine 'keep', which keeps every copy) multiply them; use 'use-first' or "
                "'merge'",
                location=name,
            )
        if "modify" in profile:
            from securable.oscal.resolution.modify import apply

            apply(body, profile["modify"], self.warnings, name)
        _keep_inserted_params(body)
        resources = [r for s in selections for r in s.catalog.get("back-matter", {}).get("resources", ())]
        resources += profile.get("back-matter", {}).get("resources", ())
        out: JSON = {"uuid": _derived_uuid(profile["uuid"]), "metadata": _metadata(profile["metadata"], name)}
        out.update(body)
        kept = _referenced(resources, out)
        if kept:
            out["back-matter"] = {"resources": kept}
        return _Result(out, selected, implicit)

    def select(self, imp: JSON, source: JSON, where: str) -> Selection:
        index = _Index(source)
        return Selection(source, index, _included(imp, index, where, self.warnings))

    def locate(self, href: str, profile: JSON, base: Path, where: str) -> tuple[JSON, Path]:
        from securable.inputfile import is_file

        tried: list[str] = []
        for candidate in _candidates(href, profile, where):
            path = _local_path(candidate, base)
            if path is None:
                tried.append(f"{candidate} (not fetched: Securable reads local files only)")
                continue
            for variant in _variants(path):
                try:
                    found = is_file(variant)
                except InputError as err:  # a link loop or an over-long name: say which import
                    raise InputError(f"{err.message}: {err.location}", hint=err.hint, location=where) from err
                if found:
                    return self.load(variant, where)
                tried.append(str(variant))
        if self.fallback is not None:
            self.warnings.append(f"{where}: {href} is not a local file; used {self.fallback} instead")
            return self.load(self.fallback, where)
        raise InputError(
            f"cannot find the imported document {href!r}",
            hint=f"tried {'; '.join(tried) or 'nothing'}; name the catalog with --catalog FILE",
            location=where,
        )


def _method(profile: JSON) -> str:
    return str(((profile.get("merge") or {}).get("combine") or {}).get("method", "keep"))


def _href(imp: JSON, where: str) -> str:
    href = imp.get("href")
    if not isinstance(href, str) or not href:
        raise InputError(
            "this import has no href, so it names no catalog or profile",
            hint='give it an "href": a relative path, a file: URI, or #uuid of a back-matter resource',
            location=where,
        )
    return href


def _check_chain(stack: list[_Open], path: Path, where: str) -> None:
    """Refuse a circular import, or a chain of imported profiles longer than MAX_IMPORT_DEPTH."""
    chain = [o.path for o in stack if o.path is not None]
    if path in chain:
        names = " -> ".join(p.name for p in (*chain[chain.index(path) :], path))
        raise InputError(f"circular import: {names}", hint="a profile may not import itself", location=where)
    if len(stack) >= MAX_IMPORT_DEPTH:
        chained = [*(o.name for o in stack), path.name]
        shown = " -> ".join([*chained[:3], "…", *chained[-3:]])
        raise InputError(
            f"imports nest more than {MAX_IMPORT_DEPTH:,} profiles deep: {shown}",
            hint="a profile chain this long is not a real baseline; check the hrefs for a generated loop",
            location=where,
        )


def _checked(doc: object, name: str, where: str) -> JSON:
    """The document, if it is an OSCAL catalog or profile that the 1.2.1 schema accepts."""
    from securable.oscal.validate import validate_document

    report = validate_document(_schema_view(doc), name=name)
    if report.model not in ("catalog", "profile"):
        raise InputError(f"is an OSCAL {report.model}, not a catalog or profile", location=name, hint=where)
    if not report.ok:
        shown = "; ".join(str(p) for p in report.problems[:3])
        more = f" (and {len(report.problems) - 3} more)" if len(report.problems) > 3 else ""
        raise InputError(
            f"not a valid OSCAL {report.model}: {shown}{more}",
            hint=f"check it with `securable oscal validate {name}`",
            location=name,
        )
    if not isinstance(doc, dict):  # validate_document refuses anything else; this tells mypy
        raise InputError("not a JSON object", location=name)
    return doc


def _schema_view(doc: object) -> object:
    """The document as the 1.2.1 JSON schema should see it: without ``merge/combine/method``.

    The metaschema, the XML schema and the specification all define ``method``, but the generated
    JSON schema lost it (usnistgov/OSCAL#2259), so valid 1.0 and 1.1 profiles that set it would fail.
    ``method`` is checked by the resolver itself instead.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("profile"), dict):
        return doc
    merge = doc["profile"].get("merge")
    if not isinstance(merge, dict) or not isinstance(merge.get("combine"), dict):
        return doc
    combine = {k: v for k, v in merge["combine"].items() if k != "method"}
    return {**doc, "profile": {**doc["profile"], "merge": {**merge, "combine": combine}}}


def _candidates(href: str, profile: JSON, where: str) -> list[str]:
    """The hrefs to try for an import: itself, or the rlinks of the back-matter resource it names."""
    if not href.startswith("#"):
        return [href]
    uuid = href[1:]
    for resource in profile.get("back-matter", {}).get("resources", ()):
        if resource.get("uuid") == uuid:
            links = [link["href"] for link in resource.get("rlinks", ())]
            # JSON first: it is the only form we read (NIST lists XML, JSON and YAML twins).
            return sorted(links, key=lambda h: not h.lower().endswith(".json"))
    raise InputError(f"import href {href} names no resource in the profile's back-matter", location=where)


def _local_path(href: str, base: Path) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        return None
    raw = unquote(parts.path if parts.scheme == "file" else href.partition("#")[0])
    path = Path(raw)
    return path if path.is_absolute() else base / path


def _variants(path: Path) -> list[Path]:
    # NIST publishes every OSCAL file as XML, JSON and YAML side by side; 5.0.1 profiles name the XML.
    if path.suffix.lower() in (".xml", ".yaml", ".yml"):
        return [path, path.with_suffix(".json")]
    return [path]


# ---- selection -----------------------------------------------------------------------------------


class _Index:
    """Where every control of one catalog sits: document order, parent control and children."""

    __slots__ = ("children", "ids", "parent")

    def __init__(self, catalog: JSON) -> None:
        self.ids: list[str] = []
        self.parent: dict[str, str | None] = {}
        self.children: dict[str, list[str]] = {}
        self._walk(catalog, None)

    def _walk(self, node: JSON, parent: str | None) -> None:
        for control in node.get("controls", ()):
            cid = control["id"]
            if cid not in self.parent:  # a duplicate (from a `keep` resolution) is indexed once
                self.ids.append(cid)
                self.parent[cid] = parent
                if parent is not None:
                    self.children.setdefault(parent, []).append(cid)
            self._walk(control, cid)
        for group in node.get("groups", ()):
            self._walk(group, parent)

    def descendants(self, cid: str) -> Iterator[str]:
        for child in self.children.get(cid, ()):
            yield child
            yield from self.descendants(child)

    def ancestors(self, cid: str) -> Iterator[str]:
        parent = self.parent.get(cid)
        while parent is not None:
            yield parent
            parent = self.parent.get(parent)


@dataclass(frozen=True, slots=True)
class Selection:
    """What one import contributes: its source catalog and the IDs it keeps."""

    catalog: JSON
    index: _Index
    keep: frozenset[str]


def _included(imp: JSON, index: _Index, where: str, warnings: list[str]) -> frozenset[str]:
    # No include-controls means include-all, stated or implied (the specification's "implicit all").
    selectors = imp.get("include-controls")
    keep = set(index.ids) if selectors is None else _pick(selectors, index, where, warnings, strict=True)
    excluded = _pick(imp.get("exclude-controls", ()), index, where, warnings, strict=False)
    return frozenset(keep - excluded)


def _pick(
    selectors: Iterable[JSON], index: _Index, where: str, warnings: list[str], *, strict: bool
) -> set[str]:
    picked: set[str] = set()
    unknown: list[str] = []
    kind = "include-controls" if strict else "exclude-controls"
    for selector in selectors:
        got: set[str] = set()
        for cid in selector.get("with-ids", ()):
            (got.add if cid in index.parent else unknown.append)(cid)
        for match in selector.get("matching", ()):
            pattern = str(match.get("pattern", ""))
            hits = [cid for cid in index.ids if fnmatchcase(cid, pattern)]
            if not hits:
                warnings.append(f"{where}: {kind} pattern {pattern!r} matches no control")
            got.update(hits)
        if selector.get("with-child-controls") == "yes":
            got.update(d for cid in list(got) for d in index.descendants(cid))
        picked |= got
    if unknown:
        listed = ", ".join(unknown[:_MAX_SHOWN]) + (" ..." if len(unknown) > _MAX_SHOWN else "")
        message = f"{kind} names {len(unknown)} control ID(s) the imported catalog lacks: {listed}"
        if strict:
            from securable.catalog.store import closest

            near = sorted({hit for cid in unknown[:_MAX_SHOWN] for hit in closest(cid, index.ids, n=2)})
            raise InputError(
                message,
                hint=(f"close IDs in the catalog: {', '.join(near)}; " if near else "")
                + "check the profile against the catalog version it was written for",
                location=where,
            )
        warnings.append(f"{where}: {message}")
    return picked


# ---- what the result keeps -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Result:
    body: JSON
    selected: tuple[str, ...]
    implicit: tuple[str, ...]


def _keep_inserted_params(body: JSON) -> None:
    """Loose parameters (in the catalog or a group, not a control) stay only when something inserts them."""
    holders = [body, *_groups(body)]
    if not any(h.get("params") for h in holders):
        return
    loose = {p["id"]: p for h in holders for p in h.get("params", ())}
    text = json.dumps({k: v for k, v in body.items() if k != "params"}, ensure_ascii=False)
    wanted = set(_PARAM_REF.findall(text))
    # A kept parameter may insert another (e.g. in its guidelines); follow those too.
    frontier = wanted & set(loose)
    while frontier:
        more = set(_PARAM_REF.findall(json.dumps([loose[p] for p in frontier])))
        frontier = (more & set(loose)) - wanted
        wanted |= more
    for holder in holders:
        if "params" in holder:
            kept = [p for p in holder["params"] if p["id"] in wanted]
            if kept:
                holder["params"] = kept
            else:
                del holder["params"]


def _groups(node: JSON) -> Iterator[JSON]:
    for group in node.get("groups", ()):
        yield group
        yield from _groups(group)


def _referenced(resources: list[JSON], doc: JSON) -> list[JSON]:
    """The back-matter resources the document refers to (``#uuid``), first copy of each, in order."""
    by_uuid: dict[str, JSON] = {}
    for resource in resources:
        by_uuid.setdefault(resource["uuid"], resource)
    wanted = set(_UUID_REF.findall(json.dumps(doc, ensure_ascii=False))) & set(by_uuid)
    frontier = set(wanted)
    while frontier:  # resources may cite other resources
        found = set(_UUID_REF.findall(json.dumps([by_uuid[u] for u in frontier]))) & set(by_uuid)
        frontier = found - wanted
        wanted |= found
    return [r for u, r in by_uuid.items() if u in wanted]


def _metadata(source: JSON, name: str) -> JSON:
    """The profile's metadata, marked as a resolution result (NIST's resolver does the same)."""
    from securable import __version__
    from securable.oscal import OSCAL_VERSION

    out = dict(source)
    out["oscal-version"] = OSCAL_VERSION
    out["props"] = [
        {"name": "resolution-tool", "value": f"Securable {__version__}"},
        *source.get("props", ()),
    ]
    href = quote(os.fsencode(Path(name).name))  # a name that is not UTF-8 keeps its bytes (%FF)
    out["links"] = [{"href": href, "rel": "source-profile"}, *source.get("links", ())]
    return out


def _derived_uuid(profile_uuid: str) -> str:
    from securable.oscal.blocks import stable_uuid

    return stable_uuid("resolved-profile", profile_uuid)
