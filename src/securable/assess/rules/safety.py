"""Physical-world interaction and safety (NISTIR 8259 3.2 Q1, Q2, Q4).

The model has no field that says a device actuates or is safety-critical, nor one for lock-out
settings, so these rules read the research answers and the means' descriptions (see
:data:`~securable.assess.rules.reading.SAFETY`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import at, label, mentions
from securable.product.model import Means, Product

LOCKOUT = re.compile(r"\block[- ]?outs?\b|\blocked out\b|\blocks? (?:\w+ )?out\b")
CONFIGURABLE = re.compile(
    r"\bconfigurable\b|\badjustable\b|\bcan be (?:configured|adjusted|changed|disabled|turned off)\b|"
    r"\b(?:customers?|owners?|administrators?|admins?|operators?) (?:can|may) (?:set|change|adjust|"
    r"disable|configure|turn off)\b"
)
CONFIGURABLE_LOCKOUT = ("nistir-8259a:8259A-LAI.3", "sp800-213a:LAI-2.1")

# What the device does when its security, network or cloud fails (3.2 Q4: "customers may need these
# device functions to continue operating even during a degraded cybersecurity state").
DEGRADED = re.compile(
    r"\bdegraded\b|\bfail[- ]?safe\b|\bfails? (?:safe|secure|closed|open)\b|\bsafe state\b|"
    r"\b(?:continues?|keeps?|keep on) (?:to )?(?:operat|work|run|record|function|actuat)\w*|"
    r"\bmanual override\b|\blocal control\b|\boffline\b|"
    r"\bwithout (?:the |a |an )?(?:network|internet|cloud|connection|connectivity)\b|"
    r"\bwhen (?:the )?(?:network|internet|cloud|connection) (?:is |goes )?(?:down|unavailable|lost|fails)\b"
)
DEGRADED_ELEMENTS = (
    "nistir-8259a:8259A-CSA.2",
    "sp800-213a:DS-3.6",
    "sp800-213a:DS-5.5",
    "sp800-213a:CSA-3.10",
)


def _texts(means: Means) -> list[str | None]:
    texts = [means.title, means.description, means.risk_effect]
    if means.robustness is not None:
        auth = means.robustness.authentication
        texts += [means.robustness.input_validation, means.robustness.notes]
        texts += [auth.humans, auth.systems] if auth is not None else []
    return texts


@rule(
    "SAF-001",
    "Lock-out that cannot be configured on a device that acts in the physical world",
    Severity.HIGH,
    section="3.2",
    questions=("Q3.2-1", "Q3.2-2"),
    elements=("nistir-8259a:8259A-LAI.3", "sp800-213a:LAI-2.1"),
)
def fixed_lockout(product: Product, ctx: Context) -> Iterator[Hit]:
    """A use case actuates or is safety-critical, and a means locks out after failed authentication
    without naming 8259A-LAI.3 (or SP 800-213A LAI-2.1) and without saying the lock-out is
    configurable.

    NISTIR 8259 3.2 Q2: a lock-out "can inadvertently cause a denial of service ... In
    safety-critical environments, such disruptions to access may not be acceptable because of the
    danger they would cause. Customers often need flexibility in configuring such features or
    disabling them altogether." Silence does not fire: a device without a lock-out is not this
    rule's concern.
    """
    if not ctx.safety_use_cases:
        return
    related = tuple(("use_cases", index) for index, _ in ctx.safety_use_cases)
    cases = ", ".join(f"'{case.id}'" for _, case in ctx.safety_use_cases)
    for index, means in enumerate(product.means or ()):
        texts = _texts(means)
        if not any(mentions(text, LOCKOUT) for text in texts):
            continue
        if set(means.catalog or ()) & set(CONFIGURABLE_LOCKOUT) or any(
            mentions(text, CONFIGURABLE) for text in texts
        ):
            continue
        yield Hit(
            f"{label(means.title, f'means {means.id!r}')} locks out after failed authentication, and "
            f"use case {cases} acts in the physical world; a lock-out nobody can configure may deny "
            "access when it is needed for safety",
            "let customers set the lock-out threshold or turn it off, say so in the means, and add "
            "nistir-8259a:8259A-LAI.3 to its catalog list",
            ("means", index),
            related,
        )


@rule(
    "SAF-002",
    "No defined behaviour in a degraded state for a device that acts in the physical world",
    Severity.HIGH,
    section="3.2",
    questions=("Q3.2-1", "Q3.2-4"),
    elements=DEGRADED_ELEMENTS,
)
def no_degraded_behaviour(product: Product, ctx: Context) -> Iterator[Hit]:
    """A use case actuates or is safety-critical, and neither its `research.interference` and
    `research.physical_world` nor any means say what the device does in a degraded state (fail-safe,
    keeps operating offline, manual override, ...), and no means realizes 8259A-CSA.2 or SP 800-213A
    DS-3.6, DS-5.5 or CSA-3.10.

    NISTIR 8259 3.2 Q1: "many safety-critical devices must continue to provide some or all
    functionality in the event of a cybersecurity incident, network issue, or other adverse
    condition"; Q4 asks for "careful consideration of device behavior in the face of degraded
    cybersecurity or reduced network or data access". Silence fires for such use cases: an unstated
    behaviour is an undesigned one.
    """
    if not ctx.safety_use_cases or ctx.realized(DEGRADED_ELEMENTS):
        return
    if any(mentions(text, DEGRADED) for means in product.means or () for text in _texts(means)):
        return
    for index, case in ctx.safety_use_cases:
        research = case.research
        if research is not None and (
            mentions(research.interference, DEGRADED) or mentions(research.physical_world, DEGRADED)
        ):
            continue
        yield Hit(
            f"use case '{case.id}' acts in the physical world, but nothing says what the device does "
            "when its network, cloud or security fails",
            "define the degraded-state behaviour (fail-safe state, local operation, manual override) "
            "in research.interference, and add the means that provides it (e.g. 8259A-CSA.2, "
            "SP 800-213A DS-3.6)",
            at(product, ("use_cases", index, "research", "interference")),
        )


RULES: tuple[Rule, ...] = (fixed_lockout, no_degraded_behaviour)
