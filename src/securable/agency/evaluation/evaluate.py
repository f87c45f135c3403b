"""Vendors against an agency's requirements: who meets each requirement, how, and what to ask.

Input: the requirements profile (:mod:`securable.agency.evaluation.requirements_profile`) and the vendors'
component definitions (:mod:`securable.agency.evaluation.vendors`). Each device capability and manufacturer
support requirement (SP 800-213A) gets one :class:`Verdict` per vendor that could be read:

==========================  ==================================================================
``met-by-device``           a claim fully in place, by the device itself
``met-by-related-device``   ... by a related device (hub, gateway, phone app)
``met-by-service``          ... by a service (e.g. the manufacturer's cloud)
``met-by-non-technical``    ... by non-technical support (documentation, processes)
``partial``                 the vendor's side claims it only partly, or only for some of its parts
``customer-burden``         only the customer carries it, by the vendor's own account
``silent``                  nothing in the component definition speaks to it
==========================  ==================================================================

Claims count for the requirement's record and for its ancestors, the way ``securable check``
counts citations (docs/profiles.md, "How citations count"): a claim for an element or action covers
its sub-elements or sub-actions; a claim for what contains the requirement (its capability,
sub-capability or topic, e.g. ``DOC-1`` for the actions under it) claims the area without naming the
requirement, so it makes it ``partial`` at best. A shared claim
(:attr:`~securable.agency.evaluation.vendors.Claim.shared`: made through a baseline element that several
records realize together, or that a whole capability realizes, when it is a claim for each of that
capability's sub-capabilities) is partial for the record it names and covers nothing inside it, as
``securable check`` counts the citation.

A requirement is also met when all its parts are met (rule 4 there): its sub-elements, its
sub-actions, or the elements of a sub-capability a profile selects. NIST's examples are not parts:
they illustrate a sub-action, so a claim for one counts for nothing. A part is met by a claim for it
or, in turn, by all of its own parts. Parts claimed without all of them being met in full (some not
claimed at all, or claimed only partly, shared, or by the customer alone) make the requirement
``partial``; parts that only the customer carries make it ``customer-burden``. A shared claim for
the requirement itself does not stop its parts from meeting it: ``securable check`` too takes the
best of what counts.

When means meet a requirement, the verdict names the means nearest the device, in NISTIR 8259's
order (device, related device, service, non-technical support): the nearest that, with those nearer
still, meet it in full. A claim naming the requirement does that alone; parts do it together, so an
element whose sub-elements are met by the device and by a service is ``met-by-service`` (``securable
check`` says *met by other means*), and the note names each part with the means that meets it. The
other claims stay listed with the verdict. ``securable check`` counts the customer's means like any
other; here a claim only the customer carries never meets anything, since it is what the agency
asks the vendor about: the customer's share is marked, and a requirement one of whose parts only
the customer carries is ``partial`` at best.

Agency actions are the agency's own duties; the vendors cannot meet them, so they feed the contract
checklist (:mod:`securable.agency.evaluation.clauses`) instead. Nothing here reads the clock, so
the same input gives the same evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from securable import catalog as api
from securable.agency.evaluation.clauses import Clause, checklist
from securable.agency.evaluation.requirements_profile import AgencyRequirements, Wanted
from securable.agency.evaluation.vendors import ROLES, Claim, Vendor, whole_capability
from securable.agency.requirements.links import CAPABILITIES
from securable.agency.requirements.priority import priority as rank

STATUSES = (
    "met-by-device",
    "met-by-related-device",
    "met-by-service",
    "met-by-non-technical",
    "partial",
    "customer-burden",
    "silent",
)
MET = STATUSES[:4]
ROLE_WORDS = {
    "device": "device",
    "related-device": "related device",
    "service": "service",
    "non-technical": "non-technical support",
}
OPEN = ("partial", "customer-burden", "silent")  # what the agency should ask the vendor about
EVALUATED = ("technical", "support")  # the sections vendors are evaluated on
# Records that group requirements: a claim for one of them names none of the requirements inside.
CONTAINERS = frozenset({"capability", "sub-capability", "topic"})


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # one of STATUSES
    claims: tuple[Claim, ...] = ()  # the claims behind it
    via: str = ""  # the ancestor a claim was made for, when not the requirement itself
    parts: tuple[str, ...] = ()  # descendants claimed, when only parts are
    customer_share: bool = False  # the customer carries part of a requirement met or partly met
    contained: bool = False  # ``via`` is a container: the claim names the area, not the requirement
    # When its parts meet it with means nearer the device than any claim naming it: each part, with
    # the role of the nearest means that meets that part (by a claim for it, or through its parts).
    through: tuple[tuple[str, str], ...] = ()
    every_part: bool = False  # each of its parts is claimed, though not necessarily in full
    # Silent only: the vendor claims a record above it (its capability, sub-capability or element)
    # in a way that names none of the records inside, so it is not claimed at this level of detail,
    # which differs from a requirement the vendor does not address at all.
    coarser: bool = False
    record: str = ""  # the requirement's ID

    @property
    def mapped(self) -> bool:
        """Every claim behind it is mapped from an SP 800-53 control, none names SP 800-213A."""
        return bool(self.claims) and all(c.mapped_from for c in self.claims)

    @property
    def note(self) -> str:
        """Why this status, in words; empty when the status says it all."""
        if self.mapped:
            controls = ", ".join(dict.fromkeys(c.mapped_from.upper() for c in self.claims))
            where = "this requirement" if any(c.record == self.record for c in self.claims) else "its parts"
            return (
                f"mapped, not claimed: the vendor claims SP 800-53 {controls}, which NIST's mapping links "
                f"to {where}; the vendor does not say how it meets the requirement itself"
            )
        if self.coarser:
            return (
                f"not claimed at this level of detail: the vendor claims {named(self.via)} as a whole "
                "without naming this requirement"
            )
        notes = []
        if self.via:
            notes.append(
                f"claimed for {named(self.via)} as a whole"
                + (", not for this requirement" if self.contained else "")
            )
        if self.through:
            met = ", ".join(f"{part} ({ROLE_WORDS[role]})" for part, role in self.through)
            notes.append(f"met through its parts: {met}")
        elif self.parts:
            claimed = "its parts" if self.every_part else "part of it"
            notes.append(f"claimed only for {claimed}: {', '.join(self.parts)}")
        if self.status == "partial" and (self.every_part or not self.parts):
            provided = [c for c in self.claims if c.provider and not c.mapped_from]
            if any(c.partial and not c.shared for c in provided):
                notes.append("the vendor says its means are only partly in place")
            shared = {
                r: whole_capability(r) for r in sorted({r for c in provided if c.shared for r in c.realizes})
            }
            # Name the capability a claim came through: the agency asks which sub-capability is met.
            notes += [
                f"the vendor cites {baseline_named(r)} as a whole; NIST meets that with the whole "
                f"{capability} capability, and the vendor does not say which of its parts the product meets"
                for r, capability in shared.items()
                if capability
            ]
            several = [r for r, capability in shared.items() if not capability]
            if several:
                notes.append(
                    f"the vendor cites {', '.join(baseline_named(r) for r in several)}, which NIST meets "
                    "with several requirements together; the vendor does not say which of them the "
                    "product meets"
                )
            elif not shared and any(c.shared for c in provided):
                notes.append("claimed together with other records, without saying which one is met")
        if self.customer_share:
            notes.append("the customer carries part of it")
        return "; ".join(notes)


@dataclass(frozen=True, slots=True)
class Row:
    item: Wanted
    verdicts: tuple[Verdict, ...]  # one per evaluated vendor, in vendor order
    priority: int = 3  # 1 decides, 2 high, 3 the rest: see :func:`priority`


@dataclass(frozen=True, slots=True)
class Totals:
    """One capability (DI, DOC, ...): how many requirements, and per vendor the count per status."""

    id: str
    title: str
    section: str
    count: int
    per_vendor: tuple[dict[str, int], ...]  # status -> count, every status present


@dataclass(frozen=True, slots=True)
class Question:
    vendor: str
    kind: str  # a status of OPEN, or "error" for a vendor that could not be evaluated
    group: str  # the sub-capability the requirements belong to ("" for errors)
    group_title: str
    requirements: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    requirements: AgencyRequirements
    vendors: tuple[Vendor, ...]  # as given, including those that failed
    rows: tuple[Row, ...]
    totals: tuple[Totals, ...]
    questions: tuple[Question, ...]
    clauses: tuple[Clause, ...]
    date: str = ""  # the day of the evaluation (ISO), when the caller says; nothing here reads the clock

    @property
    def evaluated(self) -> tuple[Vendor, ...]:
        return tuple(v for v in self.vendors if v.ok)

    @property
    def failed(self) -> tuple[Vendor, ...]:
        return tuple(v for v in self.vendors if not v.ok)

    def deciding(self) -> tuple[Row, ...]:
        """The priority-1 requirements, those where the vendors' verdicts differ first."""
        rows = [r for r in self.rows if r.priority == 1]
        return tuple(sorted(rows, key=lambda r: len({v.status in MET for v in r.verdicts}) != 2))

    def overall(self, vendor: int) -> dict[str, int]:
        """Status -> count over every evaluated requirement, for the ``vendor``-th evaluated vendor."""
        return {s: sum(t.per_vendor[vendor][s] for t in self.totals) for s in STATUSES}


