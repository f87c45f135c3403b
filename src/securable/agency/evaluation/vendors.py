"""Reading vendors' OSCAL component definitions for ``securable evaluate``.

A vendor is given as a package folder (``securable package`` output; its component definition is
``machine/oscal/component-definition.json``) or as any OSCAL 1.2.1 component definition file. A
package is verified against its signed manifest first when the agency has the vendor's public key.

Nothing about a vendor's files raises: each problem becomes a :class:`VendorError` on that vendor
(unreadable, not OSCAL, schema problems with their JSON paths, control IDs the catalog lacks, a
package that fails verification), so the other vendors are still evaluated.

What a component definition claims, per SP 800-213A element (:class:`Claim`):

* **Which means**: the component's role. The device is the first ``hardware`` component (Securable
  writes it first), or, with no hardware at all, the first ``software`` one; other hardware,
  software, physical and interconnection components are related devices; ``service`` components are
  services; every other type (process-procedure, policy, plan, guidance, standard, validation) is
  non-technical support.
* **How far**: ``means-status`` (Securable's) or ``implementation-status`` ``partial``, ``planned``
  or ``alternative`` (another control is in place instead) makes the claim partial. Without either,
  the implemented requirement is taken at its word, as OSCAL intends: the component implements the
  control. ``implementation-status: not-applicable`` (with no status saying it is in place) is no
  claim at all: the requirement stays silent.
* **Shared claims**: a claim through a baseline element that several SP 800-213A records realize
  together (or a whole capability, i.e. its sub-capabilities together) does not say which of them it
  meets, so it is partial for each and says nothing about the records inside them (as ``securable
  check`` counts it). Securable marks such listings ``claim-scope: shared``; a baseline element ID in
  a hand-written component definition is read the same way, a whole capability as a claim for each
  of its sub-capabilities, as Securable lists it (``_8259a-dc`` is partial for ``DC-1`` to ``DC-5``).
* **Who carries it**: the ``customer`` responsible role (on the requirement or its statements)
  marks the customer's share; any other role, or no role on the requirement itself, means the
  vendor's side provides it.

Control implementations are read against the SP 800-213A catalog and the NISTIR 8259A/8259B
profiles (matched by file name, as ``securable package`` writes them); a profile's controls are the
SP 800-213A elements, and a baseline element ID (``_8259a-dp.1``) stands for the elements NIST
names as realizing it (shared when there are several, or the sub-capabilities of a whole
capability). Implementations against any other source are skipped with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from securable import catalog as api
from securable.agency.evaluation.facts import NO_FACTS, Facts
from securable.agency.requirements.links import CAPABILITIES, CONTROLS
from securable.agency.requirements.priority import BASELINES
from securable.errors import InputError
from securable.oscal.blocks import one_line, oscal_id
from securable.oscal.export import catalog_href

JSON = dict[str, Any]
COMPONENT_PATH = "machine/oscal/component-definition.json"  # where `securable package` writes it
ROLES = ("device", "related-device", "service", "non-technical")
ERROR_KINDS = ("unreadable", "not-oscal", "invalid-oscal", "unknown-controls", "verification")
SIGNATURES = ("verified", "not-checked", "failed", "not-a-package")
_TECHNICAL = ("hardware", "software", "physical", "interconnection")
_PARTIAL = frozenset({"partial", "planned", "alternative"})
_IN_PLACE = frozenset({"full", "implemented"})
_NOT_APPLICABLE = "not-applicable"
_STATUS_PROPS = frozenset({"means-status", "implementation-status"})
_SCOPE_PROP = "claim-scope"
_MAX_TEXT = 300  # characters of a requirement's description kept for the report


@dataclass(frozen=True, slots=True)
class VendorSource:
    """A vendor as the agency named it: a short name, a package folder or file, and maybe a key."""

    name: str
    path: Path
    key: Path | None = None  # the vendor's Ed25519 public key (PEM), for packages


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # a JSON path in the component definition, or a package path
    message: str


@dataclass(frozen=True, slots=True)
class VendorError:
    kind: str  # one of ERROR_KINDS
    message: str
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Component:
    title: str
    type: str  # the OSCAL component type as written
    role: str  # one of ROLES


@dataclass(frozen=True, slots=True)
class Claim:
    """One implemented requirement, read as a claim about one SP 800-213A record."""

    record: str  # SP 800-213A record ID
    component: Component
    partial: bool  # partly in place by the vendor's account, or shared
    provider: bool  # the vendor's side provides (part of) it
    customer: bool  # the customer carries (part of) it
    means: tuple[str, ...]  # Securable ``means`` property values
    text: str  # the implemented requirement's description, on one line
    where: str  # JSON path of the implemented requirement
    # Made through a baseline element several records (or a whole capability) realize together:
    # partial for this record, and no claim for the records inside it.
    shared: bool = False
    realizes: tuple[str, ...] = ()  # the baseline elements cited, when the claim says
    # Not a claim for this record: the SP 800-53 control (e.g. "ac-2") the vendor claims, which NIST's
    # mapping links to this record. It never meets the record and covers nothing inside it.
    mapped_from: str = ""

    @property
    def customer_only(self) -> bool:
        return self.customer and not self.provider


@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    path: str
    kind: str  # "package" or "file"
    signature: str  # one of SIGNATURES
    product: str = ""
    manufacturer: str = ""
    components: tuple[Component, ...] = ()
    claims: tuple[Claim, ...] = ()
    warnings: tuple[str, ...] = ()
    error: VendorError | None = None
    facts: Facts = NO_FACTS  # what its package states beyond claims (support, SBOM, updates, ...)

    @property
    def ok(self) -> bool:
        return self.error is None


class _Failed(Exception):
    """Stops reading one vendor; the error is reported on that vendor."""

    def __init__(self, error: VendorError) -> None:
        super().__init__(error.message)
        self.error = error


def read_vendors(sources: Sequence[VendorSource]) -> tuple[Vendor, ...]:
    """Read every vendor, in order. Keys are loaded first: a bad key file is the agency's mistake
    (an :class:`InputError`, exit code 2), found before any vendor is read."""
    from securable.package.keys import load_public_key

    keys = {s.name: load_public_key(s.key) for s in sources if s.key is not None}
    return tuple(read_vendor(s, keys.get(s.name)) for s in sources)


def read_vendor(source: VendorSource, key: Ed25519PublicKey | None = None) -> Vendor:
    """Read, verify (when ``key`` is given) and validate one vendor; problems end up on the result."""
    from securable import inputfile

    # Classified before anything opens it: a named pipe would block the read, and a link loop or an
    # over-long name makes is_dir()/exists() raise; each is this vendor's problem, not the run's.
    found = inputfile.kind(source.path)
    kind = "package" if found == inputfile.FOLDER else "file"
    # "verified" until verification says otherwise; a file has no manifest to verify.
    signature = "not-a-package" if kind == "file" else ("not-checked" if key is None else "verified")
    from securable.fileio import note_input

    note_input(source.path, tree=True)  # a package is read as a whole: nothing in it may be written
    try:
        if found == inputfile.MISSING:
            raise _Failed(VendorError("unreadable", "no such file or folder"))
        if found not in (inputfile.FILE, inputfile.FOLDER):
            message, _ = inputfile.problem(found, "vendor file or package folder")
            raise _Failed(VendorError("unreadable", message))
        if key is not None:
            if kind == "file":
                raise _Failed(
                    VendorError(
                        "verification",
                        "a key was given for a single file, which has no signed manifest: give the "
                        "package folder to verify it",
                    )
                )
            verified_with = _verify(source.path, key)
        else:
            verified_with = ""
        body = _load(source.path / COMPONENT_PATH if kind == "package" else source.path, kind)
        vendor = _read_claims(Vendor(source.name, str(source.path), kind, signature), body)
        if kind != "package":
            return vendor
        from securable.agency.evaluation.facts import read_facts

        facts, warnings = read_facts(source.path, verified_with=verified_with)
        return replace(vendor, facts=facts, warnings=(*vendor.warnings, *warnings))
    except _Failed as failed:
        if failed.error.kind == "verification":
            signature = "failed"
        return Vendor(source.name, str(source.path), kind, signature, error=failed.error)


def _verify(directory: Path, key: Ed25519PublicKey) -> str:
    """The fingerprint of ``key`` once the package at ``directory`` verifies against it."""
    from securable.package.manifest import verify

    try:
        report = verify(directory, key)
    except (InputError, OSError, ValueError) as err:
        # One vendor's unreadable folder must not cost the agency the evaluation of the others.
        message = err.message if isinstance(err, InputError) else str(err)
        raise _Failed(
            VendorError(
                "verification", f"the package could not be verified ({message}), so it was not evaluated"
            )
        ) from err
    if not report.ok:
        problems = tuple(Problem(p.path or "", f"{p.kind}: {p.message}") for p in report.problems)
        raise _Failed(
            VendorError(
                "verification",
                f"the package does not verify against the key given (signature: {report.signature}), "
                "so it was not evaluated",
                problems,
            )
        )
    return report.key_fingerprint


def read_vendor_document(name: str, data: bytes, *, label: str) -> Vendor:
    """One vendor from the bytes of its OSCAL component definition (JSON), named ``label`` in messages."""
    from securable.oscal.validate import MAX_BYTES

    try:
        if len(data) > MAX_BYTES:
            raise _Failed(
                VendorError("unreadable", f"{label} is larger than {MAX_BYTES // 1024 // 1024} MiB")
            )
        return _read_claims(Vendor(name, label, "file", "not-a-package"), _component(data, label))
    except _Failed as failed:
        return Vendor(name, label, "file", "not-a-package", error=failed.error)


def _load(path: Path, kind: str) -> JSON:
    """The parsed, schema-valid component definition at ``path``."""
    from securable.oscal.validate import MAX_BYTES, read_bytes

    if kind == "package" and not path.is_file():
        raise _Failed(
            VendorError("unreadable", f"no {COMPONENT_PATH}: not a package made by `securable package`")
        )
    try:
        data = read_bytes(path, MAX_BYTES)
    except InputError as err:
        raise _Failed(VendorError("unreadable", err.message)) from err
    return _component(data, str(path))


def _component(data: bytes, label: str) -> JSON:
    from securable.jsonread import JSONProblem
    from securable.oscal.validate import parse_json, validate_document

    try:
        doc = parse_json(data, label)
        report = validate_document(doc, name=label, model="component-definition")
    except JSONProblem as err:  # not JSON, or JSON we refuse (a duplicate key, NaN, ...)
        raise _Failed(VendorError("not-oscal", err.at())) from err
    except InputError as err:  # JSON but not an OSCAL component definition
        raise _Failed(VendorError("not-oscal", err.message)) from err
    if not report.ok:
        count = len(report.problems)
        raise _Failed(
            VendorError(
                "invalid-oscal",
                f"not a valid OSCAL 1.2.1 component definition ({count} problem{'s' if count != 1 else ''})",
                tuple(Problem(p.path, p.message) for p in report.problems),
            )
        )
    assert isinstance(doc, dict)  # the schema says so
    body: JSON = doc["component-definition"]
    return body


def _read_claims(base: Vendor, body: JSON) -> Vendor:
    raw = body.get("components", [])
    components = _components(raw)
    claims: list[Claim] = []
    unknown: list[Problem] = []
    warnings: list[str] = []
    for i, (item, component) in enumerate(zip(raw, components, strict=True)):
        for j, implementation in enumerate(item.get("control-implementations", ())):
            where = f"$.component-definition.components[{i}].control-implementations[{j}]"
            if _is_sp800_53(str(implementation["source"])):
                mapped, unmapped = _mapped_claims(implementation, component, where)
                claims += mapped
                warnings += [unmapped] if unmapped else []
                continue
            resolve = _resolver(str(implementation["source"]))
            if resolve is None:
                warnings.append(
                    f"{where}: skipped, its source {implementation['source']!r} is not the SP 800-213A "
                    f"catalog ({catalog_href(CAPABILITIES)}), a NISTIR 8259A/8259B profile or "
                    "SP 800-53 Rev. 5"
                )
                continue
            for k, requirement in enumerate(implementation["implemented-requirements"]):
                at = f"{where}.implemented-requirements[{k}]"
                records, baseline = resolve(requirement["control-id"])
                if not records:
                    unknown.append(
                        Problem(
                            f"{at}.control-id",
                            f"{requirement['control-id']!r} names no record of {CAPABILITIES}",
                        )
                    )
                claims += [
                    claim
                    for record in records
                    if (claim := _claim(record, component, requirement, at, baseline)) is not None
                ]
    if unknown:
        count = len(unknown)
        raise _Failed(
            VendorError(
                "unknown-controls",
                f"{count} implemented requirement{'s name' if count != 1 else ' names'} elements the "
                f"{CAPABILITIES} catalog does not have: written for another catalog or version, so "
                "none of its claims can be relied on",
                tuple(unknown),
            )
        )
    device = next((c.title for c in components if c.role == "device"), "")
    return Vendor(
        base.name,
        base.path,
        base.kind,
        base.signature,
        product=device or one_line(str(body["metadata"]["title"])),
        manufacturer=_manufacturer(body["metadata"]),
        components=tuple(components),
        claims=tuple(claims),
        warnings=tuple(warnings),
    )


def _components(raw: Sequence[JSON]) -> list[Component]:
    types = [str(c["type"]) for c in raw]
    device = next((i for i, t in enumerate(types) if t == "hardware"), None)
    if device is None:
        device = next((i for i, t in enumerate(types) if t == "software"), None)
    out = []
    for i, (item, kind) in enumerate(zip(raw, types, strict=True)):
        if i == device:
            role = "device"
        elif kind in _TECHNICAL:
            role = "related-device"
        elif kind == "service":
            role = "service"
        else:
            role = "non-technical"
        out.append(Component(one_line(str(item["title"])), kind, role))
    return out


def _is_sp800_53(source: str) -> bool:
    """Whether a control implementation's source is SP 800-53 Rev. 5: NIST's OSCAL catalog or one of
    its baseline profiles (``NIST_SP-800-53_rev5_catalog.json``, ``..._MODERATE-baseline_profile.json``)
    or Securable's own export of it, matched by file name as the other sources are."""
    name = PurePosixPath(unquote(urlsplit(source).path)).name.lower()
    return name == catalog_href(CONTROLS).lower() or ("800-53" in name and "rev5" in name)


