"""Coverage as findings: a requirement of the chosen baselines or profiles that is a gap, or only
partly met, becomes a finding, so ``--fail-on`` and SARIF treat it like any rule's finding.

Only ``securable check`` knows which baselines and profiles apply, so these two rules live here
rather than in :mod:`securable.assess.rules` (which looks at the product alone). They are documented
in ``docs/profiles.md`` (anchors ``cov-001`` and ``cov-002``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from securable.assess.coverage import Coverage, Status
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
        "Requirement not met",
        Severity.MEDIUM,
        "A requirement of a chosen baseline or profile is a gap: no means cites it or anything that "
        "counts for it, and it is not declared not applicable.",
        "NISTIR 8259 3.3 starts from the core baseline and profiles it for the sector and use case: each "
        "requirement is either met by some means or decided not to apply. Medium, not high: a gap "
        "may be a deliberate choice that is not written down yet.",
    ),
    CoverageRule(
        PARTIAL_RULE,
        "Requirement only partly met",
        Severity.LOW,
        "A requirement is partly met: only some of its parts are cited, only what contains it is "
        "cited, or the means citing it has `status: partial`.",
        "Something is in place, but the product description does not show the whole requirement met.",
    ),
)


def coverage_findings(product: Product, coverages: Sequence[Coverage]) -> list[Finding]:
    """One finding per gap or partly met requirement; a requirement in several targets counts once."""
    seen: set[str] = set()
    findings = []
    means_path: tuple[str | int, ...] = ("means",) if product.means else ()
    for coverage in coverages:
        for result in coverage.results:
            requirement = result.requirement
            if requirement.id in seen or result.status not in (Status.GAP, Status.PARTIAL):
                continue
            seen.add(requirement.id)
            cite = Citation("3.3", ("Q3.3-1",), (requirement.id,))
            if result.status is Status.GAP:
                findings.append(
                    Finding(
                        GAP_RULE,
                        Severity.MEDIUM,
                        f"{requirement.id} ({requirement.title}) is not met by any means"
                        + (f": {result.reason}" if result.reason else ""),
                        f"add a means that provides it and list {requirement.id} (or an element that "
                        "realizes it) in its `catalog`, or declare it in `not_applicable_elements` with "
                        "the reason",
                        cite,
                        means_path,
                    )
                )
                continue
            first = result.means[0] if result.means else None
            notes = sorted({n for use in result.means for n in use.notes})
            findings.append(
                Finding(
                    PARTIAL_RULE,
                    Severity.LOW,
                    f"{requirement.id} ({requirement.title}) is only partly met"
                    + (f" ({'; '.join(notes)})" if notes else ""),
                    "cite the element itself (or all its parts) in the means that provides it, or set "
                    "the means' status to full once it is complete",
                    cite,
                    ("means", first.index) if first else means_path,
                    tuple(("means", use.index) for use in result.means[1:]),
                )
            )
    return findings
