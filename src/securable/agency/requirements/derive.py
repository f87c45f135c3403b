"""From a set of SP 800-53 Rev. 5 controls to what an agency needs from an IoT device and its maker.

* **Device cybersecurity capabilities**: the technical SP 800-213A records (elements, sub-elements,
  and sub-capabilities NIST mapped as a whole) whose NIST mappings name a control of the set.
* **Manufacturer support**: the non-technical SP 800-213A records (sub-actions, and the few
  sub-capabilities NIST mapped as a whole) selected the same way.
* **Agency actions**: the Agency actions of the 2020 Federal Profile whose supporting capability has
  a Securable-derived link (:mod:`securable.agency.requirements.links`) to a control of the set.

Every requirement carries the controls that call for it and how (NIST's draft mapping, or the
derived route), so each one can be explained. Tailoring adds or drops requirements, always with a
reason, and is kept with the result: dropped requirements stay listed with the controls that called
for them.

The control set is the baseline's, or the controls a profile *selects*: controls that a resolved
profile holds only as containers for selected enhancements (merge as-is) are not requirements of
the baseline, so they call for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from securable import catalog as api
from securable.agency.requirements.links import (
    CAPABILITIES,
    CONTROLS,
    FEDERAL,
    SEED_PREFIX,
    DerivedLink,
    agency_links,
    control_label,
)
from securable.catalog.store import closest
from securable.errors import NotFoundError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from securable.oscal.resolution.resolve import Resolved

TECHNICAL = ("DI", "DC", "DP", "LAI", "SU", "CSA", "DS")  # sp800-213a technical capabilities
NON_TECHNICAL = ("DOC", "IQR", "IDS", "EA")  # sp800-213a non-technical (manufacturer) capabilities
BASELINE_NAMES = ("low", "moderate", "high", "privacy")


@dataclass(frozen=True, slots=True)
class ControlSet:
    """The input: which SP 800-53 Rev. 5 controls the system must meet, and where they came from."""

    name: str  # "MODERATE", or the profile's file name
    title: str
    kind: str  # "baseline" (shipped SP 800-53B) or "profile" (an OSCAL profile resolved here)
    controls: tuple[str, ...]  # in SP 800-53 catalog order
    ignored: tuple[str, ...] = ()  # selected by the profile but not SP 800-53 Rev. 5 controls
    warnings: tuple[str, ...] = ()  # from profile resolution
    source: str = ""  # the profile file, for profiles


@dataclass(frozen=True, slots=True)
class Call:
    """One control calling for a requirement, and the route from control to requirement."""

    control: str
    route: str  # "nist-mapping" (NIST's draft mapping) or "wording" / "policy" (Securable-derived)
    note: str

    @property
    def derived(self) -> bool:
        return self.route != "nist-mapping"

    @property
    def label(self) -> str:
        return control_label(self.control)


@dataclass(frozen=True, slots=True)
class Requirement:
    record: api.Record
    calls: tuple[Call, ...]
    added: str = ""  # the tailoring reason, when the agency added this requirement


@dataclass(frozen=True, slots=True)
class Tailoring:
    """One ``--add``/``--drop``: the record named, the reason, and which requirements it changed."""

    action: str  # "add" or "drop"
    ref: str
    reason: str
    affected: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirements:
    controls: ControlSet
    technical: tuple[Requirement, ...]
    support: tuple[Requirement, ...]
    agency: tuple[Requirement, ...]
    dropped: tuple[tuple[Requirement, str], ...] = ()  # with the drop reason
    tailoring: tuple[Tailoring, ...] = ()
    unlinked: tuple[str, ...] = field(default=())  # supporting capabilities with no derived link

    def calling_controls(self) -> set[str]:
        return {c.control for r in (*self.technical, *self.support, *self.agency) for c in r.calls}

    def uncalled(self) -> list[str]:
        """Controls of the set that call for no device capability, support or agency action."""
        called = self.calling_controls()
        return [c for c in self.controls.controls if c not in called]


# ---- the control set ------------------------------------------------------------------------------


def from_baseline(name: str) -> ControlSet:
    """One of the shipped SP 800-53B baselines: ``low``, ``moderate``, ``high`` or ``privacy``."""
    catalog = api.load(CONTROLS)
    key = name.strip().upper()
    if key not in catalog.baselines:
        raise NotFoundError(f"unknown baseline {name!r}", suggestions=list(BASELINE_NAMES))
    source = catalog.sources.get("baselines")
    origin = f"{source.publication} {source.version}" if source else "SP 800-53B"
    return ControlSet(
        name=key,
        title=f"SP 800-53 Rev. 5 {key} baseline ({origin})",
        kind="baseline",
        controls=_in_catalog_order(catalog.baselines[key]),
    )


def from_profile(path: Path, *, catalog: Path | None = None) -> ControlSet:
    """The controls an OSCAL profile over SP 800-53 Rev. 5 selects, after resolving it."""
    from securable.oscal.resolution.resolve import resolve_file

    return from_resolved(resolve_file(path, catalog=catalog), name=path.name, source=str(path))


def from_resolved(resolved: Resolved, *, name: str, source: str) -> ControlSet:
    """The controls a resolved OSCAL profile over SP 800-53 Rev. 5 selects; ``name`` is its file name."""
    known = api.load(CONTROLS)
    controls = [c for c in resolved.selected if c in known]
    ignored = tuple(c for c in resolved.selected if c not in known)
    warnings = list(resolved.warnings)
    if ignored:
        warnings.append(
            f"{len(ignored)} selected control(s) are not SP 800-53 Rev. 5 controls and call for nothing: "
            + ", ".join(ignored[:10])
        )
    title = str(resolved.catalog["metadata"].get("title", name))
    return ControlSet(
        name=name,
        title=title,
        kind="profile",
        controls=_in_catalog_order(controls),
        ignored=ignored,
        warnings=tuple(warnings),
        source=source,
    )


def _in_catalog_order(ids: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(r.id for r in api.load(CONTROLS) if r.id in wanted)


# ---- requirements ---------------------------------------------------------------------------------


def derive(controls: ControlSet, tailoring: Sequence[Tailoring] = ()) -> Requirements:
    """The requirements the control set calls for, then the agency's tailoring applied in order."""
    wanted = set(controls.controls)
    capabilities = api.load(CAPABILITIES)
    technical = [_mapped(r, wanted) for r in _units(capabilities, TECHNICAL)]
    support = [_mapped(r, wanted) for r in _units(capabilities, NON_TECHNICAL)]
    links = agency_links()
    agency = [_linked(r, wanted, links) for r in agency_actions()]
    state = _State(technical, support, agency)
    applied = tuple(state.apply(t) for t in tailoring)
    return Requirements(
        controls=controls,
        technical=state.kept(state.technical),
        support=state.kept(state.support),
        agency=state.kept(state.agency),
        dropped=tuple(state.dropped),
        tailoring=applied,
        unlinked=tuple(cid for cid, found in links.items() if not found),
    )


