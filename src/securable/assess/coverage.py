"""Coverage: which requirements of a baseline or profile the product's means meet, and how.

Each requirement (see :mod:`securable.assess.requirements` for which records count) gets one status:

``met-by-device``       means of kind ``device`` alone meet it in full
``met-by-other-means``  met in full once related devices, services, non-technical means or the
                        customer are counted too (the report lists which means, of which kind)
``partial``             something is there, not all of it (see *partial* below)
``gap``                 no means cites it or anything that counts for it
``not-applicable``      the product declares it (``not_applicable_elements``) or the profile
                        excludes it, with the reason
``customer-action``     a Federal Profile *agency* action: the customer's to take, never a gap

How a means' ``catalog`` citations count for a record R:

* **citing R** meets it in full (a means with ``status: partial`` only partly);
* **the same requirement in another catalog counts as R**: a baseline record with exactly one
  ``realized-by`` target and that target, when neither is a top-level capability (``8259A-DI.2`` and
  ``DI-4``; not ``8259A-SU.3`` and the whole ``SU`` capability, nor ``8259A-DI`` and ``DI``); and
  records joined by a ``same-as`` link: a Federal Profile technical element and the SP 800-213A
  element with the same text (NIST carried most of them over word for word; the catalog build finds
  them);
* **a baseline record is met when any record that realizes it is met** (``realized-by`` lists
  alternatives: ``8259A-SU.4`` is realized by ``LAI-9.4`` or ``SU-1.3``), except that records listed
  together with one of their ancestors are parts of it, all needed (``8259B-DOC`` is realized by
  ``DOC`` made of ``DOC-1`` to ``DOC-4``, not by any one of them); a top-level capability that
  realizes a record is met by its parts, and citing it alone is partial; citing a baseline record
  with several realizations counts as partial for each of them, since it does not say which, and so
  does citing one realized by a whole capability for each sub-capability of it (``8259A-DC``: DC-1
  to DC-5), but for nothing inside them;
* **R is met when all its parts are met**: the records directly inside it (the elements of a
  sub-capability, the sub-elements of an element, the sub-actions of an action; NIST's examples
  excepted); some parts met is partial;
* **citing what contains R** (its capability, sub-capability or topic) is partial for R: it claims
  the area without naming the element.

A declaration of not applicable on a record covers the records inside it and the equivalents of
each of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from securable.assess.areas import AREAS
from securable.assess.requirements import AGENCY, Requirement, Target
from securable.catalog import Record, find, linked_ids, load
from securable.product.model import Means, Product

FULL, PARTIAL, NONE = 2, 1, 0
FEDERAL = "federal-profile-2020"
_CATALOG_213A = "sp800-213a"
_BASELINE_CATALOGS = frozenset({"nistir-8259a", "nistir-8259b"})


class Status(StrEnum):
    MET_BY_DEVICE = "met-by-device"
    MET_BY_OTHER_MEANS = "met-by-other-means"
    PARTIAL = "partial"
    GAP = "gap"
    NOT_APPLICABLE = "not-applicable"
    CUSTOMER_ACTION = "customer-action"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


@dataclass(frozen=True, slots=True)
class MeansUse:
    """One means that counts for a requirement."""

    means: str  # the means' id
    index: int  # its place in ``product.means``
    kind: str | None
    coverage: str  # "full" or "partial": what it contributes
    via: tuple[str, ...]  # the catalog references it cites that count here
    notes: tuple[str, ...] = ()  # why only partly, e.g. "cites sp800-213a:DOC-1, which contains it"


@dataclass(frozen=True, slots=True)
class Result:
    requirement: Requirement
    status: Status
    means: tuple[MeansUse, ...] = ()
    reason: str | None = None  # why not applicable, or what to know about a gap


@dataclass(frozen=True, slots=True)
class Group:
    """Counts per status for one capability or one NISTIR 8228 area."""

    id: str
    title: str
    counts: Mapping[str, int]
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    target: Target
    results: tuple[Result, ...]
    capabilities: tuple[Group, ...] = field(default=())
    areas: tuple[Group, ...] = field(default=())
    totals: Mapping[str, int] = field(default_factory=dict)


def assess_coverage(product: Product, target: Target) -> Coverage:
    """The status of every requirement of ``target`` for ``product``, with the sums."""
    return _assess(target, _Evidence(product, federal=_plan(target).federal))


def assess_coverages(product: Product, targets: Sequence[Target]) -> tuple[Coverage, ...]:
    """:func:`assess_coverage` for each of ``targets``, reading the product's citations once."""
    evidence: dict[bool, _Evidence] = {}
    coverages = []
    for target in targets:
        federal = _plan(target).federal
        if federal not in evidence:
            evidence[federal] = _Evidence(product, federal=federal)
        coverages.append(_assess(target, evidence[federal]))
    return tuple(coverages)


