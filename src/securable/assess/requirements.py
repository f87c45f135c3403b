"""What a baseline requires: its assessable records (*requirements*), each with capability and areas.

Which level of each catalog counts as one requirement (the level at which NIST states one ability
or one action; finer records refine it and count towards it, see :mod:`securable.assess.coverage`):

=======================  ==============================================================================
``nistir-8259a``         elements (21); capabilities only group them
``nistir-8259b``         capabilities (4): NISTIR 8259B states no elements
``sp800-213a``           technical elements, and the sub-capabilities NIST states as one ability without
                         elements (DI-4, DC-1 to DC-4, LAI-5, CSA-9); non-technical actions. Sub-elements
                         and sub-actions (many of them examples) are parts of their element or action.
``federal-profile-2020`` technical elements (sub-elements are parts) and sub-capabilities without
                         elements; manufacturer actions and agency actions (nested actions are parts).
                         Agency actions are the customer's to take: reported as such, never as gaps.
                         The 2019 seed revision (``FPN-SEED``) is left out: every section of it lives on
                         in a later record that is assessed instead.
=======================  ==============================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from securable.assess.areas import areas_for
from securable.catalog import Catalog, Record, load

REQUIREMENT_KINDS: dict[str, frozenset[str]] = {
    "nistir-8259a": frozenset({"element"}),
    "nistir-8259b": frozenset({"capability"}),
    "sp800-213a": frozenset({"element", "action"}),
    "federal-profile-2020": frozenset({"element", "manufacturer-action", "agency-action"}),
}
BASELINES = tuple(REQUIREMENT_KINDS)
_LEFT_OUT_ROOTS = frozenset({"FPN-SEED"})

MANUFACTURER = "manufacturer"
AGENCY = "agency"


@dataclass(frozen=True, slots=True)
class Requirement:
    """One thing a baseline or profile asks for."""

    id: str  # qualified: "nistir-8259a:8259A-SU.2"; "<profile id>:<id>" for one a profile adds
    title: str
    text: str
    capability: str  # qualified ID of the capability it is summed under
    capability_title: str
    areas: tuple[str, ...]  # NISTIR 8228 areas, keys of securable.assess.areas.AREAS
    party: str = MANUFACTURER  # AGENCY: the customer's action (federal profile agency actions)
    satisfied_by: tuple[str, ...] = ()  # added by a profile: catalog records, any of which meets it
    excluded: str | None = None  # why a profile leaves it out (assessed as not applicable)


@dataclass(frozen=True, slots=True)
class Target:
    """What a product is assessed against: a shipped baseline, or a profile file."""

    id: str
    kind: str  # "baseline" or "profile"
    title: str
    requirements: tuple[Requirement, ...]
    file: str | None = None  # the profile file, as given
    description: str = ""


@cache
def baseline_target(catalog_id: str) -> Target:
    """The requirements of one shipped baseline; unknown IDs raise with suggestions."""
    cat = load(catalog_id)
    if catalog_id not in REQUIREMENT_KINDS:
        from securable.errors import NotFoundError

        raise NotFoundError(
            f"{catalog_id!r} is not a baseline Securable assesses", suggestions=list(BASELINES)
        )
    records = [r for root in cat.roots() if root.id not in _LEFT_OUT_ROOTS for r in _walk(cat, root)]
    return Target(
        catalog_id,
        "baseline",
        cat.title,
        tuple(requirement_for(cat, r) for r in records),
        None,
        cat.description,
    )


def requirements_within(record: Record) -> list[Record]:
    """The requirements a selected record stands for: itself at or below requirement level, else
    every requirement inside it."""
    cat = load(record.catalog)
    kinds = REQUIREMENT_KINDS[record.catalog]
    if record.kind in kinds or any(a.kind in kinds for a in cat.ancestors(record.id)):
        return [record]
    return _walk(cat, record)


def _walk(cat: Catalog, record: Record) -> list[Record]:
    kinds = REQUIREMENT_KINDS[cat.id]
    if record.kind in kinds:
        return [record]
    children = cat.children(record.id)
    if not children:
        # A grouping record with nothing below it is NIST stating one ability (e.g. DI-4).
        return [record] if record.parent is not None else []
    return [found for child in children for found in _walk(cat, child)]


def requirement_for(cat: Catalog, record: Record) -> Requirement:
    ancestors = cat.ancestors(record.id)
    capability = ancestors[0] if ancestors else record
    label = next(
        (str(r.props["topic_label"]) for r in (record, *reversed(ancestors)) if "topic_label" in r.props),
        None,
    )
    agency = record.kind == "agency-action" or record.props.get("actor") == AGENCY
    return Requirement(
        id=record.qualified_id,
        title=record.label,
        text=record.text,
        capability=capability.qualified_id,
        capability_title=capability.title or capability.label,
        areas=areas_for(capability.id, label),
        party=AGENCY if agency else MANUFACTURER,
    )
