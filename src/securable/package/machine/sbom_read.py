"""The one SBOM reader, for ``securable check`` and ``securable package`` alike.

Formats, told apart by content (not by file name):

* **CycloneDX JSON 1.2 to 1.7**: validated with the schema of its own ``specVersion``
  (:mod:`securable.package.machine.sbom_formats`), then read as JSON;
* **CycloneDX XML 1.2 to 1.7**: validated with the XML schema of its namespace's version and read by
  cyclonedx-python-lib, which also writes it out as CycloneDX JSON of the same version, so both
  encodings are read by the same code from there on (the library keeps components in its own
  order, by bom-ref, rather than the file's);
* **SPDX 2.2 and 2.3, JSON or tag-value**: read and validated by spdx-tools. The package that the
  document ``DESCRIBES`` is the subject, every other package a component; a package URL is taken
  from the ``PACKAGE-MANAGER purl`` external reference. SPDX 2 has no vulnerabilities.

Anything else, or a file that breaks its format, raises :class:`~securable.errors.InputError`: a
package must not hand customers a broken SBOM. The libraries are imported only for the formats
that need them.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from securable.errors import InputError
from securable.package.machine.sbom_formats import InvalidDocument, check_cyclonedx, parse_json, read_bytes
from securable.package.machine.sbom_vex import Statement, statements

JSON = dict[str, Any]
ACCEPTED = "CycloneDX JSON or XML 1.2 to 1.7, or SPDX 2.2/2.3 JSON or tag-value"
_XML_NAMESPACE = re.compile(rb"xmlns(?::\w+)?\s*=\s*[\"']http://cyclonedx\.org/schema/bom/(\d\.\d)[\"']")
_XML_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
_SPDX_VERSIONS = ("SPDX-2.2", "SPDX-2.3")
# Where the SBOM goes in the package, by (format, encoding): the name says what it is.
PACKAGE_PATHS = {
    ("cyclonedx", "json"): "machine/sbom.cdx.json",
    ("cyclonedx", "xml"): "machine/sbom.cdx.xml",
    ("spdx", "json"): "machine/sbom.spdx.json",
    ("spdx", "tag-value"): "machine/sbom.spdx",
}


@dataclass(frozen=True, slots=True)
class SbomComponent:
    name: str
    version: str | None
    supplier: str | None  # the supplier's name; the manufacturer's for 1.6+ files that give only that
    purl: str | None
    type: str  # CycloneDX component type: library, firmware, operating-system, ...
    bom_ref: str | None  # CycloneDX bom-ref, SPDX SPDXID


@dataclass(frozen=True, slots=True)
class SbomDocument:
    format: str  # cyclonedx, spdx
    encoding: str  # json, xml, tag-value
    spec_version: str  # CycloneDX specVersion ("1.6"), SPDX version ("SPDX-2.3")
    serial: str | None  # the UUID of a CycloneDX serialNumber, as BOM-Links name it
    subject: SbomComponent | None  # what the SBOM describes
    components: tuple[SbomComponent, ...]  # every other component, nested ones included
    statements: tuple[Statement, ...]  # the SBOM's own vulnerabilities (CycloneDX 1.4+)

    @property
    def package_path(self) -> str:
        return PACKAGE_PATHS[self.format, self.encoding]


def read_sbom_file(path: Path) -> tuple[bytes, SbomDocument]:
    """The raw bytes and the reading of the SBOM at ``path``; InputError when it is not one."""
    raw = read_bytes(path, "SBOM")
    location = str(path)
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return raw, _cyclonedx_xml(raw, location)
    if head in (b"{", b"["):
        data = parse_json(raw, "SBOM", location)
        if data.get("bomFormat") == "CycloneDX":
            return raw, from_cyclonedx_json(data, location, "json")
        if "spdxVersion" in data:
            return raw, _spdx(data, location)
        raise InputError(
            'is neither CycloneDX (no "bomFormat": "CycloneDX") nor SPDX (no "spdxVersion")',
            hint=f"give an SBOM in one of the formats Securable reads: {ACCEPTED}",
            location=location,
        )
    if re.search(rb"^\s*SPDXVersion:", raw, re.MULTILINE):
        return raw, _spdx(raw, location)
    raise InputError(
        "is not an SBOM Securable can read",
        hint=f"give an SBOM in one of these formats: {ACCEPTED}",
        location=location,
    )


def from_cyclonedx_json(data: JSON, location: str, encoding: str) -> SbomDocument:
    version = check_cyclonedx(data, location)
    metadata = data.get("metadata")
    top = metadata.get("component") if isinstance(metadata, dict) else None
    serial = _text(data.get("serialNumber"))
    return SbomDocument(
        format="cyclonedx",
        encoding=encoding,
        spec_version=version,
        serial=serial.removeprefix("urn:uuid:").lower()
        if serial and serial.startswith("urn:uuid:")
        else None,
        subject=_component(top) if isinstance(top, dict) else None,
        components=tuple(_components(data.get("components"))),
        statements=tuple(statements(data, "cyclonedx")),
    )


# ---- CycloneDX XML --------------------------------------------------------------------------------


def _cyclonedx_xml(raw: bytes, location: str) -> SbomDocument:
    found = _XML_NAMESPACE.search(raw[:4096])
    version = found.group(1).decode() if found else None
    if version not in _XML_VERSIONS:
        said = f"namespace version {version}" if version else "no CycloneDX namespace"
        raise InputError(
            f"XML with {said}; Securable reads CycloneDX XML {', '.join(_XML_VERSIONS)} "
            "(SPDX is read as JSON or tag-value)",
            hint="regenerate the SBOM with a current CycloneDX tool",
            location=location,
        )
    from cyclonedx.model.bom import Bom
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from cyclonedx.validation.xml import XmlValidator

    schema = SchemaVersion.from_version(version)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError("SBOM is not UTF-8 text", location=location) from err
    problem = XmlValidator(schema).validate_str(text)
    if problem is not None:
        raise InvalidDocument(
            f"not valid CycloneDX {version} XML",
            [str(problem.data).strip()],
            hint=f"fix the file so that it validates against the CycloneDX {version} XML schema",
            location=location,
        )
    try:
        # Both the validator and the library's reader parse without entities, DTDs or network.
        bom = Bom.from_xml(io.StringIO(text))  # type: ignore[attr-defined]
        # The same BOM as CycloneDX JSON of the same version: from here on one reader for both.
        data = parse_json(
            make_outputter(bom, OutputFormat.JSON, schema).output_as_string().encode("utf-8"),
            "SBOM",
            location,
        )
    except InputError:
        raise
    except Exception as err:  # the library's errors share no base class; say what it said
        raise InputError(f"cannot read the CycloneDX XML: {err}", location=location) from err
    return from_cyclonedx_json(data, location, "xml")


# ---- SPDX -------------------------------------------------------------------------------------------


def _spdx(source: JSON | bytes, location: str) -> SbomDocument:
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    encoding = "json" if isinstance(source, dict) else "tag-value"
    try:
        if isinstance(source, dict):
            from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

            document = JsonLikeDictParser().parse(source)  # type: ignore[no-untyped-call]
        else:
            from spdx_tools.spdx.parser.tagvalue.parser import Parser

            # ply announces on stderr that it builds its parser tables; that is not for the user.
            with contextlib.redirect_stderr(io.StringIO()):
                document = Parser().parse(source.decode("utf-8"))  # type: ignore[no-untyped-call]
    except SPDXParsingError as err:
        raise InvalidDocument(
            "not valid SPDX",
            [str(m) for m in err.get_messages()],  # type: ignore[no-untyped-call]
            hint="fix or regenerate the SBOM",
            location=location,
        ) from err
    except UnicodeDecodeError as err:
        raise InputError("SBOM is not UTF-8 text", location=location) from err
    version = document.creation_info.spdx_version
    if version not in _SPDX_VERSIONS:
        raise InputError(
            f"{version}: Securable reads {' and '.join(_SPDX_VERSIONS)}",
            hint="export the SBOM as SPDX 2.3",
            location=location,
        )
    problems = [m.validation_message for m in validate_full_spdx_document(document, version)]
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise InvalidDocument(
            f"not valid {version} ({count})", problems, hint="fix or regenerate the SBOM", location=location
        )
    described = {
        r.related_spdx_element_id
        for r in document.relationships
        if r.spdx_element_id == document.creation_info.spdx_id and r.relationship_type.name == "DESCRIBES"
    }
    described |= {
        r.spdx_element_id for r in document.relationships if r.relationship_type.name == "DESCRIBED_BY"
    }
    packages = [_spdx_component(p) for p in document.packages]
    subjects = [c for c in packages if c.bom_ref in described]
    subject = subjects[0] if len(subjects) == 1 else None  # several described packages: no one subject
    return SbomDocument(
        format="spdx",
        encoding=encoding,
        spec_version=version,
        serial=None,
        subject=subject,
        components=tuple(c for c in packages if c is not subject),
        statements=(),
    )


def _spdx_component(package: Any) -> SbomComponent:
    purl = next(
        (
            r.locator
            for r in package.external_references
            if r.category.name == "PACKAGE_MANAGER" and r.reference_type == "purl"
        ),
        None,
    )
    supplier = package.supplier
    purpose = package.primary_package_purpose
    return SbomComponent(
        name=package.name,
        version=_text(package.version),
        supplier=_text(getattr(supplier, "name", None)),
        purl=_text(purl),
        type=purpose.name.lower().replace("_", "-") if purpose is not None else "library",
        bom_ref=package.spdx_id,
    )


# ---- CycloneDX components ---------------------------------------------------------------------------


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