def _assess(target: Target, evidence: _Evidence) -> Coverage:
    plan = _plan(target)
    results = tuple(evidence.result(r) for r in target.requirements)
    capabilities = tuple(
        Group(capability, title, _count([results[i] for i in members]), areas)
        for capability, title, members, areas in plan.capabilities
    )
    by_area = tuple(
        Group(area, title, _count([results[i] for i in members])) for area, title, members in plan.areas
    )
    return Coverage(target, results, capabilities, by_area, _count(results))


@dataclass(frozen=True, slots=True)
class _Plan:
    """What depends on the target alone, worked out once per target (see :func:`_plan`)."""

    federal: bool  # whether any requirement is, or is satisfied by, a Federal Profile record
    # per capability, in order of first appearance: its ID, title, requirement indices and areas
    capabilities: tuple[tuple[str, str, tuple[int, ...], tuple[str, ...]], ...]
    areas: tuple[tuple[str, str, tuple[int, ...]], ...]  # per NISTIR 8228 area: requirement indices


_PLANS: dict[int, tuple[Target, _Plan]] = {}  # by the target's identity; the target is kept alive


def _plan(target: Target) -> _Plan:
    known = _PLANS.get(id(target))
    if known is not None and known[0] is target:
        return known[1]
    requirements = target.requirements
    order: dict[str, list[int]] = {}
    for index, requirement in enumerate(requirements):
        order.setdefault(requirement.capability, []).append(index)
    capabilities = tuple(
        (
            capability,
            requirements[members[0]].capability_title,
            tuple(members),
            tuple(a for a in AREAS if any(a in requirements[i].areas for i in members)),
        )
        for capability, members in order.items()
    )
    # A requirement counts in every area its capability supports, so the areas' sums can exceed
    # the number of requirements; requirements in no area (a profile's own) count in none.
    areas = tuple(
        (area, title, tuple(i for i, r in enumerate(requirements) if area in r.areas))
        for area, title in AREAS.items()
    )
    # A profile's own requirement met by Federal Profile records needs their twins as much as a
    # Federal Profile requirement does.
    federal = any(ref.startswith(FEDERAL + ":") for r in requirements for ref in (r.id, *r.satisfied_by))
    plan = _Plan(federal, capabilities, areas)
    if len(_PLANS) >= 64:  # profiles read in a long-running process: keep the cache small
        _PLANS.clear()
    _PLANS[id(target)] = (target, plan)
    return plan