def evaluate(requirements: AgencyRequirements, vendors: Sequence[Vendor]) -> Evaluation:
    evaluated = [v for v in vendors if v.ok]
    indexes = [_index(v.claims) for v in evaluated]
    rows = tuple(
        Row(item, tuple(verdict(item.record.id, index) for index in indexes), priority(item))
        for item in requirements.items
        if item.section in EVALUATED
    )
    agency = [w.record.id for w in requirements.section("agency")]
    return Evaluation(
        requirements=requirements,
        vendors=tuple(vendors),
        rows=rows,
        totals=_totals(rows, len(evaluated)),
        questions=_questions(rows, evaluated, [v for v in vendors if not v.ok]),
        clauses=checklist(agency),
    )


def priority(item: Wanted) -> int:
    """How much a requirement weighs in choosing a vendor (:mod:`securable.agency.requirements.priority`)."""
    return rank(item.record.id, item.calls, added=bool(item.added))


def _index(claims: Sequence[Claim]) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for claim in claims:
        out.setdefault(claim.record, []).append(claim)
    return out


def verdict(record_id: str, claims: dict[str, list[Claim]]) -> Verdict:
    """One vendor's verdict on one SP 800-213A requirement, from that vendor's claims by record ID."""
    catalog = api.load(CAPABILITIES)
    mine = tuple(claims.get(record_id, ()))
    above: list[Claim] = []  # claims for an element or action above it: they cover it
    contained: list[Claim] = []  # claims for a container of the requirement: partial at best
    via, via_container = "", False
    for ancestor in reversed(catalog.ancestors(record_id)):  # nearest first
        # A shared claim does not say which record it meets, so nothing inside the record either.
        inherited = [c for c in claims.get(ancestor.id, ()) if not c.shared]
        if inherited and not mine and not above and not contained and not via:
            via, via_container = ancestor.id, ancestor.kind in CONTAINERS
        (contained if ancestor.kind in CONTAINERS else above).extend(inherited)
    cover = _cover(record_id, claims)
    named = _nearer(_reach(mine), _reach(above))
    reach = _nearer(named, cover.reach)
    relevant = (*mine, *above, *contained, *cover.below)
    if reach is not None:
        status = f"met-by-{ROLES[reach]}"
    elif any(c.provider for c in relevant):
        status = "partial"
    elif relevant:
        status = "customer-burden"
    else:
        return _silent(record_id, claims)
    # The parts explain the verdict only when a claim naming the requirement does not reach as far.
    through = cover.through if reach is not None and reach != named else ()
    return Verdict(
        status,
        relevant,
        via,
        parts=() if mine or above or contained else cover.claimed,
        customer_share=status != "customer-burden" and _customer(relevant),
        contained=via_container,
        through=tuple((part, ROLES[r]) for part, r in through),
        every_part=cover.every_part,
        record=record_id,
    )


