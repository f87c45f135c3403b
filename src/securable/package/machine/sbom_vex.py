"""Vulnerability statements from CycloneDX (VEX or an SBOM's own list), OpenVEX and CSAF.

Each format says the same things in its own words; a :class:`Statement` keeps the source's words
(``state``, ``justification``) and adds one common ``status`` in OpenVEX's vocabulary, which CISA's
minimum VEX requirements use too: ``not_affected``, ``affected``, ``fixed``, ``under_investigation``.

How each source word maps, and why where it is not obvious:

* CycloneDX ``analysis.state``: resolved and resolved_with_pedigree are fixed; exploitable is
  affected; in_triage is under investigation; false_positive and not_affected are not affected. A
  vulnerability without an analysis is listed but unanalysed, so it is under investigation.
* CSAF ``product_status``: known_affected, first_affected and last_affected are affected; fixed,
  first_fixed and recommended (the versions to move to) are fixed; known_not_affected is not affected.

Documents are expected to be schema-valid already (see :mod:`securable.package.machine.sbom_formats`); values
of an unexpected type are skipped rather than trusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

JSON = dict[str, Any]

STATUSES = ("not_affected", "affected", "fixed", "under_investigation")
_CYCLONEDX_STATUS = {
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "exploitable": "affected",
    "in_triage": "under_investigation",
    "false_positive": "not_affected",
    "not_affected": "not_affected",
}
_CSAF_STATUS = {
    "known_affected": "affected",
    "first_affected": "affected",
    "last_affected": "affected",
    "fixed": "fixed",
    "first_fixed": "fixed",
    "recommended": "fixed",
    "known_not_affected": "not_affected",
    "under_investigation": "under_investigation",
}


@dataclass(frozen=True, slots=True)
class Statement:
    """One vulnerability's status for one product or component, as one source states it."""

    id: str  # CVE-2025-1234, or the source's own ID when there is no CVE
    ref: str | None  # the affected product as the source names it: bom-ref, purl, CSAF product ID
    purl: str | None  # its package URL, where the source gives one
    name: str | None  # its name, where the source gives one (CSAF product tree)
    status: str  # one of STATUSES
    state: str | None  # the source's own status word
    justification: str | None
    detail: str | None
    source_format: str  # cyclonedx, openvex, csaf
    serial: str | None = None  # the BOM a CycloneDX BOM-Link points into (its serial number's UUID)
    versions: tuple[VersionScope, ...] = ()  # CycloneDX affects[].versions; () = every version


@dataclass(frozen=True, slots=True)
class VersionScope:
    """One entry of CycloneDX ``affects[].versions``: a single version or a ``vers:`` range."""

    version: str | None
    range: str | None
    status: str | None  # affected, unaffected or unknown; CycloneDX's default is affected


def statements(data: JSON, source_format: str) -> list[Statement]:
    reader = {"cyclonedx": _cyclonedx, "openvex": _openvex, "csaf": _csaf}[source_format]
    return list(reader(data))


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _objects(value: object) -> list[JSON]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# ---- CycloneDX --------------------------------------------------------------------------------------


def _cyclonedx(data: JSON) -> Iterator[Statement]:
    for vulnerability in _objects(data.get("vulnerabilities")):
        vid = _text(vulnerability.get("id"))
        if vid is None:
            continue
        analysis = vulnerability.get("analysis")
        analysis = analysis if isinstance(analysis, dict) else {}
        state = _text(analysis.get("state"))
        affects: list[tuple[str | None, str | None, tuple[VersionScope, ...]]] = [
            (ref, serial, _versions(a.get("versions")))
            for a in _objects(vulnerability.get("affects"))
            for ref, serial in [_bom_ref(a.get("ref"))]
            if ref
        ]
        # A vulnerability that names no component is still listed (in an SBOM: about the SBOM itself).
        for ref, serial, versions in affects or [(None, None, ())]:
            yield Statement(
                id=vid,
                ref=ref,
                purl=ref if ref and ref.startswith("pkg:") else None,
                name=None,
                status=_cyclonedx_status(state, versions),
                state=state,
                justification=_text(analysis.get("justification")),
                detail=_text(analysis.get("detail")),
                source_format="cyclonedx",
                serial=serial,
                versions=versions,
            )


def _cyclonedx_status(state: str | None, versions: tuple[VersionScope, ...]) -> str:
    """The analysis state decides; without one, versions that all say the same thing decide."""
    if state in _CYCLONEDX_STATUS:
        return _CYCLONEDX_STATUS[state]
    said = {v.status or "affected" for v in versions}
    if said == {"affected"}:
        return "affected"
    if said == {"unaffected"}:
        return "not_affected"
    return "under_investigation"