def _count(results: Sequence[Result]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for result in results:
        counts[result.status.value] += 1
    counts["total"] = len(results)
    return counts


# --- evidence: what the product's means cite, expanded along links ---------------------------------


@dataclass(slots=True)
class _Hit:
    index: int  # means index
    level: int
    ref: str  # the citation as the product wrote it
    note: str = ""
    container: str = ""  # for a citation of what contains the record: that record


# Lock-out elements a means' own `lockout` answer denies (rule MNS-004 names the citation): a fixed
# lock-out locks, but nobody can configure it, so configurable lock-out (8259A-LAI.3, LAI-2.1 and
# its time period LAI-2.1.1) is met only partly; no lock-out meets none of these, nor LAI-2.1.2.
CONFIGURABLE_LOCKOUT = ("nistir-8259a:8259A-LAI.3", "sp800-213a:LAI-2.1", "sp800-213a:LAI-2.1.1")
LOCKOUT_DENIES: dict[str, tuple[tuple[str, ...], int]] = {
    "fixed": (CONFIGURABLE_LOCKOUT, PARTIAL),
    "none": ((*CONFIGURABLE_LOCKOUT, "sp800-213a:LAI-2.1.2"), NONE),
}


def _lockout_cap(lockout: str, ref: str, cap: int) -> int:
    """How far citing ``ref`` can count for a means with this lock-out answer."""
    denied, most = LOCKOUT_DENIES.get(lockout, ((), cap))
    return min(cap, most) if ref in denied else cap


def lockout_limit(means: Means, ref: str) -> int:
    """FULL, PARTIAL or NONE: how far the means' own lock-out answer lets its citation ``ref`` count
    (the customer package claims no more than the assessment credits)."""
    return FULL if means.lockout is None else _lockout_cap(means.lockout, ref, FULL)


# Records a means' own answers rule out, however its citations reach them: a means that cannot
# revert updates does not roll them back (8259A-SU.3 is realized by the whole SU capability, so any SU
# citation counted partly for it), and one whose credentials ship as a default every device shares
# and customers need not change does not restrict interface access to authorized entities (8259A-LAI.2).
ROLLBACK = "nistir-8259a:8259A-SU.3"
AUTHORIZED_ACCESS = "nistir-8259a:8259A-LAI.2"


def answer_limits(means: Means) -> dict[str, tuple[int, str]]:
    """Record -> how far this means can count for it (NONE or PARTIAL) and why, from its answers."""
    limits: dict[str, tuple[int, str]] = {}
    reversion = means.update_reversion
    if reversion in ("none", "anti-rollback"):
        limits[ROLLBACK] = (
            NONE,
            f"the means' update_reversion is {reversion}: it does not roll updates back",
        )
    if means.shipped_credentials == "shared":
        limits[AUTHORIZED_ACCESS] = (
            PARTIAL,
            "the means ships a shared default password customers need not change",
        )
    return limits


class _Evidence:
    """The citations of one product, and the coverage of any record under a filter of means."""

    def __init__(self, product: Product, *, federal: bool) -> None:
        self.means: tuple[Means, ...] = tuple(product.means or ())
        self.cited: dict[str, list[_Hit]] = {}  # record -> citations that name it (or its equal)
        self.implied: dict[str, list[_Hit]] = {}  # record -> partial evidence from a coarse citation
        cited, implied = self.cited, self.implied
        for index, means in enumerate(self.means):
            cap = FULL if means.status != "partial" else PARTIAL
            note = "" if cap == FULL else "the means is only partly in place"
            for ref in means.catalog or ():
                ref_cap, ref_note = cap, note
                if means.lockout is not None:
                    ref_cap = _lockout_cap(means.lockout, ref, cap)
                    if ref_cap == NONE:
                        continue
                    if ref_cap < cap:
                        ref_note = f"the means' lock-out is {means.lockout}, not configurable as {ref} asks"
                names, shared_by = _expansion(ref, federal)
                for same in names:
                    hits = cited.get(same)
                    if hits is None:
                        cited[same] = [_Hit(index, ref_cap, ref, ref_note)]
                    else:
                        hits.append(_Hit(index, ref_cap, ref, ref_note))
                for targets, shared in shared_by:
                    for target in targets:
                        implied.setdefault(target, []).append(_Hit(index, PARTIAL, ref, shared))
        # Only records on the way to a citation can be covered by their parts; the others are skipped.
        touched: set[str] = set()
        for qid in cited:
            touched.update(_above(qid))
        for qid in implied:
            touched.update(_above(qid))
        self.touched = touched
        self.declared: dict[str, str] = {}
        for ref, reason in _declarations(product).items():
            for qid in _resolve(ref):
                for same in _declared_with(qid, federal):
                    self.declared.setdefault(same, reason)
        self.device = frozenset(i for i, m in enumerate(self.means) if m.kind == "device")
        # record -> means index -> (cap, note): what the means' own answers deny (see answer_limits)
        self.limits: dict[str, dict[int, tuple[int, str]]] = {}
        for index, means in enumerate(self.means):
            for qid, limit in answer_limits(means).items():
                for same in (qid, *_equivalents_cached(qid, federal)):
                    self.limits.setdefault(same, {})[index] = limit
        self._passes: dict[frozenset[int] | None, _Pass] = {}  # shared by all requirements

    def _pass(self, allowed: frozenset[int] | None) -> _Pass:
        found = self._passes.get(allowed)
        if found is None:
            found = self._passes[allowed] = _Pass(self, allowed)
        return found

    def result(self, requirement: Requirement) -> Result:
        if requirement.excluded is not None:
            return Result(requirement, Status.NOT_APPLICABLE, reason=requirement.excluded)
        declared = self._declared(requirement)
        if declared is not None:
            return Result(requirement, Status.NOT_APPLICABLE, reason=declared)
        level, hits = self._pass(None).requirement(requirement)
        uses = _uses(self.means, hits)
        if requirement.party == AGENCY:
            return Result(
                requirement, Status.CUSTOMER_ACTION, uses, "an agency action: the customer takes it"
            )
        if level == FULL:
            device_level, device_hits = self._pass(self.device).requirement(requirement)
            if device_level == FULL:
                return Result(requirement, Status.MET_BY_DEVICE, _uses(self.means, device_hits))
            return Result(requirement, Status.MET_BY_OTHER_MEANS, uses)
        if level == PARTIAL:
            return Result(requirement, Status.PARTIAL, uses)
        reason = None
        if not _known(requirement.id) and not requirement.satisfied_by:
            reason = "the profile names no catalog record that satisfies it: check it by hand"
        return Result(requirement, Status.GAP, reason=reason)

    def _declared(self, requirement: Requirement) -> str | None:
        """The product's reason when it declares the requirement, or a record containing it, not
        applicable."""
        if not self.declared or not _known(requirement.id):
            return None
        node = _node(requirement.id)
        for qid in (node.qid, *reversed(node.ancestors)):
            if qid in self.declared:
                return self.declared[qid]
        return None


_KNOWN_CATALOGS = frozenset({"nistir-8259a", "nistir-8259b", _CATALOG_213A, FEDERAL})


@cache
def _known(qid: str) -> bool:
    """Whether ``qid`` is a record of a shipped catalog (not one a profile adds)."""
    return qid.partition(":")[0] in _KNOWN_CATALOGS


@cache
def _expansion(ref: str, federal: bool) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], str], ...]]:
    """What citing ``ref`` names: the records it counts for in full (each resolved record and its
    equals, in order, repeats kept), and per resolved baseline record that names no one record
    (see :func:`_shared`), the records it is partial evidence for, with the note saying why."""
    names: list[str] = []
    shared_by: list[tuple[tuple[str, ...], str]] = []
    for qid in _resolve(ref):
        names += (qid, *_equivalents_cached(qid, federal))
        node = _node(qid)
        if node.catalog in _BASELINE_CATALOGS:
            shared = _shared(ref, node)
            if shared is not None:
                shared_by.append(shared)
    return tuple(names), tuple(shared_by)