def _silent(record_id: str, claims: dict[str, list[Claim]]) -> Verdict:
    """Silent, and whether the vendor claims something above the requirement (a shared claim, which
    covers nothing inside the record it names) or nothing at all."""
    catalog = api.load(CAPABILITIES)
    for ancestor in reversed(catalog.ancestors(record_id)):  # nearest first
        if any(not c.mapped_from for c in claims.get(ancestor.id, ())):
            return Verdict("silent", via=ancestor.id, coarser=True, record=record_id)
    return Verdict("silent", record=record_id)


def baseline_named(element: str) -> str:
    """A NISTIR 8259A/8259B element in words: "NISTIR 8259A's Roll back updates (8259A-SU.3)"."""
    from securable.agency.requirements.priority import BASELINES

    for baseline in BASELINES:
        record = api.load(baseline).get(element)
        if record is not None:
            return f"NISTIR {baseline.split('-')[1].upper()}'s “{record.title}” ({element})"
    return element


def named(record_id: str) -> str:
    """A record in words: "DC-2 (Ability to change ...)", shortened to keep the note readable."""
    record = api.load(CAPABILITIES).get(record_id)
    words = (record.text or record.title) if record else ""
    words = words if len(words) <= 80 else words[:79].rstrip() + "…"
    return f"{record_id} ({words.rstrip('.')})" if words else record_id