def _units(catalog: api.Catalog, roots: Sequence[str]) -> list[api.Record]:
    """The records a requirement can be: NIST-mapped ones, and leaves below the capability level."""
    out = []
    for root in roots:
        for record in catalog.descendants(root):
            if record.mappings.get(CONTROLS) or not catalog.children(record.id):
                out.append(record)
    return out


def agency_actions() -> list[api.Record]:
    """Every Agency action of the Federal Profile, nested ones included, seed-page copies excluded."""
    federal = api.load(FEDERAL)
    return [r for r in federal.of_kind("agency-action") if not r.id.startswith(SEED_PREFIX)]


def _mapped(record: api.Record, wanted: set[str]) -> Requirement:
    calls = tuple(
        Call(c, "nist-mapping", f"NIST draft mapping: {record.id} to {control_label(c)}")
        for c in record.mappings.get(CONTROLS, ())
        if c in wanted
    )
    return Requirement(record, calls)


def _linked(action: api.Record, wanted: set[str], links: dict[str, tuple[DerivedLink, ...]]) -> Requirement:
    federal = api.load(FEDERAL)
    capability = next(a for a in federal.ancestors(action.id) if a.kind == "supporting-capability")
    calls = tuple(
        Call(link.control, link.route, link.explain())
        for link in links.get(capability.id, ())
        if link.control in wanted
    )
    return Requirement(action, calls)