def _shared(ref: str, node: _Node) -> tuple[tuple[str, ...], str] | None:
    """The records a citation ``ref`` of baseline record ``node`` is partial evidence for, and why;
    None when it names one requirement-level record (an equal, counted in full) or none.

    A whole capability is its sub-capabilities together (as ``securable package`` lists it, and as
    ``securable evaluate`` reads that listing), so ``8259A-DC``, realized by all of ``DC``, counts
    partly for each of ``DC-1`` to ``DC-5``: it supports each, without saying which one it meets. It
    says nothing about the elements inside them, which the implied evidence never reaches.
    """
    realizers = node.realizers
    if len(realizers) > 1:
        return realizers, f"cites {ref}, which {len(realizers)} records realize together"
    if realizers and _node(realizers[0]).top:
        capability = _node(realizers[0])
        return capability.parts, (
            f"cites {ref}, which NIST realizes by the whole {capability.qid} capability, without "
            "saying which of its sub-capabilities it meets"
        )
    return None


class _Pass:
    """Coverage of records counting only the means in ``allowed`` (None: all); memoised per record."""

    __slots__ = ("allowed", "cited", "evidence", "implied", "memo", "touched")

    def __init__(self, evidence: _Evidence, allowed: frozenset[int] | None) -> None:
        self.evidence = evidence
        self.allowed = allowed
        self.cited = evidence.cited
        self.implied = evidence.implied
        self.touched = evidence.touched
        # (qid, whole) -> coverage; the hit lists kept here are never changed afterwards
        self.memo: dict[tuple[str, bool], tuple[int, list[_Hit]]] = {}

    def requirement(self, requirement: Requirement) -> tuple[int, list[_Hit]]:
        if requirement.satisfied_by or not _known(requirement.id):
            # added by a profile: any of the records it names meets it (none named: nothing does)
            return self._any([self.record(ref) for ref in requirement.satisfied_by])
        return self.record(requirement.id)

    def record(self, qid: str, *, whole: bool = True) -> tuple[int, list[_Hit]]:
        """The coverage of ``qid``; ``whole=False``: citing the record itself counts only partly
        (a top-level capability that realizes another record is met by its parts)."""
        key = (qid, whole)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._cover(qid, whole)
        return found

    def _hits(self, found: list[_Hit] | None) -> list[_Hit]:
        if not found:
            return []
        allowed = self.allowed
        return list(found) if allowed is None else [h for h in found if h.index in allowed]

    def _cover(self, qid: str, whole: bool) -> tuple[int, list[_Hit]]:
        node = _node(qid)
        cited = self.cited
        found = cited.get(qid)
        hits = self._hits(found) if found else []
        if hits and not whole:
            hits = [_Hit(h.index, PARTIAL, h.ref, _WHOLE_CAPABILITY.format(h.ref)) for h in hits]
        found = self.implied.get(qid)
        if found:
            hits += self._hits(found)
        level = NONE
        for hit in hits:
            level = max(level, hit.level)
        if node.alternatives:
            realizer = self._realizer
            sub_level, sub_hits = self._any([realizer(t, listed) for t, listed in node.alternatives])
            level = max(level, sub_level)
            hits += sub_hits
        if node.parts and qid in self.touched:
            touched, record = self.touched, self.record
            parts_level, parts_hits = self._all(
                [record(p) for p in node.parts if p in touched], len(node.parts)
            )
            level = max(level, parts_level)
            hits += parts_hits
        for ancestor in node.ancestors:
            found = cited.get(ancestor)
            if not found:
                continue
            for hit in self._hits(found):
                hits.append(
                    _Hit(hit.index, PARTIAL, hit.ref, f"cites {hit.ref}, which contains it", ancestor)
                )
                level = max(level, PARTIAL)
        limits = self.evidence.limits.get(qid)
        if limits and hits:
            hits = [_limited(h, limits.get(h.index)) for h in hits]
            level = max((h.level for h in hits), default=NONE)
        return level, hits

    def _realizer(self, qid: str, listed: tuple[str, ...]) -> tuple[int, list[_Hit]]:
        """One alternative of a record's realizers: ``qid``, or all of ``listed`` (the parts of
        ``qid`` that the same link list names). A top-level capability cited alone is partial."""
        node = _node(qid)
        level, hits = self.record(qid, whole=not node.top)
        if listed:
            record = self.record
            parts_level, parts_hits = self._all([record(p) for p in listed], len(listed))
            level = max(level, parts_level)
            # a citation of qid (or above) is counted above already, not again as containing its parts
            above = _above(qid)
            hits = hits + [h for h in parts_hits if h.container not in above]
        return level, hits

    @staticmethod
    def _any(covered: list[tuple[int, list[_Hit]]]) -> tuple[int, list[_Hit]]:
        if len(covered) == 1:
            level, hits = covered[0]
            return level, list(hits)
        level = max((lv for lv, _ in covered), default=NONE)
        return level, [h for _, sub in covered for h in sub]

    @staticmethod
    def _all(covered: list[tuple[int, list[_Hit]]], needed: int) -> tuple[int, list[_Hit]]:
        """Parts: full when all ``needed`` are covered in full, partial when any is covered at all."""
        if len(covered) == needed and all(lv == FULL for lv, _ in covered):
            level = FULL
        else:
            level = PARTIAL if any(lv > NONE for lv, _ in covered) else NONE
        return level, [h if h.level <= level else _capped(h, level) for _, sub in covered for h in sub]


