"""Reading an agency's requirements back from the OSCAL profile ``securable requirements`` writes.

The profile imports the shipped ``sp800-213a`` catalog (device capabilities and manufacturer
support) and the ``federal-profile-2020`` catalog (Agency actions) by their export file names, and
annotates each required record with ``called-for-by`` properties (see
:mod:`securable.agency.requirements.oscal_profile`).
Any OSCAL profile over those two catalogs is accepted, hand-written or tailored by other tools:
imports are matched by file name (``../catalogs/sp800-213a.oscal.json`` works too) and select
controls by ``with-ids``, ``matching`` globs, ``with-child-controls``, ``include-all`` and
``exclude-controls``, as NIST's profile resolution specification describes.

Everything wrong here is the agency's input, so it raises :class:`InputError` (exit code 2) instead
of being reported like a vendor's problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from securable import catalog as api
from securable.agency.requirements.derive import NON_TECHNICAL, TECHNICAL
from securable.agency.requirements.links import CAPABILITIES, FEDERAL, SEED_PREFIX
from securable.errors import InputError
from securable.oscal.blocks import oscal_id
from securable.oscal.export import catalog_href

SECTIONS = ("technical", "support", "agency")
_MAX_SHOWN = 10  # problems or unknown IDs quoted in one message

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Wanted:
    """One requirement of the agency: a catalog record and why it is required."""

    record: api.Record
    section: str  # "technical", "support" (SP 800-213A) or "agency" (Federal Profile Agency action)
    calls: tuple[str, ...]  # SP 800-53 control IDs from the called-for-by properties, if any
    added: str = ""  # the agency's reason, when it added the requirement by tailoring


@dataclass(frozen=True, slots=True)
class AgencyRequirements:
    source: str  # the file, as given
    title: str
    control_source: str  # e.g. "SP 800-53 Rev. 5 MODERATE baseline (...)", or ""
    items: tuple[Wanted, ...]  # catalog order: SP 800-213A first, then the Federal Profile
    warnings: tuple[str, ...] = ()

    def section(self, key: str) -> tuple[Wanted, ...]:
        return tuple(w for w in self.items if w.section == key)


def read_requirements(path: Path) -> AgencyRequirements:
    """The requirements in an OSCAL profile file (as written by ``securable requirements --format oscal``)."""
    from securable.oscal.validate import MAX_BYTES, parse_json, read_bytes

    return parse_requirements(parse_json(read_bytes(path, MAX_BYTES), str(path)), name=str(path))


def parse_requirements(doc: object, *, name: str) -> AgencyRequirements:
    """The requirements in a parsed OSCAL profile document, after checking it against the schema."""
    from securable.oscal.validate import validate_document

    report = validate_document(doc, name=name, model="profile")
    if not report.ok:
        shown = "; ".join(str(p) for p in report.problems[:_MAX_SHOWN])
        more = f" (and {len(report.problems) - _MAX_SHOWN} more)" if len(report.problems) > _MAX_SHOWN else ""
        raise InputError(
            f"not a valid OSCAL 1.2.1 profile: {shown}{more}",
            hint=f"`securable oscal validate {name}` lists every problem",
            location=name,
        )
    return requirements_from_document(doc, name=name)


def requirements_from_document(doc: object, *, name: str) -> AgencyRequirements:
    """The requirements in an already parsed (and schema-valid) OSCAL profile document."""
    if not isinstance(doc, dict) or not isinstance(doc.get("profile"), dict):
        raise InputError("expected an OSCAL profile", location=name)
    body: JSON = doc["profile"]
    warnings: list[str] = []
    selected: dict[str, set[str]] = {CAPABILITIES: set(), FEDERAL: set()}
    for number, imp in enumerate(body.get("imports", ())):
        catalog_id = _imported_catalog(str(imp.get("href", "")), name, number)
        selected[catalog_id] |= _selection(api.load(catalog_id), imp, f"{name}: imports[{number}]", warnings)
    calls, added = _alterations(body)
    items: list[Wanted] = []
    for catalog_id in (CAPABILITIES, FEDERAL):
        for record in api.load(catalog_id):
            if record.id not in selected[catalog_id]:
                continue
            section = _section(record)
            if section is None:
                # Capabilities, areas, supporting capabilities and Manufacturer actions say nothing
                # about what to ask of a vendor or do as an agency on their own.
                continue
            key = oscal_id(record.id)
            items.append(Wanted(record, section, tuple(calls.get(key, ())), added.get(key, "")))
    if not items:
        raise InputError(
            "the profile requires nothing Securable can evaluate",
            hint=f"give the profile `securable requirements --format oscal` writes; it imports "
            f"{catalog_href(CAPABILITIES)} and {catalog_href(FEDERAL)}",
            location=name,
        )
    metadata: JSON = body.get("metadata", {})
    source = next((p["value"] for p in metadata.get("props", ()) if p.get("name") == "control-source"), "")
    return AgencyRequirements(
        name, str(metadata.get("title", name)), str(source), tuple(items), tuple(warnings)
    )


def _imported_catalog(href: str, name: str, number: int) -> str:
    """The shipped catalog an import names, by the file name the OSCAL export gives it."""
    file_name = PurePosixPath(unquote(urlsplit(href).path)).name
    for catalog_id in (CAPABILITIES, FEDERAL):
        if file_name == catalog_href(catalog_id):
            return catalog_id
    raise InputError(
        f"imports[{number}] names {href!r}; only {catalog_href(CAPABILITIES)} and "
        f"{catalog_href(FEDERAL)} can be evaluated",
        hint="make the profile with `securable requirements --baseline NAME --format oscal`",
        location=name,
    )


def _selection(cat: api.Catalog, imp: JSON, where: str, warnings: list[str]) -> set[str]:
    """Record IDs an import keeps: included (all, when it names none) minus excluded."""
    # A profile selects OSCAL controls; the top-level records are OSCAL groups, never controls.
    by_token = {oscal_id(r.id): r.id for r in cat if r.parent is not None}
    if "include-controls" in imp:
        keep = _pick(cat, imp["include-controls"], by_token, where, warnings, strict=True)
    else:
        keep = set(by_token.values())
    keep -= _pick(cat, imp.get("exclude-controls", ()), by_token, where, warnings, strict=False)
    return keep


def _pick(
    cat: api.Catalog,
    selectors: Iterable[JSON],
    by_token: dict[str, str],
    where: str,
    warnings: list[str],
    *,
    strict: bool,
) -> set[str]:
    picked: set[str] = set()
    unknown: list[str] = []
    for selector in selectors:
        got: set[str] = set()
        for token in selector.get("with-ids", ()):
            if token in by_token:
                got.add(by_token[token])
            else:
                unknown.append(token)
        for match in selector.get("matching", ()):
            pattern = str(match.get("pattern", ""))
            got |= {record_id for token, record_id in by_token.items() if fnmatchcase(token, pattern)}
        if selector.get("with-child-controls") == "yes":
            got |= {d.id for record_id in list(got) for d in cat.descendants(record_id)}
        picked |= got
    if unknown:
        listed = ", ".join(unknown[:_MAX_SHOWN]) + (" ..." if len(unknown) > _MAX_SHOWN else "")
        message = f"{len(unknown)} control ID(s) that {cat.id} does not have: {listed}"
        if strict:
            raise InputError(
                f"the profile requires {message}",
                hint=f"the profile was written for another version of {cat.id}; make it again with "
                "`securable requirements`",
                location=where,
            )
        warnings.append(f"{where}: exclude-controls names {message}")
    return picked


def _alterations(body: JSON) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Calling controls and tailoring reasons by OSCAL control id, from ``modify.alters``."""
    calls: dict[str, list[str]] = {}
    added: dict[str, str] = {}
    for alter in body.get("modify", {}).get("alters", ()):
        token = alter.get("control-id", "")
        for add in alter.get("adds", ()):
            for prop in add.get("props", ()):
                if prop.get("name") == "called-for-by":
                    calls.setdefault(token, []).append(prop["value"])
                elif prop.get("name") == "tailoring" and prop.get("value") == "added":
                    added[token] = " ".join(str(prop.get("remarks", "")).split())
    return calls, added


def _section(record: api.Record) -> str | None:
    if record.catalog == FEDERAL:
        if record.kind == "agency-action" and not record.id.startswith(SEED_PREFIX):
            return "agency"
        return None
    root = record.id.split("-", 1)[0]
    if root in TECHNICAL:
        return "technical"
    return "support" if root in NON_TECHNICAL else None