class _State:
    """The three requirement lists while tailoring is applied: called, added and dropped."""

    def __init__(self, *lists: list[Requirement]) -> None:
        self.technical, self.support, self.agency = lists
        self.required = {r.record.qualified_id for lst in lists for r in lst if r.calls}
        self.dropped: list[tuple[Requirement, str]] = []

    def kept(self, items: list[Requirement]) -> tuple[Requirement, ...]:
        return tuple(r for r in items if r.record.qualified_id in self.required)

    def apply(self, tailoring: Tailoring) -> Tailoring:
        if not tailoring.reason.strip():
            raise UsageError(
                f"--{tailoring.action} {tailoring.ref}: a reason is required",
                hint=f"write --{tailoring.action} {tailoring.ref}=REASON",
            )
        record = _tailorable(tailoring.ref)
        scope = {
            record.qualified_id,
            *(d.qualified_id for d in api.load(record.catalog).descendants(record.id)),
        }
        lists = [self.technical, self.support, self.agency]
        units = [r for lst in lists for r in lst if r.record.qualified_id in scope]
        if not units:
            raise UsageError(
                f"--{tailoring.action} {tailoring.ref}: holds no requirement",
                hint="name a device capability or manufacturer support record of "
                f"{CAPABILITIES}, or an Agency action or supporting capability of {FEDERAL}",
            )
        if tailoring.action == "add":
            changed = [r for r in units if r.record.qualified_id not in self.required]
            if not changed:
                raise UsageError(f"--add {tailoring.ref}: already required, nothing to add")
            for lst in lists:
                for i, item in enumerate(lst):
                    if item in changed:
                        lst[i] = Requirement(item.record, item.calls, added=tailoring.reason.strip())
            self.required.update(r.record.qualified_id for r in changed)
        else:
            changed = [r for r in units if r.record.qualified_id in self.required]
            if not changed:
                raise UsageError(f"--drop {tailoring.ref}: not required, nothing to drop")
            self.dropped += [(r, tailoring.reason.strip()) for r in changed]
            self.required.difference_update(r.record.qualified_id for r in changed)
        affected = tuple(r.record.qualified_id for r in changed)
        return Tailoring(tailoring.action, record.qualified_id, tailoring.reason.strip(), affected)


def _tailorable(ref: str) -> api.Record:
    """The SP 800-213A or Federal Profile record a tailoring names (``DI-1.1``, ``FPN-MA-5.A2``...)."""
    found = [r for r in api.find(ref) if r.catalog in (CAPABILITIES, FEDERAL)]
    if not found:
        ids = [r.id for cat in (CAPABILITIES, FEDERAL) for r in api.load(cat)]
        raise NotFoundError(
            f"no {CAPABILITIES} or {FEDERAL} record {ref!r} to tailor",
            suggestions=closest(ref.partition(":")[2] or ref, ids),
        )
    record = found[0]
    if record.catalog == FEDERAL and (record.id.startswith(SEED_PREFIX) or not record.id.startswith("FPN-")):
        raise UsageError(
            f"{ref}: only Agency actions (and their supporting capabilities) of {FEDERAL} can be tailored",
            hint="seed-page records have later revisions (see `securable catalog show ID`); device "
            f"capabilities and manufacturer support come from {CAPABILITIES}",
        )
    return record


def parse_tailoring(action: str, values: Iterable[str]) -> list[Tailoring]:
    """``ID=REASON`` strings from ``--add``/``--drop`` (record IDs never contain ``=``)."""
    out = []
    for value in values:
        ref, eq, reason = value.partition("=")
        if not eq or not reason.strip() or not ref.strip():
            raise UsageError(
                f"--{action} {value!r}: expected ID=REASON",
                hint=f'e.g. --{action} "DI-1.1=the device sits on an isolated network"',
            )
        out.append(Tailoring(action, ref.strip(), reason.strip()))
    return out