_WHOLE_CAPABILITY = "cites {}, a whole capability: cite the elements that realize it"


def _limited(hit: _Hit, limit: tuple[int, str] | None) -> _Hit:
    if limit is None or hit.level <= limit[0]:
        return hit
    return _Hit(hit.index, limit[0], hit.ref, limit[1], hit.container)


def _capped(hit: _Hit, level: int) -> _Hit:
    return hit if hit.level <= level else _Hit(hit.index, level, hit.ref, hit.note, hit.container)


def _uses(means: Sequence[Means], hits: list[_Hit]) -> tuple[MeansUse, ...]:
    """One entry per means, in file order: its best contribution and every reference that counts."""
    if not hits:
        return ()
    levels: dict[int, int] = {}
    refs: dict[int, list[str]] = {}
    notes: dict[int, list[str]] = {}
    for hit in hits:
        index = hit.index
        if index in levels:
            levels[index] = max(levels[index], hit.level)
            these = refs[index]
            if hit.ref not in these:
                these.append(hit.ref)
            if hit.note and hit.note not in notes[index]:
                notes[index].append(hit.note)
        else:
            levels[index] = hit.level
            refs[index] = [hit.ref]
            notes[index] = [hit.note] if hit.note else []
    uses = []
    for index in sorted(levels):
        level = levels[index]
        if level == NONE:
            continue
        m = means[index]
        notes_shown = tuple(notes[index]) if level == PARTIAL else ()
        coverage = "full" if level == FULL else "partial"
        uses.append(MeansUse(m.id, index, m.kind, coverage, tuple(sorted(refs[index])), notes_shown))
    return tuple(uses)