@dataclass(frozen=True, slots=True)
class _Cover:
    """What a vendor's claims for the parts of a record add up to."""

    reach: int | None  # as :func:`_reach` has it, for the parts together; None: not all met in full
    below: tuple[Claim, ...]  # the claims for its parts, as far down as parts go
    claimed: tuple[str, ...]  # the parts, at any depth, that are claimed by name, in catalog order
    through: tuple[tuple[str, int], ...]  # when the parts meet it in full: each part and its reach
    every_part: bool  # every part is claimed, by name or through parts of its own


def _cover(record_id: str, claims: dict[str, list[Claim]]) -> _Cover:
    """A record is met when all its parts are met, and partly when some are (docs/profiles.md rule 4,
    as ``securable check`` counts it): each part by a claim for it or, in turn, by its own parts."""
    parts = _parts(record_id)
    if not parts:
        return _NO_PARTS
    covers = [_cover(part, claims) for part in parts]
    reaches = [
        _nearer(_reach(claims.get(part, ())), cover.reach) for part, cover in zip(parts, covers, strict=True)
    ]
    complete = all(r is not None for r in reaches)
    below: list[Claim] = []
    claimed: list[str] = []
    for part, cover in zip(parts, covers, strict=True):
        below += [*claims.get(part, ()), *cover.below]
        claimed += [part] if part in claims else []
        claimed += cover.claimed
    return _Cover(
        # the farthest means any part needs: the means nearer the device do not meet it without it
        max(r for r in reaches if r is not None) if complete else None,
        tuple(below),
        tuple(claimed),
        tuple((part, r) for part, r in zip(parts, reaches, strict=True) if r is not None) if complete else (),
        all(part in claims or cover.below for part, cover in zip(parts, covers, strict=True)),
    )


_NO_PARTS = _Cover(None, (), (), (), False)


@cache
def _parts(record_id: str) -> tuple[str, ...]:
    """The children that count towards a record, as ``securable check`` has them: NIST's examples
    illustrate an action without being part of it, so a claim for one says nothing about the action."""
    catalog = api.load(CAPABILITIES)
    return tuple(c.id for c in catalog.children(record_id) if c.props.get("example") != "yes")


def _reach(claims: Sequence[Claim]) -> int | None:
    """The place, in NISTIR 8259's order of means (:data:`ROLES`), of the nearest claim by the vendor's
    side that is fully in place; None when there is none. A claim the customer alone carries never
    meets a requirement: it is what the agency has to ask about."""
    return min((ROLES.index(c.component.role) for c in claims if c.provider and not c.partial), default=None)


