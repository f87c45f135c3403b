"""Coverage as findings: the gaps of one capability (or profile section) of the chosen baselines or
profiles become one finding that lists them, and so do its partly met requirements, so ``--fail-on``
and SARIF treat them like any rule's finding.

Only ``securable check`` knows which baselines and profiles apply, so these two rules live here
rather than in :mod:`securable.assess.rules` (which looks at the product alone). They are documented
in ``docs/profiles.md`` (anchors ``cov-001`` and ``cov-002``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from securable.assess.coverage import Coverage, Result, Status
from securable.assess.findings import Citation, Finding, Severity
from securable.product.model import Product

GAP_RULE = "COV-001"
PARTIAL_RULE = "COV-002"


@dataclass(frozen=True, slots=True)
class CoverageRule:
    id: str
    title: str
    severity: Severity
    fires_when: str
    rationale: str


COVERAGE_RULES = (
    CoverageRule(
        GAP_RULE,
        "Requirements not met",
        Severity.MEDIUM,
        "A capability or profile section of a chosen baseline or profile has gaps: requirements that "
        "no means cites, nor anything that counts for them, and that are not declared not applicable "
        "(one finding per capability lists them).",
        "NISTIR 8259 3.3 starts from the core baseline and profiles it for the sector and use case: each "
        "requirement is either met by some means or decided not to apply. Medium, not high: a gap "
        "may be a deliberate choice that is not written down yet.",
    ),
    CoverageRule(
        PARTIAL_RULE,
        "Requirements only partly met",
        Severity.LOW,
        "A capability or profile section has partly met requirements: only some of their parts are "
        "cited, only what contains them is cited, or the means citing them has `status: partial` (one "
        "finding per capability lists them).",
        "Something is in place, but the product description does not show the whole requirement met.",
    ),
)


def coverage_findings(product: Product, coverages: Sequence[Coverage]) -> list[Finding]:
    """One finding per capability (or profile section) with gaps, listing them, then one per
    capability with partly met requirements; a requirement in several targets counts once, under the
    first target that has it.

    Grouped, not one per requirement: a Federal Profile run would otherwise print two hundred
    findings and bury the rule findings that say what is really wrong.
    """
    seen: set[str] = set()
    # capability ID -> (title, IDs of its requirements, gaps, partly met), in target and catalog order
    groups: dict[str, tuple[str, set[str], list[Result], list[Result]]] = {}
    for coverage in coverages:
        for result in coverage.results:
            requirement = result.requirement
            group = groups.setdefault(requirement.capability, (requirement.capability_title, set(), [], []))
            group[1].add(requirement.id)
            if requirement.id in seen:
                continue
            seen.add(requirement.id)
            if result.status is Status.GAP:
                group[2].append(result)
            elif result.status is Status.PARTIAL:
                group[3].append(result)
    means_path: tuple[str | int, ...] = ("means",) if product.means else ()
    gaps = [
        _gap_finding(capability, title, len(every), gaps, means_path)
        for capability, (title, every, gaps, _) in groups.items()
        if gaps
    ]
    partial = [
        _partial_finding(capability, title, len(every), parts, means_path)
        for capability, (title, every, _, parts) in groups.items()
        if parts
    ]
    return gaps + partial


def _short(requirement_id: str, capability: str) -> str:
    """The ID without its catalog prefix when the capability names it already."""
    prefix = capability.partition(":")[0] + ":"
    return requirement_id.removeprefix(prefix) if ":" in capability else requirement_id


def _listed(results: Sequence[Result], capability: str, notes: dict[str, list[str]]) -> str:
    return ", ".join(
        _short(r.requirement.id, capability)
        + (f" ({'; '.join(notes[r.requirement.id])})" if notes.get(r.requirement.id) else "")
        for r in results
    )


def _gap_finding(
    capability: str, title: str, total: int, gaps: Sequence[Result], means_path: tuple[str | int, ...]
) -> Finding:
    notes = {r.requirement.id: [r.reason] for r in gaps if r.reason}
    ids = tuple(r.requirement.id for r in gaps)
    count = f"{len(gaps)} of {total} requirements" if total > 1 else "1 requirement"
    return Finding(
        GAP_RULE,
        Severity.MEDIUM,
        f"{capability} ({title}): {count} not met by any means: {_listed(gaps, capability, notes)}",
        "add a means that provides each and list it (or an element that realizes it) in the means' "
        "`catalog`, or declare it in `not_applicable_elements` with the reason",
        Citation("3.3", ("Q3.3-1",), ids),
        means_path,
    )


def _partial_finding(
    capability: str, title: str, total: int, parts: Sequence[Result], means_path: tuple[str | int, ...]
) -> Finding:
    notes = {r.requirement.id: sorted({n for use in r.means for n in use.notes}) for r in parts}
    places = list(dict.fromkeys(("means", use.index) for r in parts for use in r.means))
    ids = tuple(r.requirement.id for r in parts)
    count = f"{len(parts)} of {total} requirements" if total > 1 else "1 requirement"
    return Finding(
        PARTIAL_RULE,
        Severity.LOW,
        f"{capability} ({title}): {count} only partly met: {_listed(parts, capability, notes)}",
        "cite each element itself (or all its parts) in the means that provides it, or set the means' "
        "status to full once it is complete",
        Citation("3.3", ("Q3.3-1",), ids),
        places[0] if places else means_path,
        tuple(places[1:]),
    )