def _declarations(product: Product) -> Mapping[str, str]:
    # getattr: the field is optional in the model, and older models lack it
    declared: Mapping[str, str] | None = getattr(product, "not_applicable_elements", None)
    return declared or {}


# --- the catalogs as a graph, worked out once per process ----------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    qid: str
    catalog: str
    realizers: tuple[str, ...]  # what realizes it (baseline records), as NIST lists them
    # the realizers as alternatives, any one of which meets it: a record, with those of its own parts
    # that the list also names (all of them needed: DOC with DOC-1 to DOC-4 realizes 8259B-DOC)
    alternatives: tuple[tuple[str, tuple[str, ...]], ...]
    parts: tuple[str, ...]  # children that count towards it (NIST's examples are not requirements)
    ancestors: tuple[str, ...]  # from the root down
    top: bool  # a top-level record (capability, area): it claims an area, not a requirement


_MISSING = _Node("", "", (), (), (), (), False)


@cache
def _above(qid: str) -> frozenset[str]:
    """``qid`` and the records that contain it."""
    return frozenset((qid, *_node(qid).ancestors))


@cache
def _resolve(ref: str) -> tuple[str, ...]:
    return tuple(r.qualified_id for r in find(ref))


@cache
def _node(qid: str) -> _Node:
    found = find(qid)
    if not found:
        return _MISSING
    record = found[0]
    cat = load(record.catalog)
    parts = tuple(c.qualified_id for c in cat.children(record.id) if c.props.get("example") != "yes")
    ancestors = tuple(a.qualified_id for a in cat.ancestors(record.id))
    realizers = _realizers(record)
    return _Node(
        record.qualified_id,
        record.catalog,
        realizers,
        _alternatives(realizers),
        parts,
        ancestors,
        not ancestors,
    )


