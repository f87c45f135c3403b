"""A manufacturer's advisory (CSAF, OpenVEX or CycloneDX VEX) matched to devices in the register.

The file is read by the package's hardened readers (strict JSON, schema-valid, statements in one
vocabulary: :mod:`securable.package.machine.sbom_vex`); this module only decides which devices a
statement is about, by vendor, product and version as the register holds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from securable.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
# A device is reviewed when the manufacturer says it is, or may be, affected, or that a fix exists;
# "not affected" statements are kept in the record but open nothing.
TRIGGERING = ("affected", "fixed", "under_investigation")


@dataclass(frozen=True)
class Finding:
    vulnerability: str
    status: str  # not_affected, affected, fixed, under_investigation
    product: str  # the product as the advisory names it
    purl: str


@dataclass(frozen=True)
class Advisory:
    format: str  # csaf, openvex, cyclonedx
    title: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class DeviceKey:
    asset_tag: str
    vendor: str
    product: str
    version: str


def read(content: bytes, name: str) -> Advisory:
    """The statements of an uploaded advisory; InputError (with its place) for anything else."""
    from securable.package.machine import sbom_formats as f
    from securable.package.machine.sbom_vex import statements

    if len(content) > MAX_BYTES:
        raise InputError("the advisory is larger than 5 MiB")
    location = name[:200] or "advisory"
    data = f.parse_json(content, "advisory", location)
    kind = f.detect(data)
    if kind == "csaf":
        f.check_csaf(data, location)
    elif kind == "openvex":
        f.check_openvex(data, location)
    elif kind == "cyclonedx":
        f.check_cyclonedx(data, location)
    else:
        raise InputError(
            "is not a CSAF, OpenVEX or CycloneDX VEX document",
            hint="upload the manufacturer's machine-readable advisory (JSON)",
            location=location,
        )
    findings = {
        Finding(s.id[:200], s.status, (s.name or s.ref or "")[:500], (s.purl or "")[:500]): None
        for s in statements(data, kind)
    }
    return Advisory(kind, _title(data, kind)[:300], tuple(findings))


def _title(data: dict[str, object], kind: str) -> str:
    document = data.get("document")
    if kind == "csaf" and isinstance(document, dict) and isinstance(document.get("title"), str):
        return str(document["title"])
    for key in ("@id", "serialNumber"):
        if isinstance(data.get(key), str):
            return str(data[key])
    return ""


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+(?:\.[0-9a-z]+)*", text.casefold())


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether the words of ``needle`` appear in ``haystack`` in a row (so "cam" is not "camera")."""
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _purl_parts(purl: str) -> tuple[list[str], list[str], str]:
    """(namespace words, name words, version) of a package URL; empty parts if it is none."""
    match = re.match(r"pkg:[^/]+/(?:(?P<ns>[^@?#]*)/)?(?P<name>[^/@?#]+)(?:@(?P<version>[^?#]+))?", purl)
    if not match:
        return [], [], ""
    return (
        _words(unquote(match["ns"] or "")),
        _words(unquote(match["name"])),
        unquote(match["version"] or "").casefold(),
    )


def names(finding: Finding, device: DeviceKey) -> bool:
    """Whether ``finding`` is about ``device``: its product (and vendor, and version where both say
    one) in the advisory's product name or package URL. A statement that names no version covers
    every version: a needless review costs less than a missed advisory."""
    product = _words(device.product)
    if not product:
        return False  # a device with no product named cannot be matched to anything
    label = _words(finding.product)
    namespace, purl_name, purl_version = _purl_parts(finding.purl)
    if not (_contains(label, product) or (purl_name and purl_name == product)):
        return False
    vendor = _words(device.vendor)
    if vendor and not (_contains(label, vendor) or _contains(namespace, vendor)):
        return False
    version = device.version.strip().casefold()
    if not version:
        return True
    if purl_version:
        return purl_version == version
    said = [w for w in label if w[:1].isdigit()]
    return not said or version in said


def match(findings: Iterable[Finding], devices: Iterable[DeviceKey]) -> dict[str, list[Finding]]:
    """Asset tag -> the triggering findings about that device (devices with none left out)."""
    triggering = [f for f in findings if f.status in TRIGGERING]
    found: dict[str, list[Finding]] = {}
    for device in devices:
        hits = [f for f in triggering if names(f, device)]
        if hits:
            found[device.asset_tag] = hits
    return found
