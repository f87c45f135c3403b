"""Consistency between the fields of a product description, checked on the raw data at load time.

The checks run on plain values rather than on the model so that they report even when other parts
of the file do not validate: IDs are unique, references to use cases, needs, means, audiences, data types
and parties resolve, catalog references name records of the shipped catalogs, dates come in a
possible order (so do the ends of a period of use), a data type's removal reaches only places it
is kept in, non-technical means carry no robustness, the SBOM file exists inside the product's
folder and is one `securable package` reads, and questions marked not
applicable are not answered anyway.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

from securable.errors import InputError, SecurableError
from securable.product.introspect import format_loc
from securable.product.model import CATALOG_REF_PATTERN, TECHNICAL_KINDS, Product
from securable.product.yamlsource import Loc, SourceDoc

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_COLLECTIONS: dict[str, Loc] = {
    "use case": ("use_cases",),
    "need": ("needs",),
    "means": ("means",),
    "audience": ("audiences",),
    "data type": ("composition", "data_types"),
    "party": ("composition", "parties"),
}
_REFERENCES: tuple[tuple[Loc, str], ...] = (
    (("needs", "*", "use_cases", "*"), "use case"),
    (("means", "*", "addresses", "*"), "need"),
    (("use_cases", "*", "audiences", "*"), "audience"),
    (("support_planning", "hardware_capabilities", "*", "means", "*"), "means"),
    (("means", "*", "robustness", "data_protection", "*", "data", "*"), "data type"),
    (("composition", "data_types", "*", "accessible_by", "*"), "party"),
)


def _glob(data: Any, pattern: Loc) -> list[tuple[Loc, Any]]:
    """Values at ``pattern`` in raw data; parts of the wrong type are skipped (the model reports them).

    Level by level rather than recursive generators: this runs ~200 times per product description
    and was the largest share of the cross-field checks.
    """
    found: list[tuple[Loc, Any]] = [((), data)]
    for head in pattern:
        if head == "*":
            found = [
                ((*loc, index), item)
                for loc, value in found
                if isinstance(value, list)
                for index, item in enumerate(value)
            ]
        else:
            found = [
                ((*loc, head), value[head])
                for loc, value in found
                if isinstance(value, dict) and head in value
            ]
        if not found:
            break
    return found


def check_consistency(doc: SourceDoc, data: dict[str, Any], base_dir: Path | None) -> None:
    ids = _check_ids(doc, data)
    for pattern, kind in _REFERENCES:
        for loc, ref in _glob(data, pattern):
            if isinstance(ref, str) and ref not in ids[kind]:
                doc.add(
                    doc.at(loc), format_loc(loc), f"unknown {kind} {ref!r}", _ref_fix(kind, ref, ids[kind])
                )
    _check_dates(doc, data)
    _check_year_ranges(doc, data)
    _check_removal_places(doc, data)
    for loc, means in _glob(data, ("means", "*")):
        if (
            isinstance(means, dict)
            and means.get("kind") == "non-technical"
            and means.get("robustness") is not None
        ):
            doc.add(
                doc.at((*loc, "robustness"), key=True),
                format_loc((*loc, "robustness")),
                "robustness applies to technical means, and this means is non-technical",
                "remove robustness, or change kind to " + ", ".join(TECHNICAL_KINDS),
            )
    refs = [
        (loc, ref)
        for loc, ref in _glob(data, ("means", "*", "catalog", "*"))
        if isinstance(ref, str) and re.match(CATALOG_REF_PATTERN, ref)
    ]
    _check_catalog_refs(doc, refs)
    if base_dir is not None:
        _check_sbom(doc, data, base_dir)


def _check_ids(doc: SourceDoc, data: dict[str, Any]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for kind, where in _COLLECTIONS.items():
        seen: dict[str, Loc] = {}
        for loc, value in _glob(data, (*where, "*", "id")):
            if not isinstance(value, str):
                continue
            if value in seen:
                first = doc.at(seen[value])
                doc.add(
                    doc.at(loc),
                    format_loc(loc),
                    f"duplicate {kind} id {value!r} (first used at line {first[0]})",
                    f"give each {kind} its own id",
                )
            else:
                seen[value] = loc
        ids[kind] = list(seen)
    return ids


def _ref_fix(kind: str, ref: str, known: list[str]) -> str:
    where = format_loc(_COLLECTIONS[kind])
    if not known:
        return f"no {kind} is defined yet; add one under `{where}`"
    near = closest(ref, known)
    if near:
        return f"did you mean {near[0]!r}?"
    shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    return f"use the id of a {kind} defined under `{where}` ({shown})"


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None  # the model reports impossible dates
    return None


def _check_dates(doc: SourceDoc, data: dict[str, Any]) -> None:
    def get(*loc: str) -> date | None:
        return next((_as_date(v) for _, v in _glob(data, loc)), None)

    release = get("product", "release_date")
    support_end = get("support", "support_end")
    end_of_life = get("support", "end_of_life")
    if release and support_end and support_end < release:
        doc.add(
            doc.at(("support", "support_end")),
            "support.support_end",
            f"support ends ({support_end}) before the product is released ({release})",
            "set support_end on or after product.release_date",
        )
    if support_end and end_of_life and end_of_life < support_end:
        doc.add(
            doc.at(("support", "end_of_life")),
            "support.end_of_life",
            f"end of life ({end_of_life}) comes before support ends ({support_end})",
            "set end_of_life on or after support_end",
        )
    elif release and end_of_life and end_of_life < release:
        doc.add(
            doc.at(("support", "end_of_life")),
            "support.end_of_life",
            f"end of life ({end_of_life}) comes before the product is released ({release})",
            "set end_of_life on or after product.release_date",
        )


def _check_year_ranges(doc: SourceDoc, data: dict[str, Any]) -> None:
    def number(value: Any) -> float | None:
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    for loc, span in _glob(data, ("use_cases", "*", "period_of_use_years")):
        low, high = (
            (number(span.get(end)) for end in ("min", "max")) if isinstance(span, dict) else (None, None)
        )
        if low is not None and high is not None and low > high:
            doc.add(
                doc.at(loc),
                format_loc(loc),
                f"the period of use runs from {low} to {high} years: min is more than max",
                "swap min and max",
            )


def _check_removal_places(doc: SourceDoc, data: dict[str, Any]) -> None:
    """A data type's removal can only reach places it is kept in: the rules compare the two lists."""
    for loc, item in _glob(data, ("composition", "data_types", "*")):
        if not isinstance(item, dict):
            continue
        places, removed = item.get("places"), item.get("removed_from")
        if not isinstance(places, list) or not isinstance(removed, list):
            continue
        for index, place in enumerate(removed):
            if isinstance(place, str) and place not in places:
                where = (*loc, "removed_from", index)
                doc.add(
                    doc.at(where),
                    format_loc(where),
                    f"data removal reaches {place!r}, which is not among the data type's places",
                    f"add {place!r} to places, or remove it from removed_from",
                )


