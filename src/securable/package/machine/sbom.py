"""The software inventory: ``machine/sbom.cdx.json`` (the product's SBOM, unchanged) and
``machine/sbom-summary.json`` (components and known vulnerabilities, in one documented shape).

NISTIR 8259 asks whether customers can learn the device's software, its versions, patch status and
known vulnerabilities (Q4.2.3-3). :func:`read_sbom` reads the CycloneDX JSON SBOM the product
description names (``composition.software_inventory.sbom``, which must lie inside the product file's
folder: the file is copied into the signed package) and, when one is given, the vulnerability
status file (``--vex``: CycloneDX VEX, OpenVEX or CSAF). Every file is validated with its format's
schema first (:mod:`securable.package.machine.sbom_formats`); a file that is not what it claims raises
:class:`~securable.errors.InputError`, because a package must not hand customers a broken SBOM.

Vulnerabilities come from the SBOM's own list and from the VEX file. The VEX file is the later,
deliberate statement: where both speak of the same vulnerability and component, the VEX wins.

The summary's shape is ``securable/data/schemas/sbom-summary.schema.json``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from securable.errors import InputError
from securable.package.context import Gap, PackageContext, Part
from securable.package.machine.sbom_formats import (
    check_csaf,
    check_cyclonedx,
    check_openvex,
    detect,
    read_json,
)
from securable.package.machine.sbom_vex import Statement, statements
from securable.product.consistency import sbom_inside

SBOM_PATH = "machine/sbom.cdx.json"
SUMMARY_PATH = "machine/sbom-summary.json"
SUMMARY_FORMAT = 1
TOPIC = "software inventory"

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SbomComponent:
    name: str
    version: str | None
    supplier: str | None  # the supplier's name; the manufacturer's for 1.6+ files that give only that
    purl: str | None
    type: str  # CycloneDX component type: library, firmware, operating-system, ...
    bom_ref: str | None


@dataclass(frozen=True, slots=True)
class SbomVulnerability:
    id: str  # CVE-2025-1234, or the source's own ID when there is no CVE
    component: str | None  # "name version" of the affected SBOM component, else the source's own name
    component_ref: str | None  # the affected product as the source names it (bom-ref, purl, CSAF ID)
    status: str  # not_affected, affected, fixed, under_investigation
    state: str | None  # the source's own word for it
    justification: str | None
    detail: str | None
    source_format: str  # cyclonedx, openvex, csaf


@dataclass(frozen=True, slots=True)
class SourceFile:
    name: str  # file name only: paths on the manufacturer's machine stay out of the package
    format: str  # cyclonedx, openvex, csaf
    spec_version: str | None  # CycloneDX specVersion
    sha256: str


@dataclass(frozen=True, slots=True)
class SbomSummary:
    sbom: SourceFile | None  # None: the product description names no SBOM
    subject: SbomComponent | None  # what the SBOM describes (metadata.component)
    components: tuple[SbomComponent, ...]  # every component, nested ones included, in file order
    vulnerabilities: tuple[SbomVulnerability, ...]  # sorted by ID, then component
    vex: SourceFile | None


def read_sbom(ctx: PackageContext) -> SbomSummary:
    """The product's software inventory and known vulnerabilities; raises InputError on bad files."""
    return _read(ctx)[0]


def build_sbom(ctx: PackageContext) -> Part:
    summary, raw = _read(ctx)
    files: dict[str, bytes] = {}
    gaps: list[Gap] = []
    if raw is None:
        gaps.append(
            Gap(
                TOPIC,
                "No SBOM: the description does not name a CycloneDX SBOM of the device's software.",
                ("Q4.2.3-3",),
                ("composition", "software_inventory", "sbom"),
            )
        )
    else:
        files[SBOM_PATH] = raw  # byte for byte, so its hash matches the manufacturer's published copy
    if raw is not None or summary.vex is not None:
        text = json.dumps(summary_json(summary), ensure_ascii=False, indent=2) + "\n"
        files[SUMMARY_PATH] = text.encode("utf-8")
    return Part(files, tuple(gaps))


def _read(ctx: PackageContext) -> tuple[SbomSummary, bytes | None]:
    inventory = ctx.product.composition.software_inventory if ctx.product.composition else None
    raw: bytes | None = None
    source: SourceFile | None = None
    subject: SbomComponent | None = None
    components: list[SbomComponent] = []
    found: list[Statement] = []
    if inventory is not None and inventory.sbom:
        path = ctx.base_dir / inventory.sbom
        if sbom_inside(ctx.base_dir, inventory.sbom) is None:
            # The SBOM goes into the signed package: never a file from elsewhere on this machine.
            raise InputError(
                f"the SBOM path {inventory.sbom!r} leads outside the product's folder {ctx.base_dir}",
                hint="keep the CycloneDX JSON SBOM in that folder or below it, and give its path "
                "relative to the product file",
                location=str(ctx.product_path),
            )
        raw, data = read_json(path, "SBOM")
        version = check_cyclonedx(data, str(path))
        source = SourceFile(path.name, "cyclonedx", version, hashlib.sha256(raw).hexdigest())
        metadata = data.get("metadata")
        top = metadata.get("component") if isinstance(metadata, dict) else None
        subject = _component(top) if isinstance(top, dict) else None
        components = list(_components(data.get("components")))
        found = statements(data, "cyclonedx")
    known = [*([subject] if subject else []), *components]
    vulnerabilities = _resolve(found, known)
    vex = None
    if ctx.vex_path is not None:
        vex, vex_found = _read_vex(ctx.vex_path)
        stated = _resolve(vex_found, known)
        # Compared once both name the component the same way: one may use a bom-ref, the other a purl.
        replaced = {(v.id, v.component) for v in stated}
        vulnerabilities = [v for v in vulnerabilities if (v.id, v.component) not in replaced] + stated
    ordered = sorted(vulnerabilities, key=lambda v: (v.id, v.component or "", v.component_ref or ""))
    return SbomSummary(source, subject, tuple(components), tuple(ordered), vex), raw