def _realizers(record: Record) -> tuple[str, ...]:
    return tuple(link.target for link in record.links if link.rel == "realized-by")


def _alternatives(targets: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Group a ``realized-by`` list: a target inside another listed target is a part of it, not an
    alternative (NIST lists ``DOC`` and ``DOC-1`` to ``DOC-4`` for 8259B-DOC)."""
    listed = set(targets)
    # ancestors run from the root down, so the first one listed is the outermost
    owner = {t: next((a for a in _node(t).ancestors if a in listed), t) for t in targets}
    return tuple((t, tuple(p for p in targets if p != t and owner[p] == t)) for t in targets if owner[t] == t)


@cache
def _equivalents_cached(qid: str, federal: bool) -> tuple[str, ...]:
    """Every record stating the same requirement as ``qid``: the equality links followed as far as
    they go, so a baseline element equal to an SP 800-213A element also equals that element's
    Federal Profile twin, and both SP 800-213A elements one Federal Profile text was carried into
    are equal."""
    found = dict.fromkeys(_direct_equivalents(qid, federal))
    pending = list(found)
    while pending:
        for other in _direct_equivalents(pending.pop(), federal):
            if other != qid and other not in found:
                found[other] = None
                pending.append(other)
    return tuple(found)


@cache
def _direct_equivalents(qid: str, federal: bool) -> tuple[str, ...]:
    record = find(qid)[0]
    same: list[str] = []
    # one-to-one links state the same requirement only between requirement-level records: a top-level
    # capability claims an area (8259A-SU.3, roll back, is realized by the whole SU capability)
    top = _node(qid).top
    realizers = _realizers(record)
    if len(realizers) == 1 and not top and not _node(realizers[0]).top:
        same.append(realizers[0])
    if record.catalog == _CATALOG_213A and not top:
        # IDs first: catalog.linked() would also open the catalogs of the record's own same-as
        # links, which ``federal`` may rule out
        for rel, source in linked_ids(record):
            if rel != "realizes":
                continue
            for other in find(source):
                if len(_realizers(other)) == 1 and not _node(other.qualified_id).top:
                    same.append(other.qualified_id)
    prefix = FEDERAL + ":"
    same.extend(
        link.target
        for link in record.links
        if link.rel == "same-as" and (federal or not link.target.startswith(prefix))
    )
    return tuple(s for s in same if s != qid)


@cache
def _declared_with(qid: str, federal: bool) -> tuple[str, ...]:
    """What a declaration of not applicable on ``qid`` names: ``qid`` (which covers the records inside
    it) and the equivalents of ``qid`` and of every record inside it."""
    found: dict[str, None] = {qid: None}
    inside = [qid]
    for record in find(qid)[:1]:
        inside += [r.qualified_id for r in load(record.catalog).descendants(record.id)]
    for record_id in inside:
        found.update(dict.fromkeys(_equivalents_cached(record_id, federal)))
    return tuple(found)


def equivalents(record: Record, *, federal: bool = True) -> tuple[str, ...]:
    """Records in other catalogs that state the same requirement as ``record`` (qualified IDs).

    ``federal=False`` leaves out the Federal Profile twins (``same-as`` links) of SP 800-213A
    elements: counting them would open that catalog, which assessments that involve no Federal
    Profile record do not need.
    """
    return _equivalents_cached(record.qualified_id, federal)