def _check_catalog_refs(doc: SourceDoc, refs: list[tuple[Loc, str]]) -> None:
    """Catalog references must name records of the shipped catalogs (skipped while none are built)."""
    if not refs:
        return
    from securable.catalog import store

    try:
        known = store.catalog_ids()
    except InputError:
        return  # a source checkout before `make catalogs`: nothing to check against
    for loc, ref in refs:
        catalog, _, record = ref.partition(":")
        try:
            if catalog not in known:
                near = store.closest(catalog, known)
                fix = f"did you mean '{near[0]}:{record}'?" if near else "use one of: " + ", ".join(known)
                doc.add(doc.at(loc), format_loc(loc), f"unknown catalog {catalog!r} in {ref!r}", fix)
            elif not store.find(ref):
                near = store.closest(record, [r.id for r in store.load(catalog)])
                fix = (
                    f"did you mean '{catalog}:{near[0]}'?"
                    if near
                    else f"look the ID up with `securable catalog search --catalog {catalog}`"
                )
                doc.add(doc.at(loc), format_loc(loc), f"no record {record!r} in catalog {catalog!r}", fix)
        except SecurableError as err:
            doc.add(
                doc.at(loc), format_loc(loc), f"cannot check {ref!r}: {err.message}", "rebuild the catalogs"
            )


def qualify(bare: str) -> list[str]:
    """Qualified forms of an unqualified catalog ID, when the catalogs are available."""
    try:
        from securable.catalog import store

        return [record.qualified_id for record in store.find(bare)]
    except SecurableError:
        return []