def _versions(value: object) -> tuple[VersionScope, ...]:
    found = []
    for item in _objects(value):
        version, range_ = _text(item.get("version")), _text(item.get("range"))
        if version or range_:
            found.append(VersionScope(version, range_, _text(item.get("status"))))
    return tuple(found)


def _bom_ref(value: object) -> tuple[str | None, str | None]:
    """(bom-ref, serial UUID): a BOM-Link (``urn:cdx:<serial>/<version>#<bom-ref>``) names the BOM
    it points into; a plain reference names none, so it means the BOM being read."""
    text = _text(value)
    if text and text.startswith("urn:cdx:") and "#" in text:
        head, _, ref = text.partition("#")
        serial = head.removeprefix("urn:cdx:").partition("/")[0].lower()
        return unquote(ref) or None, serial or None
    return text, None


# ---- OpenVEX --------------------------------------------------------------------------------------


def _openvex(data: JSON) -> Iterator[Statement]:
    for statement in _objects(data.get("statements")):
        vulnerability = statement.get("vulnerability")
        vid = (
            _text(vulnerability.get("name") or vulnerability.get("@id"))
            if isinstance(vulnerability, dict)
            else None
        )
        status = _text(statement.get("status"))
        if vid is None or status not in STATUSES:
            continue
        detail = next(
            (
                t
                for t in map(
                    _text,
                    (statement.get(k) for k in ("impact_statement", "action_statement", "status_notes")),
                )
                if t
            ),
            None,
        )
        for product in _objects(statement.get("products")):
            # Subcomponents name where in the product the vulnerable code is: the more precise answer.
            for item in _objects(product.get("subcomponents")) or [product]:
                ref, purl = _openvex_ref(item)
                yield Statement(
                    id=vid,
                    ref=ref,
                    purl=purl,
                    name=None,
                    status=status,
                    state=status,
                    justification=_text(statement.get("justification")),
                    detail=detail,
                    source_format="openvex",
                )


def _openvex_ref(item: JSON) -> tuple[str | None, str | None]:
    ref = _text(item.get("@id"))
    identifiers = item.get("identifiers")
    purl = _text(identifiers.get("purl")) if isinstance(identifiers, dict) else None
    if purl is None and ref and ref.startswith("pkg:"):
        purl = ref
    return ref or purl, purl


# ---- CSAF -------------------------------------------------------------------------------------------


def _csaf(data: JSON) -> Iterator[Statement]:
    products = _csaf_products(data.get("product_tree"))
    for vulnerability in _objects(data.get("vulnerabilities")):
        ids = _objects(vulnerability.get("ids"))
        vid = _text(vulnerability.get("cve")) or (_text(ids[0].get("text")) if ids else None)
        if vid is None:
            continue
        justifications = _by_product(vulnerability.get("flags"), "label")
        impacts = _by_product(
            [t for t in _objects(vulnerability.get("threats")) if t.get("category") == "impact"], "details"
        )
        statuses = vulnerability.get("product_status")
        for state, product_ids in statuses.items() if isinstance(statuses, dict) else ():
            if state not in _CSAF_STATUS or not isinstance(product_ids, list):
                continue
            for pid in (p for p in product_ids if isinstance(p, str)):
                name, purl = products.get(pid, (None, None))
                yield Statement(
                    id=vid,
                    ref=pid,
                    purl=purl,
                    name=name,
                    status=_CSAF_STATUS[state],
                    state=state,
                    justification=justifications.get(pid),
                    detail=impacts.get(pid),
                    source_format="csaf",
                )


def _by_product(items: object, key: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in _objects(items):
        value = _text(item.get(key))
        for pid in item.get("product_ids") or ():
            if value and isinstance(pid, str):
                found.setdefault(pid, value)
    return found


def _csaf_products(tree: object) -> dict[str, tuple[str | None, str | None]]:
    """Product ID -> (name, purl) from the product tree's branches, full names and relationships."""
    found: dict[str, tuple[str | None, str | None]] = {}
    if not isinstance(tree, dict):
        return found
    pending: list[JSON] = [tree]
    while pending:
        node = pending.pop()
        pending += _objects(node.get("branches"))
        named = [node.get("product"), *_objects(node.get("full_product_names"))]
        named += [r.get("full_product_name") for r in _objects(node.get("relationships"))]
        for product in (p for p in named if isinstance(p, dict)):
            pid = _text(product.get("product_id"))
            helper = product.get("product_identification_helper")
            purl = _text(helper.get("purl")) if isinstance(helper, dict) else None
            if pid:
                found.setdefault(pid, (_text(product.get("name")), purl))
    return found