def _mapped_claims(implementation: JSON, component: Component, where: str) -> tuple[list[Claim], str]:
    """What the SP 800-53 controls an implementation claims say about SP 800-213A, through NIST's
    mappings: a mapped claim (never a claim) for each record mapped to each control; and a warning
    naming the controls that map to nothing here."""
    controls = api.load(CONTROLS)
    claims: list[Claim] = []
    unmapped: list[str] = []
    for k, requirement in enumerate(implementation["implemented-requirements"]):
        control = str(requirement["control-id"]).lower()
        records = (
            [r.id for r in api.records_mapped_to(control) if r.catalog == CAPABILITIES]
            if controls.get(control) is not None
            else []
        )
        if not records:
            unmapped.append(str(requirement["control-id"]))
            continue
        at = f"{where}.implemented-requirements[{k}]"
        for record in dict.fromkeys(records):
            claim = _claim(record, component, requirement, at)
            if claim is not None:
                claims.append(replace(claim, partial=True, shared=True, mapped_from=control))
    if not unmapped:
        return claims, ""
    shown = ", ".join(unmapped[:10]) + (" ..." if len(unmapped) > 10 else "")
    return claims, (
        f"{where}: {len(unmapped)} SP 800-53 control{'s' if len(unmapped) != 1 else ''} that NIST maps to "
        f"no {CAPABILITIES} record (or that SP 800-53 Rev. 5 does not have): {shown}"
    )


