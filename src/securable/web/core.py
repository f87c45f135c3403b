"""The one adapter between the workspace and the core: reading and assessing product descriptions.

Every call into ``securable.product`` and ``securable.assess`` from the web app goes through here, so
moving to the core API being built (the "one core API" issue) changes this module only. Uploads are
parsed only by the core's hardened YAML reader, with its size cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from securable.assess import DEFAULT_BASELINES  # what `securable check` assesses by default
from securable.errors import InputError


@dataclass(frozen=True)
class Description:
    """What the workspace keeps about an accepted product description besides its bytes."""

    name: str
    manufacturer: str
    model: str
    version: str


@dataclass(frozen=True)
class CoverageLine:
    target: str
    title: str
    totals: dict[str, int]


@dataclass(frozen=True)
class FindingLine:
    rule: str
    severity: str
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class Summary:
    questions: dict[str, int]
    coverage: tuple[CoverageLine, ...]
    findings: tuple[FindingLine, ...]
    severities: dict[str, int]


def _load(raw: bytes, filename: str):  # type: ignore[no-untyped-def]  # LoadedProduct, imported lazily
    from securable.inputs import check_size
    from securable.product import parse_document
    from securable.product.yamlsource import decode

    check_size(len(raw), filename)
    # Parsed from memory with no folder: paths in an upload (its SBOM) are never looked up on the
    # server's disk.
    return parse_document(decode(raw, filename), filename=filename, base_dir=None)


def read_description(raw: bytes, filename: str = "securable.yaml") -> Description:
    """Check an upload; raises the core's InputError or ValidationFailed with every problem found."""
    product = _load(raw, filename).product
    info = product.product
    if info is None or not info.name:
        raise InputError(
            f"{filename}: the product has no name (product.name)",
            hint="the workspace files versions under the product's name",
        )
    return Description(info.name, info.manufacturer or "", info.model or "", info.version or "")


def assess(raw: bytes, *, today: date, filename: str = "securable.yaml") -> Summary:
    """The summary `securable check` would report for these bytes against the default baselines."""
    from securable import api

    # A Document with no folder: an upload's SBOM path is never looked up on the server's disk.
    assessment = api.check(api.Document(filename, raw), today=today, baselines=DEFAULT_BASELINES).assessment
    findings = tuple(
        FindingLine(f.finding.rule, f.finding.severity.value, f.finding.message, f.line, f.column)
        for f in assessment.findings
    )
    severities: dict[str, int] = {}
    for f in findings:
        severities[f.severity] = severities.get(f.severity, 0) + 1
    coverage = tuple(CoverageLine(c.target.id, c.target.title, dict(c.totals)) for c in assessment.coverage)
    return Summary(dict(assessment.questions), coverage, findings, severities)