def _nearer(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _customer(claims: Sequence[Claim]) -> bool:
    return any(c.customer for c in claims)


def _totals(rows: Sequence[Row], vendors: int) -> tuple[Totals, ...]:
    catalog = api.load(CAPABILITIES)
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(_root(row.item.record.id), []).append(row)
    out = []
    for root, members in grouped.items():
        record = catalog.get(root)
        per_vendor = tuple(
            {s: sum(1 for r in members if r.verdicts[i].status == s) for s in STATUSES}
            for i in range(vendors)
        )
        title = record.label if record else root
        out.append(Totals(root, title, members[0].item.section, len(members), per_vendor))
    return tuple(out)


def _root(record_id: str) -> str:
    return record_id.split("-", 1)[0]


def group_of(record_id: str) -> api.Record:
    """The sub-capability a requirement belongs to (or the record itself, if it is one)."""
    catalog = api.load(CAPABILITIES)
    record = catalog.get(record_id)
    assert record is not None  # requirements come from the catalog
    chain = [*catalog.ancestors(record_id), record]
    return next((r for r in chain if r.kind == "sub-capability"), record)


# ---- questions ------------------------------------------------------------------------------------


def _questions(
    rows: Sequence[Row], evaluated: Sequence[Vendor], failed: Sequence[Vendor]
) -> tuple[Question, ...]:
    out = [_error_question(v) for v in failed]
    for i, vendor in enumerate(evaluated):
        # One question per sub-capability and status keeps the list short enough to send; a silence
        # under a coarser claim and a verdict resting on SP 800-53 controls ask something else.
        open_items: dict[tuple[str, str, str], list[str]] = {}
        for row in rows:
            found = row.verdicts[i]
            if found.status in OPEN:
                flavor = "coarser" if found.coarser else "mapped" if found.mapped else ""
                group = group_of(row.item.record.id)
                open_items.setdefault((group.id, found.status, flavor), []).append(row.item.record.id)
        order = {s: n for n, s in enumerate(OPEN)}
        for (group_id, status, flavor), ids in sorted(open_items.items(), key=lambda kv: order[kv[0][1]]):
            group = group_of(group_id)
            heading = f"{group.id} {group.label}"
            text = _ask(vendor, status, heading, ids, flavor)
            out.append(Question(vendor.name, status, group.id, group.label, tuple(ids), text))
    return tuple(out)


def _ask(vendor: Vendor, status: str, group: str, ids: Sequence[str], flavor: str = "") -> str:
    what = vendor.product or vendor.name
    listed = _listing(ids)
    title = group.rstrip(".")
    if flavor == "coarser":
        return (
            f"{title}: your component definition claims what contains {listed} as a whole, without "
            f"naming {'it' if len(ids) == 1 else 'them'}. Which of {'it' if len(ids) == 1 else 'them'} "
            "does the product meet, and by which means?"
        )
    if flavor == "mapped":
        return (
            f"{title}: your component definition claims SP 800-53 controls that NIST maps to {listed}, "
            f"not {'it' if len(ids) == 1 else 'them'}. How does {what} meet "
            f"{'it' if len(ids) == 1 else 'them'}: device, related device, service or non-technical support?"
        )
    if status == "silent":
        return (
            f"{title}: how does {what} meet {listed}? Your component definition does not mention "
            f"{'it' if len(ids) == 1 else 'them'}. Name the means (device, related device, service or "
            "non-technical support) or say that it is not provided."
        )
    if status == "partial":
        return (
            f"{title}: your component definition meets {listed} only in part. What is missing, what "
            "would the agency have to add, and when will it be complete?"
        )
    return (
        f"{title}: your component definition leaves {listed} to the customer. What exactly would the "
        "agency have to do, and could the device, a related device or your services do it instead?"
    )


def _error_question(vendor: Vendor) -> Question:
    error = vendor.error
    assert error is not None
    if error.kind == "verification":
        text = (
            "Your package does not verify against the public key we hold. Send the package again as "
            "published, and confirm the key's fingerprint with us by a separate channel."
        )
    elif error.kind == "unknown-controls":
        text = (
            "Your component definition names elements the SP 800-213A catalog does not have. Which "
            "catalog and version was it written for? Send one written against SP 800-213A."
        )
    else:
        text = (
            f"We could not use your component definition: {error.message.rstrip('.')}. Send an OSCAL "
            "1.2.1 component definition that passes `securable oscal validate`, or the package made "
            "by `securable package`."
        )
    return Question(vendor.name, "error", "", "", (), text)


def _listing(ids: Sequence[str]) -> str:
    if len(ids) == 1:
        return ids[0]
    return f"{', '.join(ids[:-1])} and {ids[-1]}"