_Resolved = tuple[list[str], "_Baseline | None"]


@dataclass(frozen=True, slots=True)
class _Baseline:
    """A baseline element a control-id stood for, and whether its realizers share it."""

    id: str
    shared: bool


def _resolver(source: str) -> Callable[[str], _Resolved] | None:
    """A function from control-id to SP 800-213A record IDs (and the baseline element it named, if
    it named one), for a source the evaluation knows."""
    file_name = PurePosixPath(unquote(urlsplit(source).path)).name
    by_token = _tokens(CAPABILITIES)
    if file_name == catalog_href(CAPABILITIES):
        return lambda token: ([by_token[token]] if token in by_token else [], None)
    baseline = next((b for b in BASELINES if file_name == catalog_href(b)), None)
    if baseline is None:
        return None
    elements = _tokens(baseline)

    def resolve(token: str) -> _Resolved:
        if token in by_token:
            return [by_token[token]], None
        record = api.load(baseline).get(elements.get(token, ""))
        if record is None:
            return [], None
        records = list(realized_by(record))
        # One whole capability stands for its sub-capabilities together, as `securable package` lists
        # it, so a hand-written citation reads like a package's; which of them is met is not said,
        # nor is it when several records realize the element.
        whole = whole_capability(record.id)
        if whole:
            records = [c.id for c in api.load(CAPABILITIES).children(whole)]
        return records, _Baseline(record.id, len(records) > 1 or bool(whole))

    return resolve


