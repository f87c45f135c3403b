"""Reading and schema-validating the SBOM and vulnerability files: CycloneDX, OpenVEX and CSAF.

A CycloneDX document is validated with the schema of its own ``specVersion`` (1.2 to 1.7), an
OpenVEX document with the OpenVEX 0.2.0 schema and a CSAF document with the CSAF 2.0 schema. The
schemas ship in ``securable/data/cyclonedx-schemas`` and ``securable/data/vex-schemas``; every
``$ref`` between them is resolved from those copies by its URI, and any other reference is refused,
so validation never touches the network.

Only schema validity is checked. CSAF's mandatory tests (section 6.1 of CSAF 2.0) are separate and
not run: a CSAF document can pass here and still fail a CSAF validator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from securable.errors import InputError
from securable.oscal.validate import json_path

if TYPE_CHECKING:  # imported lazily: the validator costs start-up time for commands that never use it
    from jsonschema_rs import ValidationError, Validator

DATA = Path(__file__).resolve().parents[2] / "data"
CYCLONEDX_DIR = DATA / "cyclonedx-schemas"
VEX_DIR = DATA / "vex-schemas"
CYCLONEDX_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
# The 1.2 schema is not among the shipped ones: it comes with cyclonedx-python-lib (see _schema_file).
_LIBRARY_SCHEMAS = ("1.2",)
MAX_BYTES = 32 * 1024 * 1024  # far above real SBOMs; stops a wrong path to a huge file early
MAX_SHOWN = 20  # schema problems listed in one error

# URI -> shipped file, for every schema a shipped schema refers to.
_CYCLONEDX_BASE = "http://cyclonedx.org/schema/"
_FIRST_BASE = "https://www.first.org/cvss/"
_CVSS = ("cvss-v2.0.json", "cvss-v3.0.json", "cvss-v3.1.json")

JSON = dict[str, Any]


class InvalidDocument(InputError):
    """An input file was read but breaks its format's schema; ``problems`` holds each violation."""

    def __init__(
        self, message: str, problems: list[str], *, hint: str | None = None, location: str | None = None
    ):
        super().__init__(message, hint=hint, location=location)
        self.problems = problems

    def render(self) -> str:
        shown = [f"  - {p}" for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            shown.append(f"  - ... and {len(self.problems) - MAX_SHOWN} more")
        return "\n".join([super().render(), *shown])


def read_json(path: Path, what: str) -> tuple[bytes, JSON]:
    """The raw bytes and the parsed JSON object of ``path``; ``what`` names it in messages."""
    raw = read_bytes(path, what)
    return raw, parse_json(raw, what, str(path))


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of ``path`` (at most :data:`MAX_BYTES`, UTF-8); ``what`` names it in messages."""
    from securable.inputfile import shown, utf8_problem
    from securable.jsonread import read

    raw = read(path, MAX_BYTES, what=what)
    not_utf8 = utf8_problem(raw)
    if not_utf8 is not None:  # CycloneDX, OpenVEX and CSAF JSON are UTF-8, whatever JSON would allow
        raise InputError(
            f"{what} is not UTF-8 text ({not_utf8})",
            hint="CycloneDX, OpenVEX and CSAF JSON are UTF-8; save the file as UTF-8",
            location=shown(path),
        )
    return raw


def parse_json(raw: bytes, what: str, location: str) -> JSON:
    """The JSON object in ``raw`` (strict: see :mod:`securable.jsonread`), or InputError saying where
    it breaks."""
    from securable.inputfile import lone_surrogate
    from securable.jsonread import parse

    data = parse(raw, location, hint="only the JSON forms of CycloneDX, OpenVEX and CSAF are read")
    if not isinstance(data, dict):
        raise InputError(f"{what} is not a JSON object", location=location)
    lone = lone_surrogate(raw, data)
    if lone is not None:
        raise InputError(
            f"{what} holds half of a UTF-16 surrogate pair on its own ({lone}), which is no character",
            hint="fix the tool that wrote it, or remove the escape",
            location=location,
        )
    return data


def detect(data: JSON) -> str | None:
    """``cyclonedx``, ``openvex`` or ``csaf`` from the document's own markers; None if none fits."""
    if data.get("bomFormat") == "CycloneDX":
        return "cyclonedx"
    context = data.get("@context")
    if isinstance(context, str) and context.startswith("https://openvex.dev/ns"):
        return "openvex"
    document = data.get("document")
    if isinstance(document, dict) and "csaf_version" in document:
        return "csaf"
    return None


def check_cyclonedx(data: JSON, location: str) -> str:
    """Validate a CycloneDX document with its own specVersion's schema; return that version."""
    if data.get("bomFormat") != "CycloneDX":
        raise InputError(
            'is not CycloneDX: it has no "bomFormat": "CycloneDX"',
            hint="give a CycloneDX SBOM (JSON or XML) or an SPDX 2.2/2.3 SBOM (JSON or tag-value)",
            location=location,
        )
    version = data.get("specVersion")
    if version not in CYCLONEDX_VERSIONS:
        found = "no specVersion" if version is None else f"specVersion {json.dumps(version)}"
        raise InputError(
            f"CycloneDX with {found}; Securable reads specVersion {', '.join(CYCLONEDX_VERSIONS)}",
            hint="regenerate the SBOM with a current CycloneDX tool",
            location=location,
        )
    _check(_cyclonedx_validator(version), data, f"CycloneDX {version}", location)
    return str(version)


def check_openvex(data: JSON, location: str) -> None:
    # The OpenVEX schema is JSON Schema 2020-12, where "format" is an annotation, not a check, and
    # the reference tool relies on that: `vexctl merge` writes "@id": "merged-vex-<hash>", no IRI.
    _check(_vex_validator("openvex_json_schema.json", formats=False), data, "OpenVEX 0.2.0", location)


def check_csaf(data: JSON, location: str) -> None:
    _check(_vex_validator("csaf_json_schema.json", formats=True), data, "CSAF 2.0", location)


def _check(validator: Validator, data: JSON, what: str, location: str) -> None:
    problems = problems_of(validator.iter_errors(data))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise InvalidDocument(
            f"not valid {what} ({count})",
            problems,
            hint=f"fix the file so that it validates against the {what} JSON schema",
            location=location,
        )


def problems_of(errors: Iterable[ValidationError]) -> list[str]:
    """Each violation as ``$.json.path: message``, in document order."""
    found = sorted(
        ((_sort_key(e.instance_path), json_path(e.instance_path), _clip(e.message)) for e in errors),
        key=lambda item: item[0],
    )
    return list(dict.fromkeys(f"{path}: {message}" for _, path, message in found))


def _sort_key(path: list[str | int]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- validators over the shipped schemas ----------------------------------------------------------


def _no_network(uri: str) -> Any:
    raise ValueError(f"{uri} is not among the schemas shipped with Securable; schemas are never fetched")


def _load(path: Path) -> Any:
    return json.loads(path.read_bytes())


@cache
def _cyclonedx_registry() -> Any:
    import jsonschema_rs

    resources = [(_CYCLONEDX_BASE + p.name, _load(p)) for p in sorted(CYCLONEDX_DIR.glob("*.schema.json"))]
    # The 1.2 schema from cyclonedx-python-lib names the SPDX licence schema by its own file name.
    resources.append(
        (_CYCLONEDX_BASE + "spdx.SNAPSHOT.schema.json", _load(CYCLONEDX_DIR / "spdx.schema.json"))
    )
    return jsonschema_rs.Registry(resources, retriever=_no_network)


def _schema_file(version: str) -> Path:
    if version in _LIBRARY_SCHEMAS:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.schema._res import BOM_JSON  # the library's own copies of the published schemas

        path = BOM_JSON[SchemaVersion.from_version(version)]
        assert path is not None, version
        return Path(path)
    return CYCLONEDX_DIR / f"bom-{version}.schema.json"


@cache
def _cyclonedx_validator(version: str) -> Validator:
    import jsonschema_rs

    name = f"bom-{version}.schema.json"
    # base_uri: 1.3 names itself "bom-1.3a", but its relative $refs resolve the same way.
    return jsonschema_rs.Draft7Validator(
        _load(_schema_file(version)),
        registry=_cyclonedx_registry(),
        retriever=_no_network,
        base_uri=_CYCLONEDX_BASE + name,
        pattern_options=jsonschema_rs.RegexOptions(),
    )


@cache
def _vex_validator(name: str, *, formats: bool) -> Validator:
    import jsonschema_rs

    resources = [(_FIRST_BASE + cvss, _load(VEX_DIR / cvss)) for cvss in _CVSS]
    return jsonschema_rs.Draft202012Validator(
        _load(VEX_DIR / name),
        registry=jsonschema_rs.Registry(resources, retriever=_no_network),
        retriever=_no_network,
        validate_formats=formats,
        pattern_options=jsonschema_rs.RegexOptions(),
    )
