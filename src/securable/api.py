"""The Python API: one function per workflow, each returning a result object.

These are the functions both shells call, the ``securable`` command and (soon) the web workspace.
None prints, reads the clock or the environment, or decides an exit code: the day is an argument,
problems are :class:`~securable.errors.SecurableError` exceptions, and a result says what was found.

Inputs are paths, or :class:`Document` for bytes held in memory (a web upload). Every result lists
in ``reads`` what the workflow read, each input with the SHA-256 of the exact bytes used, so a
caller can cache results, audit them and show where they came from.

Catalog look-ups are :mod:`securable.catalog` (``find``, ``resolve``, ``search``, ``load``), re-exported
here. See the README, "Python API", for an example per workflow.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from securable.agency.requirements.derive import Tailoring
from securable.assess import DEFAULT_BASELINES
from securable.catalog import find, load, search
from securable.catalog import resolve as record
from securable.errors import InputError, UsageError
from securable.rendering.formats import RenderOptions

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from securable.agency.evaluation.evaluate import Evaluation
    from securable.agency.evaluation.vendors import Vendor
    from securable.agency.requirements.derive import Requirements
    from securable.assess.diff import PostureDiff
    from securable.assess.report import Assessment
    from securable.oscal.resolution.resolve import Resolved
    from securable.oscal.validate import ValidationReport
    from securable.package.build import PackageResult
    from securable.package.documents.paper import Paper
    from securable.package.manifest import VerifyReport
    from securable.product.questions import QuestionState

__all__ = [
    "DEFAULT_BASELINES",
    "BuildResult",
    "CheckResult",
    "DiffResult",
    "Document",
    "EvaluationResult",
    "QuestionsResult",
    "Read",
    "RenderOptions",
    "RequirementsResult",
    "ResolveResult",
    "Tailoring",
    "ValidateResult",
    "VendorInput",
    "VerifyResult",
    "answer",
    "check",
    "diff",
    "evaluate",
    "find",
    "load",
    "not_applicable",
    "package",
    "questions",
    "record",
    "requirements",
    "resolve",
    "search",
    "validate",
    "verify",
]


@dataclass(frozen=True, slots=True)
class Document:
    """An input held in memory: its bytes, the name messages and reports call it by, and the folder
    that relative references inside it (a product's SBOM, a profile's imports) are looked up in."""

    name: str
    data: bytes
    base_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class Read:
    """One input a workflow read: its name (the path as given) and the digest of the bytes used."""

    name: str
    sha256: str
    size: int


Source = str | os.PathLike[str] | Document


def _read(data: bytes, name: str) -> Read:
    return Read(name, hashlib.sha256(data).hexdigest(), len(data))


def _read_file(path: Path, limit: int = 64 * 2**20) -> Read | None:
    """The digest of a file that the workflow read by itself (a referenced SBOM); None if it is gone
    or not a regular file, whose problem the workflow has reported already. ``limit`` is the
    largest input cap (OSCAL's 64 MiB); the workflow itself refused anything bigger."""
    from securable.inputs import read_capped

    try:
        return _read(read_capped(path, limit, regular_only=True), str(path))
    except OSError:
        return None


def _json_input(source: Source, *, what: str) -> tuple[object, Read, Path | None]:
    """A JSON input parsed, its digest and its folder; errors name it as given."""
    from securable.oscal.validate import MAX_BYTES, parse_json, read_bytes

    if isinstance(source, Document):
        if len(source.data) > MAX_BYTES:
            raise InputError(f"{source.name}: the {what} is larger than {MAX_BYTES // 1024 // 1024} MiB")
        return parse_json(source.data, source.name), _read(source.data, source.name), source.base_dir
    path = Path(source)
    data = read_bytes(path, MAX_BYTES)
    return parse_json(data, str(path)), _read(data, str(path)), path.parent


def _yaml_input(source: Source, *, what: str, hint: str) -> tuple[str, Read, Path | None]:
    """A YAML input's text, its digest and its folder."""
    from securable.inputs import check_size, read_yaml_bytes
    from securable.product.yamlsource import decode

    if isinstance(source, Document):
        check_size(len(source.data), source.name)
        return decode(source.data, source.name), _read(source.data, source.name), source.base_dir
    path = Path(source)
    raw = read_yaml_bytes(path, what=what, hint=hint)  # read once, capped; a pipe is read as it comes
    check_size(len(raw), str(path))
    # A pipe or a device has no folder: paths relative to it (a product's SBOM) are not looked up.
    return decode(raw, str(path)), _read(raw, str(path)), path.parent if path.is_file() else None


# ---- check ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One assessment and what it read: the product, the profiles, the SBOM the product names."""

    assessment: Assessment
    reads: tuple[Read, ...]

    def report(self, fmt: str = "table", options: RenderOptions | None = None) -> str:
        """The report as ``securable check --format FMT`` writes it: table, json, markdown or sarif."""
        from securable.assess.report import render

        return render(self.assessment, fmt, options)

    def fails(self, fail_on: str) -> bool:
        """Whether a finding is at least as severe as ``fail_on`` (``high`` ... ``info``; ``none``: never)."""
        from securable.assess.report import fails

        return fails(self.assessment, fail_on)


def check(
    product: Source,
    *,
    today: date,
    baselines: Sequence[str] = (),
    profiles: Sequence[Source] = (),
) -> CheckResult:
    """Assess a product description against baselines and profiles, as of ``today``.

    With neither baselines nor profiles, :data:`DEFAULT_BASELINES`. Raises
    :class:`~securable.errors.ValidationFailed` when the description does not validate and
    :class:`~securable.errors.InputError` or :class:`~securable.errors.NotFoundError` for bad input.
    """
    from securable.assess.profiles import parse_profile
    from securable.assess.report import build_assessment
    from securable.assess.requirements import baseline_target
    from securable.product import parse_document

    if not baselines and not profiles:
        baselines = DEFAULT_BASELINES
    reads: list[Read] = []
    # Targets first: a typo in a profile is reported before the product is read.
    targets = [baseline_target(name) for name in dict.fromkeys(baselines)]
    for profile in _unique(profiles):
        text, read, _ = _yaml_input(profile, what="profile file", hint="see docs/profiles.md for the format")
        targets.append(parse_profile(text, filename=read.name))
        reads.append(read)
    text, read, base_dir = _yaml_input(
        product, what="file", hint="create one with `securable init --template`"
    )
    loaded = parse_document(text, filename=read.name, base_dir=base_dir)
    assessment = build_assessment(loaded, targets, today=today)
    reads.insert(0, read)
    inventory = loaded.product.composition and loaded.product.composition.software_inventory
    if inventory and inventory.sbom and base_dir is not None:
        # The digest of the very bytes the check validated (product.consistency), not of a re-read.
        sbom = base_dir / inventory.sbom
        found = loaded.read_files.get(str(sbom.resolve()))
        if found is not None:
            reads.append(Read(str(sbom), *found))
    return CheckResult(assessment, tuple(reads))


def _unique(sources: Sequence[Source]) -> list[Source]:
    seen: set[object] = set()
    out = []
    for source in sources:
        key = source if isinstance(source, Document) else os.fspath(source)
        if key not in seen:
            seen.add(key)
            out.append(source)
    return out


# ---- OSCAL: validate and resolve ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValidateResult:
    report: ValidationReport  # .ok, .model, .problems
    reads: tuple[Read, ...]


def validate(document: Source, *, model: str | None = None) -> ValidateResult:
    """Validate an OSCAL 1.2.1 JSON document against NIST's schema (``model``: required model)."""
    from securable.oscal.validate import validate_document

    doc, read, _ = _json_input(document, what="OSCAL document")
    return ValidateResult(validate_document(doc, name=read.name, model=model), (read,))


@dataclass(frozen=True, slots=True)
class ResolveResult:
    resolved: Resolved  # .document is the resolved catalog; .warnings what was passed over
    reads: tuple[Read, ...]


def resolve(profile: Source, *, catalog: str | os.PathLike[str] | None = None) -> ResolveResult:
    """Resolve an OSCAL profile into one catalog; ``catalog`` stands in for imports that are not local files.

    Imports are read from disk, relative to the profile's folder (``Document.base_dir``).
    """
    resolved = _resolved(profile, catalog)
    return ResolveResult(resolved, _resolution_reads(profile, resolved))


def _resolved(profile: Source, catalog: str | os.PathLike[str] | None) -> Resolved:
    from securable.oscal.resolution.resolve import resolve_document, resolve_file

    fallback = Path(catalog) if catalog is not None else None
    if isinstance(profile, Document):
        doc, _, base = _json_input(profile, what="profile")
        return resolve_document(doc, name=profile.name, base=base, catalog=fallback)
    return resolve_file(Path(profile), catalog=fallback)


def _resolution_reads(profile: Source, resolved: Resolved) -> tuple[Read, ...]:
    reads = [_read(profile.data, profile.name)] if isinstance(profile, Document) else []
    reads += [r for r in (_read_file(Path(s)) for s in resolved.sources) if r is not None]
    return tuple(reads)


# ---- the manufacturer's package -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuildResult:
    package: PackageResult  # .directory, .files, .gaps, .date, .key_fingerprint
    reads: tuple[Read, ...]


def package(
    product: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    today: date,
    date: date | None = None,
    key: str | os.PathLike[str] | None = None,
    vex: str | os.PathLike[str] | None = None,
    pdf: bool = True,
    strict: bool = False,
    paper: Paper | None = None,
) -> BuildResult:
    """Build the customer package of ``product`` into the folder ``out_dir`` (replaced atomically).

    ``date`` fixes the package date (reproducible builds); else it is ``today``, never the release
    date (a security.txt must not expire before customers read it); ``today`` also judges expiry.
    ``key`` signs the manifest. With ``strict``, unstated customer topics raise
    :class:`~securable.package.build.GapsFound` and nothing is written. ``paper`` (``"a4"`` or
    ``"letter"``) fixes the PDFs' paper size; else it follows the product's markets.
    """
    from securable.package.build import build_package

    product_path = Path(product)
    result = build_package(
        product_path,
        Path(out_dir),
        key=Path(key) if key is not None else None,
        vex=Path(vex) if vex is not None else None,
        pdf=pdf,
        strict=strict,
        date=date,
        today=today,
        paper=paper,
    )
    inputs = [product_path, *([Path(vex)] if vex is not None else [])]
    inputs += _sbom_of(product_path)
    return BuildResult(result, tuple(r for r in map(_read_file, inputs) if r is not None))


def _sbom_of(product: Path) -> list[Path]:
    from securable.product import load_product

    inventory = (composition := load_product(product).composition) and composition.software_inventory
    return [product.parent / inventory.sbom] if inventory and inventory.sbom else []


@dataclass(frozen=True, slots=True)
class VerifyResult:
    report: VerifyReport  # .ok, .problems, .files_checked, .key_fingerprint
    reads: tuple[Read, ...]


def verify(package_dir: str | os.PathLike[str], public_key: Source) -> VerifyResult:
    """Check a package folder against its signed manifest (``public_key``: the manufacturer's PEM)."""
    from securable.package.manifest import MANIFEST, SIGNATURE
    from securable.package.manifest import verify as check_package

    key, key_read = _public_key(public_key)
    folder = Path(package_dir)
    report = check_package(folder, key)
    reads = [r for r in (_read_file(folder / MANIFEST), _read_file(folder / SIGNATURE)) if r is not None]
    return VerifyResult(report, (*reads, key_read))


def _public_key(source: Source) -> tuple[Ed25519PublicKey, Read]:
    from securable.package.keys import load_public_key, parse_public_key

    if isinstance(source, Document):
        return parse_public_key(source.data, source.name), _read(source.data, source.name)
    path = Path(source)
    key = load_public_key(path)
    read = _read_file(path)
    if read is None:
        raise InputError(f"cannot read {path}")
    return key, read


# ---- the agency's side: requirements and vendor evaluation ---------------------------------------


@dataclass(frozen=True, slots=True)
class RequirementsResult:
    requirements: Requirements
    warnings: tuple[str, ...]  # from profile resolution: worth telling, not errors
    reads: tuple[Read, ...]  # empty for a shipped baseline

    def report(self, fmt: str = "table", options: RenderOptions | None = None) -> str:
        """The report: table, markdown, html, json, or oscal (a profile for :func:`evaluate`)."""
        from securable.agency.requirements.report import render

        return render(self.requirements, fmt, options)


def requirements(
    *,
    baseline: str | None = None,
    profile: Source | None = None,
    catalog: str | os.PathLike[str] | None = None,
    tailoring: Sequence[Tailoring] = (),
) -> RequirementsResult:
    """IoT device requirements from a shipped SP 800-53B ``baseline`` (low, moderate, high, privacy) or an
    OSCAL ``profile`` over SP 800-53 Rev. 5, tailored by ``tailoring`` (adds before drops)."""
    from securable.agency.requirements.derive import derive, from_baseline, from_resolved

    if (baseline is None) == (profile is None):
        raise UsageError("give either a baseline or a profile")
    if catalog is not None and profile is None:
        raise UsageError("a catalog goes with a profile")
    reads: tuple[Read, ...] = ()
    if baseline is not None:
        controls = from_baseline(baseline)
    else:
        assert profile is not None
        resolved = _resolved(profile, catalog)
        name = profile.name if isinstance(profile, Document) else Path(profile).name
        source = profile.name if isinstance(profile, Document) else str(Path(profile))
        controls = from_resolved(resolved, name=Path(name).name, source=source)
        reads = _resolution_reads(profile, resolved)
    ordered = [t for t in tailoring if t.action == "add"] + [t for t in tailoring if t.action != "add"]
    return RequirementsResult(derive(controls, ordered), controls.warnings, reads)


@dataclass(frozen=True, slots=True)
class VendorInput:
    """One vendor to evaluate: a package folder or component definition file, or the bytes of a
    component definition; ``key`` (a public key) verifies a package folder before it is read."""

    name: str
    source: str | os.PathLike[str] | Document
    key: Source | None = None


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    evaluation: Evaluation  # .vendors, .failed, .rows, .questions, .clauses
    warnings: tuple[str, ...]  # about the requirements profile
    reads: tuple[Read, ...]

    def report(self, fmt: str = "table", options: RenderOptions | None = None) -> str:
        """The report (``table``, ``markdown``, ``html``, ``json``)."""
        from securable.agency.evaluation.report import render

        return render(self.evaluation, fmt, options)


def evaluate(requirements: Source, vendors: Sequence[VendorInput]) -> EvaluationResult:
    """Compare vendors against an agency's requirements profile (``securable requirements --format oscal``).

    A vendor whose files fail verification or validation is reported on its result (``failed``);
    bad input from the agency (the profile, a key) raises. Keys are read before any vendor.
    """
    from securable.agency.evaluation.evaluate import evaluate as run
    from securable.agency.evaluation.requirements_profile import parse_requirements
    from securable.agency.evaluation.vendors import (
        COMPONENT_PATH,
        VendorSource,
        read_vendor,
        read_vendor_document,
    )

    doc, read, _ = _json_input(requirements, what="requirements profile")
    wanted = parse_requirements(doc, name=read.name)
    keys = {v.name: _public_key(v.key) for v in vendors if v.key is not None}
    reads = [read, *(k[1] for k in keys.values())]
    read_in: list[Vendor] = []
    for vendor in vendors:
        if isinstance(vendor.source, Document):
            if vendor.key is not None:
                raise UsageError(f"vendor {vendor.name!r}: a key verifies a package folder, not a document")
            read_in.append(read_vendor_document(vendor.name, vendor.source.data, label=vendor.source.name))
            reads.append(_read(vendor.source.data, vendor.source.name))
            continue
        path = Path(vendor.source)
        key = keys[vendor.name][0] if vendor.name in keys else None
        read_in.append(read_vendor(VendorSource(vendor.name, path, None), key))
        try:  # a path the vendor reader refused (too long, a loop) must not stop the other vendors
            found = _read_file(path / COMPONENT_PATH if path.is_dir() else path)
        except OSError:
            found = None
        reads += [found] if found is not None else []
    return EvaluationResult(run(wanted, read_in), wanted.warnings, tuple(reads))


# ---- the questionnaire and the posture diff (the workspace's maker pages) -------------------------


@dataclass(frozen=True, slots=True)
class QuestionsResult:
    states: tuple[QuestionState, ...]  # every NISTIR 8259 question, in document order
    reads: tuple[Read, ...]


def questions(product: Source) -> QuestionsResult:
    """Which NISTIR 8259 questions a product description answers, leaves open (and where) or marks
    not applicable, as ``securable questions`` reports them."""
    from securable.product import parse_document, question_status

    text, read, base_dir = _yaml_input(
        product, what="file", hint="create one with `securable init --template`"
    )
    loaded = parse_document(text, filename=read.name, base_dir=base_dir)
    return QuestionsResult(question_status(loaded.product), (read,))


def answer(product: Document, place: str, text: str) -> bytes:
    """The description with the value typed as ``text`` at ``place`` (an open question's ``missing``
    entry, e.g. ``use_cases[0].where``), written anew; it loads with ``securable check``."""
    from securable.product.answering import answer as put

    return put(product.data, place, text, filename=product.name)


def not_applicable(product: Document, question: str, reason: str) -> bytes:
    """The description with ``question`` marked not applicable for ``reason``, written anew."""
    from securable.product.answering import not_applicable as mark

    return mark(product.data, question, reason, filename=product.name)


@dataclass(frozen=True, slots=True)
class DiffResult:
    diff: PostureDiff  # .fields, .questions, .coverage, .totals, .findings_added, .findings_removed
    reads: tuple[Read, ...]


def diff(old: Source, new: Source, *, today: date, baselines: Sequence[str] = ()) -> DiffResult:
    """What changed between two versions of a product description, in answers, coverage and
    findings, both assessed as of ``today`` against the same baselines (default: the defaults)."""
    from securable.assess.diff import compare

    before = check(old, today=today, baselines=baselines)
    after = check(new, today=today, baselines=baselines)
    return DiffResult(compare(before.assessment, after.assessment), (*before.reads, *after.reads))


@dataclass(frozen=True, slots=True)
class PackageProduct:
    """What a vendor package's product description says the product is (the vendor's own words)."""

    name: str
    manufacturer: str
    version: str
    support_end: date | None
    end_of_life: date | None
    reads: tuple[Read, ...]


def package_product(package_dir: str | os.PathLike[str]) -> PackageProduct:
    """The product, vendor, version and support dates in a package folder's ``machine/product.json``.

    The caller verifies the package first (:func:`verify`); a missing description or a date that is
    not ``YYYY-MM-DD`` is an :class:`InputError` rather than a guess.
    """
    from securable.agency.evaluation.facts import PRODUCT
    from securable.jsonread import parse
    from securable.jsonread import read as read_json

    path = Path(package_dir) / PRODUCT
    if not path.is_file():
        raise InputError(
            "the package has no product description (machine/product.json)",
            hint="ask the vendor for a package made by `securable package`",
        )
    data = read_json(path, 16 * 2**20, what="product description")

    def part(value: object, key: str) -> dict[str, object]:
        found = value.get(key) if isinstance(value, dict) else None
        return found if isinstance(found, dict) else {}

    body = part(parse(data, PRODUCT), "product")
    about, support = part(body, "product"), part(body, "support")

    def text(value: object) -> str:
        return " ".join(str(value).split())[:200] if isinstance(value, str | int | float) else ""

    def day(key: str) -> date | None:
        value = support.get(key)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value)[:20])
        except ValueError as err:
            raise InputError(f"{PRODUCT}: support.{key} {str(value)[:40]!r} is not a date") from err

    return PackageProduct(
        name=text(about.get("name")),
        manufacturer=text(about.get("manufacturer")),
        version=text(about.get("version")),
        support_end=day("support_end"),
        end_of_life=day("end_of_life"),
        reads=(_read(data, str(path)),),
    )