def _read_vex(path: Path) -> tuple[SourceFile, list[Statement]]:
    raw, data = read_json(path, "vulnerability file")
    kind = detect(data)
    location = str(path)
    version = None
    if kind == "cyclonedx":
        version = check_cyclonedx(data, location)
    elif kind == "openvex":
        check_openvex(data, location)
    elif kind == "csaf":
        check_csaf(data, location)
    else:
        raise InputError(
            "is not a CycloneDX VEX, OpenVEX or CSAF document",
            hint='expected "bomFormat": "CycloneDX", an OpenVEX "@context" or a CSAF "document.csaf_version"',
            location=location,
        )
    return SourceFile(path.name, kind, version, hashlib.sha256(raw).hexdigest()), statements(data, kind)


def _components(items: object) -> list[SbomComponent]:
    """Every component in document order, nested components (``components`` in a component) included."""
    found: list[SbomComponent] = []
    pending = list(reversed(items)) if isinstance(items, list) else []
    while pending:
        item = pending.pop()
        if not isinstance(item, dict):
            continue
        component = _component(item)
        if component is not None:
            found.append(component)
        children = item.get("components")
        pending += list(reversed(children)) if isinstance(children, list) else []
    return found


def _component(item: dict[str, Any]) -> SbomComponent | None:
    name = _text(item.get("name"))
    if name is None:
        return None
    supplier = _name_of(item.get("supplier")) or _name_of(item.get("manufacturer"))
    return SbomComponent(
        name=name,
        version=_text(item.get("version")),
        supplier=supplier,
        purl=_text(item.get("purl")),
        type=_text(item.get("type")) or "library",
        bom_ref=_text(item.get("bom-ref")),
    )


def _name_of(entity: object) -> str | None:
    return _text(entity.get("name")) if isinstance(entity, dict) else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _resolve(found: list[Statement], components: list[SbomComponent]) -> list[SbomVulnerability]:
    """Name each statement's component after the SBOM component it refers to, when there is one."""
    by_ref: dict[str, SbomComponent] = {}
    for c in components:
        for key in (c.bom_ref, c.purl, _bare_purl(c.purl)):
            if key:
                by_ref.setdefault(key, c)
    out: dict[tuple[str, str | None], SbomVulnerability] = {}
    for s in found:
        match = next(
            (by_ref[k] for k in (s.ref, s.purl, _bare_purl(s.purl), _bare_purl(s.ref)) if k and k in by_ref),
            None,
        )
        component: str | None
        if match is not None:
            component = f"{match.name} {match.version}" if match.version else match.name
        else:
            component = s.name or s.ref
        out[s.id, s.ref] = SbomVulnerability(
            s.id, component, s.ref, s.status, s.state, s.justification, s.detail, s.source_format
        )
    return list(out.values())


def _bare_purl(purl: str | None) -> str | None:
    """A package URL without qualifiers and subpath: VEX files often add ``?arch=...`` to the SBOM's."""
    if not purl or not purl.startswith("pkg:"):
        return None
    return purl.split("#", 1)[0].split("?", 1)[0]


# ---- the summary file -------------------------------------------------------------------------------


def summary_json(summary: SbomSummary) -> JSON:
    """The documented JSON form of a summary (``sbom-summary.schema.json``)."""
    counts = dict.fromkeys(("affected", "under_investigation", "fixed", "not_affected"), 0)
    for v in summary.vulnerabilities:
        counts[v.status] = counts.get(v.status, 0) + 1
    return {
        "format": SUMMARY_FORMAT,
        "sbom": _source_json(summary.sbom),
        "vex": _source_json(summary.vex),
        "subject": _component_json(summary.subject) if summary.subject else None,
        "components": [_component_json(c) for c in summary.components],
        "vulnerabilities": [
            {
                "id": v.id,
                "component": v.component,
                "component_ref": v.component_ref,
                "status": v.status,
                "state": v.state,
                "justification": v.justification,
                "detail": v.detail,
                "source_format": v.source_format,
            }
            for v in summary.vulnerabilities
        ],
        "vulnerability_counts": counts,
    }


def _source_json(source: SourceFile | None) -> JSON | None:
    if source is None:
        return None
    return {
        "file": source.name,
        "format": source.format,
        "spec_version": source.spec_version,
        "sha256": source.sha256,
    }


def _component_json(c: SbomComponent) -> JSON:
    return {
        "name": c.name,
        "version": c.version,
        "type": c.type,
        "supplier": c.supplier,
        "purl": c.purl,
        "bom_ref": c.bom_ref,
    }
