"""One paragraph on the assessment, for enterprise readers: what the device does well, its known
gaps, and who must cover each of them.

It is made from the assessment the package carries (``securable check`` with the default
baselines, as of the package date): the coverage of each requirement with the means that count
for it, and the rule findings of high or medium severity. Nothing in it is the manufacturer's own
prose, so it says the same as ``securable check`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from securable.package.context import PackageContext
from securable.package.documents.view import Para, Section
from securable.package.documents.wording import join, long_date

if TYPE_CHECKING:
    from securable.assess.coverage import Result
    from securable.assess.report import Assessment
    from securable.product.model import Product

MET = ("met-by-device", "met-by-other-means")
# Findings of these severities are gaps a customer plans for; coverage findings (COV-*) repeat
# what the coverage already says, so they are left out.
_SHOWN_SEVERITIES = ("high", "medium")

# Who covers a part of a requirement, by the kind of means that counts for it.
_KIND_WORDS = {
    "service": "the manufacturer's service",
    "related-device": "a related device",
    "non-technical": "the manufacturer's support",
    "customer": "the customer",
}


def sections(ctx: PackageContext) -> tuple[Section, ...]:
    """The summary section, or none when the package carries no assessment."""
    if ctx.assessment is None:
        return ()
    return (Section("assessment-summary", "Summary of the assessment", (Para(paragraph(ctx.assessment)),)),)


def paragraph(assessment: Assessment) -> str:
    results = [r for coverage in assessment.coverage for r in coverage.results]
    applicable = [r for r in results if r.status.value not in ("not-applicable", "customer-action")]
    met = [r for r in applicable if r.status.value in MET]
    by_device = sum(1 for r in met if r.status.value == "met-by-device")
    targets = join([c.target.title.split(":", 1)[0] for c in assessment.coverage])
    sentences = [
        f"Assessed against {targets} as of {long_date(assessment.date)}, the device meets "
        f"{len(met)} of {len(applicable)} requirements in full ({by_device} by itself, "
        f"{len(met) - by_device} with the help of other means)."
    ]
    strong = [
        group.title
        for coverage in assessment.coverage
        for group in coverage.capabilities
        if group.counts.get("partial", 0) == 0
        and group.counts.get("gap", 0) == 0
        and sum(group.counts.get(s, 0) for s in MET) > 0
    ]
    if strong:
        sentences.append(f"It fully meets {join(strong)}.")
    gaps = [_gap(r, assessment.product) for r in applicable if r.status.value in ("partial", "gap")]
    shown = {f.finding.rule for f in assessment.findings if f.finding.severity.value in _SHOWN_SEVERITIES}
    titles = [rule.title for rule in assessment.rules if rule.id in shown and not rule.id.startswith("COV-")]
    if gaps:
        sentences.append(f"Known gaps: {'; '.join(gaps)}.")
    if titles:
        sentences.append(f"The assessment also found: {'; '.join(t.rstrip('.') for t in titles)}.")
    if not gaps and not titles:
        sentences.append("It found no gaps and no findings of high or medium severity.")
    return " ".join(sentences)


def _gap(result: Result, product: Product) -> str:
    """One requirement not fully met, and who covers what the device leaves open."""
    requirement = result.requirement
    title = f"{requirement.id.split(':', 1)[-1]} ({requirement.title.rstrip('.')})"
    if result.status.value == "gap":
        return f"{title} is not met, so the customer must cover it"
    helpers = []
    for use in result.means:
        if use.kind in _KIND_WORDS:
            means = (product.means or ())[use.index]
            name = f" ({means.provider_name})" if means.provider_name else ""
            helpers.append(_KIND_WORDS[use.kind] + name)
    covered = f"{join(list(dict.fromkeys(helpers)))} covers part of it, " if helpers else ""
    return f"{title} is only partly met: {covered}the rest falls to the customer"
