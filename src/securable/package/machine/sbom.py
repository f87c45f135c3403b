"""The software inventory: ``machine/sbom.cdx.json`` (the product's SBOM, unchanged; named
``sbom.cdx.xml``, ``sbom.spdx.json`` or ``sbom.spdx`` for the other formats) and
``machine/sbom-summary.json`` (components and known vulnerabilities, in one documented shape).

NISTIR 8259 asks whether customers can learn the device's software, its versions, patch status and
known vulnerabilities (Q4.2.3-3). :func:`read_sbom` reads the SBOM the product description names
(``composition.software_inventory.sbom``, which must lie inside the product file's folder: the file
is copied into the signed package) with the one reader ``securable check`` uses too
(:mod:`securable.package.machine.sbom_read`: CycloneDX JSON or XML, SPDX JSON or tag-value) and, when one is
given, the vulnerability status file (``--vex``: CycloneDX VEX, OpenVEX or CSAF). Every file is
validated first (:mod:`securable.package.machine.sbom_formats`); a file that is not what it claims raises
:class:`~securable.errors.InputError`, because a package must not hand customers a broken SBOM.

Vulnerabilities come from the SBOM's own list and from the VEX file. Each statement is matched to
the SBOM's components by vulnerability, component (bom-ref or package URL; a BOM-Link only into this
SBOM, by its serial number) and version (:mod:`securable.package.machine.sbom_match`), and every statement
that applies is kept, one row per component it applies to. The VEX file is the later, deliberate
statement: where both speak of the same vulnerability and component, the VEX wins. Statements that
apply to nothing in the SBOM (another product, another BOM, other versions) are left out of the
package and counted in :attr:`SbomSummary.warnings`, which are for the manufacturer only.

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
from securable.package.machine.sbom_match import same_package, status_for
from securable.package.machine.sbom_read import SbomComponent, read_sbom_file
from securable.package.machine.sbom_vex import Statement, statements
from securable.product.consistency import sbom_path_problem

__all__ = ["SBOM_PATH", "SUMMARY_PATH", "SbomComponent", "SbomSummary", "build_sbom", "read_sbom"]

SBOM_PATH = "machine/sbom.cdx.json"  # a CycloneDX JSON SBOM's place; other formats: sbom_read.PACKAGE_PATHS
SUMMARY_PATH = "machine/sbom-summary.json"
SUMMARY_FORMAT = 1
TOPIC = "software inventory"

JSON = dict[str, Any]


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
    # File name only (paths on the manufacturer's machine stay out of the package), as text: bytes
    # of a name that are not UTF-8 are spelled \xff (securable.textsafety.terminal_path).
    name: str
    format: str  # cyclonedx, spdx, openvex, csaf
    spec_version: str | None  # CycloneDX specVersion, SPDX version
    sha256: str
    package_path: str | None = None  # where an SBOM is copied in the package


@dataclass(frozen=True, slots=True)
class SbomSummary:
    sbom: SourceFile | None  # None: the product description names no SBOM
    subject: SbomComponent | None  # what the SBOM describes (metadata.component)
    components: tuple[SbomComponent, ...]  # every component, nested ones included, in file order
    vulnerabilities: tuple[SbomVulnerability, ...]  # sorted by ID, then component
    vex: SourceFile | None
    warnings: tuple[str, ...] = ()  # for the manufacturer: statements left out, and why


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
                "No SBOM: the description does not name an SBOM of the device's software.",
                ("Q4.2.3-3",),
                ("composition", "software_inventory", "sbom"),
            )
        )
    else:
        # Byte for byte, so its hash matches the manufacturer's published copy.
        files[summary.sbom.package_path if summary.sbom and summary.sbom.package_path else SBOM_PATH] = raw
    if raw is not None or summary.vex is not None:
        text = json.dumps(summary_json(summary), ensure_ascii=False, indent=2) + "\n"
        files[SUMMARY_PATH] = text.encode("utf-8")
    return Part(files, tuple(gaps), summary.warnings)


def _read(ctx: PackageContext) -> tuple[SbomSummary, bytes | None]:
    inventory = ctx.product.composition.software_inventory if ctx.product.composition else None
    raw: bytes | None = None
    source: SourceFile | None = None
    subject: SbomComponent | None = None
    components: list[SbomComponent] = []
    found: list[Statement] = []
    serial: str | None = None
    if inventory is not None and inventory.sbom:
        path = ctx.base_dir / inventory.sbom
        # The SBOM goes into the signed package: never a file from elsewhere on this machine, and
        # never anything but a regular file.
        problem = sbom_path_problem(inventory.sbom, ctx.base_dir)
        if problem is not None:
            raise InputError(problem[0], hint=problem[1], location=str(ctx.product_path))
        raw, document = read_sbom_file(path)
        source = SourceFile(
            path.name,
            document.format,
            document.spec_version,
            hashlib.sha256(raw).hexdigest(),
            document.package_path,
        )
        subject = document.subject
        components = list(document.components)
        found = list(document.statements)
        serial = document.serial
    known = [*([subject] if subject else []), *components]
    warnings: list[str] = []
    vulnerabilities = _resolve(found, known, serial, own=True, warnings=warnings, source=source)
    vex = None
    if ctx.vex_path is not None:
        vex, vex_found = _read_vex(ctx.vex_path)
        stated = _resolve(vex_found, known, serial, own=False, warnings=warnings, source=vex)
        # Compared once both name the component the same way: one may use a bom-ref, the other a purl.
        replaced = {(v.id, v.component) for v in stated}
        vulnerabilities = [v for v in vulnerabilities if (v.id, v.component) not in replaced] + stated
    ordered = sorted(
        vulnerabilities, key=lambda v: (v.id, v.component or "", v.component_ref or "", v.status)
    )
    summary = SbomSummary(source, subject, tuple(components), tuple(ordered), vex, tuple(warnings))
    return summary, raw


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
    from securable.textsafety import terminal_path

    return SourceFile(terminal_path(path.name), kind, version, hashlib.sha256(raw).hexdigest()), statements(
        data, kind
    )


def _resolve(
    found: list[Statement],
    components: list[SbomComponent],
    serial: str | None,
    *,
    own: bool,
    warnings: list[str],
    source: SourceFile | None,
) -> list[SbomVulnerability]:
    """Every statement that applies to an SBOM component, once per component it applies to
    (:mod:`securable.package.machine.sbom_match`); ``own``: the SBOM's own list, whose vulnerabilities that
    name no component are about the SBOM itself. The rest is counted in ``warnings``."""
    out: dict[SbomVulnerability, None] = {}
    other_bom, other_product, other_version = 0, 0, 0
    names: dict[str, None] = {}
    for s in found:
        if s.ref is None and own:
            out[_row(s, None, s.status)] = None
            continue
        if s.serial is not None and s.serial != serial:
            other_bom += 1
            continue
        matches = [c for c in components if _refers(s, c)]
        hits = [(c, status) for c in matches if (status := status_for(s, c.version)) is not None]
        if not matches:
            other_product += 1
            names[s.name or s.ref or s.id] = None
        elif not hits:
            other_version += 1
        for component, status in hits:
            out[_row(s, component, status)] = None
    left_out = other_bom + other_product + other_version
    if left_out:
        shown = list(names)[:3]
        example = f" (e.g. {', '.join(shown)}{', ...' if len(names) > 3 else ''})" if shown else ""
        reasons = [
            f"{n} {label}"
            for n, label in (
                (other_product, f"name no component of the SBOM{example}"),
                (other_bom, "point into another BOM (BOM-Link to another serial number)"),
                (other_version, "cover other versions than the SBOM's"),
            )
            if n
        ]
        what = source.name if source is not None else "the SBOM"
        warnings.append(
            f"{what}: {left_out} of {len(found)} vulnerability statement{'s' if len(found) != 1 else ''} "
            f"left out of the package: {'; '.join(reasons)}"
        )
    return list(out)


def _refers(s: Statement, c: SbomComponent) -> bool:
    # CSAF product IDs are the advisory's own names, not bom-refs: only its package URLs identify.
    if s.source_format != "csaf" and s.ref is not None and s.ref == c.bom_ref:
        return True
    return same_package(s.purl or s.ref, c.purl)


def _row(s: Statement, match: SbomComponent | None, status: str) -> SbomVulnerability:
    component = None
    if match is not None:
        component = f"{match.name} {match.version}" if match.version else match.name
    return SbomVulnerability(
        s.id, component, s.ref, status, s.state, s.justification, s.detail, s.source_format
    )


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