def sbom_inside(base_dir: Path, value: str) -> Path | None:
    """The file the SBOM path ``value`` names, resolved (links followed), when it lies inside
    ``base_dir``, the product file's folder; None when it leaves it (an absolute path elsewhere,
    ``../``, a link pointing out). The SBOM is copied into the signed package, so a product file must
    not be able to pull in a file from anywhere on the manufacturer's machine."""
    try:
        base = base_dir.resolve()
        path = (base_dir / value).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL character
        return None
    return path if path != base and path.is_relative_to(base) else None


def _check_sbom(doc: SourceDoc, data: dict[str, Any], base_dir: Path) -> None:
    """The SBOM lies inside the product's folder and is in a format ``securable package`` reads
    (:mod:`securable.package.machine.sbom_read`)."""
    loc: Loc = ("composition", "software_inventory", "sbom")
    for _, value in _glob(data, loc):
        if not isinstance(value, str) or not value.strip():
            return
        problem = _sbom_problem(doc, value, base_dir)
        if problem is not None:
            doc.add(doc.at(loc), format_loc(loc), *problem)
            return


def sbom_path_problem(value: str, base_dir: Path) -> tuple[str, str] | None:
    """(message, fix) when the SBOM path ``value`` names something other than a regular file (a
    folder, a named pipe, a link loop, a path too long) or leads outside ``base_dir`` (see
    :func:`sbom_inside`); None when it names a file inside, or nothing yet (the caller says so)."""
    from securable.inputfile import FILE, MISSING, kind, problem, shown

    given = shown(value)  # a path of 5000 characters is cut in the middle
    found = kind(base_dir / value)
    if found not in (FILE, MISSING):  # a folder, a pipe, a link loop, a path too long: say so
        what, fix = problem(found, "SBOM file")
        return f"SBOM path {given!r}: {what}", fix
    if sbom_inside(base_dir, value) is None:
        return (
            f"SBOM path {given!r} leads outside the product's folder {base_dir}",
            "keep the SBOM in that folder or below it and give its path relative to it: it is copied "
            "into the signed package",
        )
    return None


def _sbom_problem(doc: SourceDoc, value: str, base_dir: Path) -> tuple[str, str] | None:
    """(message, fix) for what is wrong with the SBOM at ``value``, or None.

    The SBOM is read once, and the digest of what was read is kept in ``doc.read_files``.
    """

    problem = sbom_path_problem(value, base_dir)
    if problem is not None:
        return problem
    resolved = sbom_inside(base_dir, value)
    path = base_dir / value
    if not path.is_file():
        return f"SBOM file {value!r} not found", f"give its path relative to {base_dir}"
    # The one reader `securable package` uses: check passes exactly the SBOMs a package can ship.
    from securable.package.machine.sbom_read import read_sbom_file

    try:
        raw, _ = read_sbom_file(path)
    except SecurableError as err:
        from securable.jsonread import JSONProblem

        problems = [str(p) for p in getattr(err, "problems", ())][:3]
        detail = err.at() if isinstance(err, JSONProblem) else err.message.removeprefix("SBOM ")
        message = f"SBOM {value!r}: {detail}" + "".join(f"; {p}" for p in problems)
        return message, err.hint or "fix or regenerate the SBOM"
    doc.read_files[str(resolved)] = (hashlib.sha256(raw).hexdigest(), len(raw))
    return None


def check_not_applicable(doc: SourceDoc, product: Product) -> None:
    if not product.not_applicable:
        return  # nothing marked: no need to work out the state of every question
    from securable.product.questions import Status, question_status

    for state in question_status(product, honour_not_applicable=False):
        if state.question in product.not_applicable and state.status is Status.ANSWERED:
            loc: Loc = ("not_applicable", state.question)
            doc.add(
                doc.at(loc, key=True),
                format_loc(loc),
                f"marked not applicable, but it is answered (by {', '.join(state.fields)})",
                "remove the not_applicable entry, or the answer",
            )


def closest(word: str, candidates: list[str]) -> list[str]:
    import difflib  # only needed to explain a problem

    lowered = {c.lower(): c for c in candidates}
    return [lowered[h] for h in difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.6)]
