"""Physical-world interaction and safety (NISTIR 8259 3.2 Q1, Q2, Q4).

Which use cases matter for safety comes from `research.actuates` and `research.safety_critical`,
lock-out behaviour from a means' `robustness.authentication.lockout`, and the degraded state from
`research.degraded_behaviour`. Files written before those fields existed leave them empty; for them
the rules read the research answers and the means' descriptions instead (see
:func:`~securable.assess.rules.reading.actuates`). A field that is given always wins over the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path, at, blank, label, mentions, says_none
from securable.product.model import Means, Product

# "Nothing changes" or "none: it keeps dosing" is a behaviour (carrying on), not the absence of one.
_CARRIES_ON = re.compile(
    r"^\W*nothing\s+(?:changes|is affected|stops)\b|\bcontinu\w*|\bkeeps?\b|\bcarr(?:y|ies) on\b"
    r"|\bunaffected\b|\bas (?:usual|normal)\b"
)
# "locks out", "lock-out", and a lock that follows failed attempts: "locks after 5 failed attempts",
# "is locked for 15 minutes after three wrong PINs" ("locks the door after 5 minutes" is not one).
LOCKOUT = re.compile(
    r"\block[- ]?outs?\b|\blocked out\b|\blocks? (?:\w+ )?out\b"
    r"|\b(?:locks?|locked|locking)\b(?: [\w-]+){0,4}? after (?:\w+ ){0,2}"
    r"(?:failed|wrong|incorrect|invalid|unsuccessful|bad)\b"
)
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


def _cases(ctx: Context) -> str:
    """The safety-relevant use cases and why, e.g. "use case 'uc-1' acts in the physical world"."""
    cases = ctx.product.use_cases or ()
    return ", ".join(f"use case '{cases[index].id}' {role}" for index, role in ctx.safety_roles.items())


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
    in a way customers cannot configure: its `robustness.authentication.lockout` is `fixed`, or,
    when that is not given, its descriptions mention a lock-out but neither say it is configurable
    nor name 8259A-LAI.3 (or SP 800-213A LAI-2.1).

    NISTIR 8259 3.2 Q2: a lock-out "can inadvertently cause a denial of service ... In
    safety-critical environments, such disruptions to access may not be acceptable because of the
    danger they would cause. Customers often need flexibility in configuring such features or
    disabling them altogether." The use cases come from `research.actuates` and
    `research.safety_critical`, each read from the use case's descriptions only when not given. A
    `lockout` that is given decides over the descriptions and the catalog list: `fixed` fires even
    when the text calls the lock-out adjustable, `none` and `configurable` keep the rule quiet even
    when the text mentions a lock-out. Silence does not fire: a device without a lock-out is not
    this rule's concern.
    """
    if not ctx.safety_use_cases:
        return
    related = tuple(("use_cases", index) for index, _ in ctx.safety_use_cases)
    for index, means in enumerate(product.means or ()):
        lockout = means.lockout
        name = label(means.title, f"means {means.id!r}")
        if lockout is None:
            texts = _texts(means)
            if not any(mentions(text, LOCKOUT) for text in texts):
                continue
            if set(means.catalog or ()) & set(CONFIGURABLE_LOCKOUT) or any(
                mentions(text, CONFIGURABLE) for text in texts
            ):
                continue
            what = f"{name} locks out after failed authentication"
            path: Path = ("means", index)
        elif lockout == "fixed":
            what = f"{name} has a fixed lock-out after failed authentication"
            if set(means.catalog or ()) & set(CONFIGURABLE_LOCKOUT):
                what += " (although its catalog list cites configurable lock-out)"
            path = ("means", index, "robustness", "authentication", "lockout")
        else:
            continue
        yield Hit(
            f"{what}, and {_cases(ctx)}; a lock-out nobody can configure may deny access when it is "
            "needed for safety",
            "let customers set the lock-out threshold or turn it off, set "
            "robustness.authentication.lockout to configurable, and add nistir-8259a:8259A-LAI.3 to "
            "the means' catalog list",
            path,
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
    """A use case actuates or is safety-critical, and its `research.degraded_behaviour` says there
    is none; or, when that is not given, neither its `research.interference` and
    `research.physical_world` nor any means say what the device does in a degraded state
    (fail-safe, keeps operating offline, manual override, ...), and no means realizes 8259A-CSA.2 or
    SP 800-213A DS-3.6, DS-5.5 or CSA-3.10.

    NISTIR 8259 3.2 Q1: "many safety-critical devices must continue to provide some or all
    functionality in the event of a cybersecurity incident, network issue, or other adverse
    condition"; Q4 asks for "careful consideration of device behavior in the face of degraded
    cybersecurity or reduced network or data access". The use cases come from `research.actuates`
    and `research.safety_critical`, each read from the use case's descriptions only when not given.
    A `degraded_behaviour` that is given decides for its use case over the other texts and the
    catalog list: any behaviour keeps the rule quiet ("nothing changes" and "keeps dosing" are
    behaviours), an answer such as "none" or "nothing defined" makes it fire.
    Silence fires for such use cases: an unstated behaviour is an undesigned one.
    """
    if not ctx.safety_use_cases:
        return
    # Only use cases without degraded_behaviour need these; most products have none to ask about.
    elsewhere: bool | None = None
    for index, case in ctx.safety_use_cases:
        research = case.research
        stated = research.degraded_behaviour if research is not None else None
        role = ctx.safety_roles[index]
        if not blank(stated):
            if says_none(stated) and not _CARRIES_ON.search((stated or "").lower()):
                yield Hit(
                    f"use case '{case.id}' {role}, but its degraded_behaviour says the device has "
                    f"none ({stated!r})",
                    "define what the device does when its network, cloud, power or security fails "
                    "(fail-safe state, local operation, manual override), describe it in "
                    "research.degraded_behaviour, and add the means that provides it (e.g. "
                    "8259A-CSA.2, SP 800-213A DS-3.6)",
                    ("use_cases", index, "research", "degraded_behaviour"),
                )
            continue
        if elsewhere is None:
            elsewhere = ctx.realized(DEGRADED_ELEMENTS) or any(
                mentions(text, DEGRADED) for means in product.means or () for text in _texts(means)
            )
        if elsewhere or (
            research is not None
            and (mentions(research.interference, DEGRADED) or mentions(research.physical_world, DEGRADED))
        ):
            continue
        yield Hit(
            f"use case '{case.id}' {role}, but nothing says what the device does when its network, "
            "cloud or security fails",
            "define the degraded-state behaviour (fail-safe state, local operation, manual override) "
            "in research.degraded_behaviour, and add the means that provides it (e.g. 8259A-CSA.2, "
            "SP 800-213A DS-3.6)",
            at(product, ("use_cases", index, "research", "degraded_behaviour")),
        )


RULES: tuple[Rule, ...] = (fixed_lockout, no_degraded_behaviour)