def realized_by(record: api.Record) -> tuple[str, ...]:
    """The SP 800-213A records NIST names as realizing a baseline record (IDs without catalog)."""
    prefix = f"{CAPABILITIES}:"
    return tuple(
        link.target.removeprefix(prefix)
        for link in record.links
        if link.rel == "realized-by" and link.target.startswith(prefix)
    )


@cache
def whole_capability(element: str) -> str:
    """The SP 800-213A capability that NIST names, as a whole and alone, as realizing the NISTIR
    8259A/8259B record ``element`` (``DC`` for ``8259A-DC``, ``SU`` for ``8259A-SU.3``); "" for any
    other record, or an ID no baseline has."""
    for baseline in BASELINES:
        record = api.load(baseline).get(element)
        if record is None:
            continue
        targets = realized_by(record)
        only = api.load(CAPABILITIES).get(targets[0]) if len(targets) == 1 else None
        return only.id if only is not None and only.parent is None else ""
    return ""


@cache
def _tokens(catalog_id: str) -> dict[str, str]:
    """OSCAL id -> record ID for a shipped catalog."""
    return {oscal_id(r.id): r.id for r in api.load(catalog_id)}


def _claim(
    record: str, component: Component, requirement: JSON, where: str, baseline: _Baseline | None = None
) -> Claim | None:
    """The claim an implemented requirement makes for ``record``; None when it makes none."""
    props = list(requirement.get("props", ()))
    statuses = {str(p["value"]) for p in props if p["name"] in _STATUS_PROPS}
    if _NOT_APPLICABLE in statuses and not statuses & (_IN_PLACE | _PARTIAL):
        return None  # the vendor says the control does not apply: nothing is claimed for it
    shared = any(p["name"] == _SCOPE_PROP and p["value"] == "shared" for p in props) or bool(
        baseline and baseline.shared
    )
    realizes = tuple(
        dict.fromkeys(
            [str(p["value"]) for p in props if p["name"] == "realizes"] + ([baseline.id] if baseline else [])
        )
    )
    own = {r["role-id"] for r in requirement.get("responsible-roles", ())}
    roles = set(own)
    for statement in requirement.get("statements", ()):
        roles |= {r["role-id"] for r in statement.get("responsible-roles", ())}
    text = one_line(str(requirement.get("description", "")))
    return Claim(
        record=record,
        component=component,
        # "full" anywhere wins, as in Securable's own writer: one means fully in place is enough.
        partial=shared or (bool(statuses & _PARTIAL) and not statuses & _IN_PLACE),
        # No role on the requirement itself: the component's provider implements it, minus any
        # statements assigned to the customer.
        provider=not own or bool(roles - {"customer"}),
        customer="customer" in roles,
        means=tuple(str(p["value"]) for p in props if p["name"] == "means"),
        text=text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…",
        where=where,
        shared=shared,
        realizes=realizes,
    )


def _manufacturer(metadata: JSON) -> str:
    parties = [p for p in metadata.get("parties", ()) if p.get("type") == "organization"]
    return one_line(str(parties[0]["name"])) if parties and parties[0].get("name") else ""
