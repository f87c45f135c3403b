"""Support and lifespan (NISTIR 8259 4.2.2): does support last as long as customers use the device?

The period of use is a use case's `period_of_use_years` when it gives a number; files that leave it
empty have the numbers in their `period_of_use` text read instead (:func:`period_days`). When both
are given and disagree, `period_of_use_years` wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path, blank, says_none
from securable.product.model import Product, UseCase, years_in_words

# Periods of use are estimates in whole months or years: support that ends within a month of the
# expected period counts as covering it (release 2025-09-01 + 6 years is met by 2031-08-31).
TOLERANCE = timedelta(days=31)

_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25, "decade": 3652.5}
_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "couple": 2, "a couple of": 2,
}  # fmt: skip
# Longer periods are capped: a date beyond year 9999 cannot be computed, and no device lasts a century.
LONGEST = 100 * 365.25
_NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>hour|day|week|month|year|decade)s?\b"
_ANOTHER_UNIT = r"(?:hour|day|week|month|year|decade)s?\b"
# One duration or range: "3 to 6 years", "5-7 years", "between 5 and 7 years", "18 months", "a year
# or two", "a 10-year life". A duration followed by a rate ("8 hours a day", "2 hours per week",
# "6 months a year", "4 hours daily") says how much of each day or year, not how long: it is read,
# so that its rate is not taken for a duration of its own ("a day"), and then left out.
_PERIOD = re.compile(
    rf"\b(?:between\s+)?(?P<low>{_NUMBER})(?:\s*(?:to|-|–|or|and)\s*(?P<high>{_NUMBER}))?\s*\+?\s*"
    rf"-?\s*{_UNIT}(?:\s*(?:or|to|-|–)\s*(?P<after>{_NUMBER})\b(?!\s*-?\s*{_ANOTHER_UNIT}))?"
    r"(?P<rate>\s*(?:(?:a|an|per|each|every|/)\s*(?:hour|day|night|shift|week|month|year)\b|"
    r"(?:hourly|daily|nightly|weekly|monthly|yearly|annually)\b))?"
)


def _number(word: str) -> float:
    return _WORDS.get(word) or float(word)


def period_days(text: str | None) -> tuple[float, float] | None:
    """The shortest and longest expected period of use in days, from text such as '3 to 6 years',
    '18 months', 'two decades', '6 months to 2 years' or '8 hours a day for 5 to 7 years' (rates are
    left out); ``None`` when the text gives no number ('several years'). Every duration counts: the
    shortest is the least of them, the longest the most."""
    lows: list[float] = []
    highs: list[float] = []
    for match in _PERIOD.finditer((text or "").lower()):
        if match["rate"]:
            continue
        unit = _DAYS[match["unit"]]
        numbers = [_number(match[g]) * unit for g in ("low", "high", "after") if match[g]]
        lows.append(min(numbers))
        highs.append(max(numbers))
    if not lows:
        return None
    return min(*lows, LONGEST), min(max(highs), LONGEST)


class Period(NamedTuple):
    """A use case's expected period of use, from the field that gave it."""

    days: tuple[float, float]  # shortest, longest
    words: str  # how a message quotes it
    longest: str  # how a message quotes the longest period
    field: str  # the UseCase field it came from


def use_period(case: UseCase) -> Period | None:
    """The expected period of use: `period_of_use_years` when it gives a number, else the numbers
    in the `period_of_use` text; None when neither gives one."""
    span = case.period_of_use_years
    ends = span.ends() if span is not None else None
    if span is not None and ends is not None:
        low, high = ends
        days = (min(low * _DAYS["year"], LONGEST), min(high * _DAYS["year"], LONGEST))
        return Period(days, span.words(), years_in_words(high, high), "period_of_use_years")
    days_read = period_days(case.period_of_use)
    if days_read is None:
        return None
    quoted = repr(case.period_of_use or "")
    return Period(days_read, quoted, quoted, "period_of_use")


def _start(product: Product, ctx: Context) -> tuple[date, str]:
    """When use begins: the release date; the assessment date when the file does not give one."""
    release = product.product.release_date if product.product else None
    return (release, f"the release on {release}") if release else (ctx.today, f"today ({ctx.today})")


def _after(start: date, days: float) -> date:
    try:
        return start + timedelta(days=days)
    except OverflowError:  # past year 9999: later than any support end
        return date.max


def _support_end(product: Product) -> date | None:
    return product.support.support_end if product.support else None


class Shortfall(NamedTuple):
    case: int  # index of the use case
    period: Period
    needed: date  # until when its customers expect to use the device


def _shortfalls(product: Product, ctx: Context, which: int) -> list[Shortfall]:
    """Use cases whose expected use (``which``: 0 shortest, 1 longest) outlasts support."""
    support_end = _support_end(product)
    if support_end is None:
        return []
    start, _ = _start(product, ctx)
    short = []
    for index, case in enumerate(product.use_cases or ()):
        period = use_period(case)
        if period is None:
            continue
        needed = _after(start, period.days[which])
        if needed - support_end > TOLERANCE:  # a difference of dates cannot overflow
            short.append(Shortfall(index, period, needed))
    return sorted(short, key=lambda s: s.needed, reverse=True)  # the most demanding use case first


def _where(short: Shortfall) -> Path:
    return ("use_cases", short.case, short.period.field)


@rule(
    "SUP-001",
    "Support ends before customers expect to stop using the device",
    Severity.HIGH,
    section="4.2.2",
    questions=("Q4.2.2-1", "Q3.1-6"),
    elements=("nistir-8259b:8259B-DOC", "sp800-213a:DOC-1.g", "nistir-8259a:8259A-SU"),
)
def support_shorter_than_use(product: Product, ctx: Context) -> Iterator[Hit]:
    """`support.support_end` comes before even the shortest expected period of use of a use case
    (`use_cases[].period_of_use_years`, else the numbers in `use_cases[].period_of_use`, counted
    from `product.release_date`) has passed.

    NISTIR 8259 4.2.2 warns that the support lifecycle "may be shorter than how long the customer
    wants to use the device"; when it is shorter than the *least* any customer expects, every
    customer runs the device without security updates for part of its life. `period_of_use_years`
    wins over the text when both are given. Silence does not fire: without a support end date or a
    period with a number there is nothing to compare (the open question is QST-001's, a period
    without a number is SUP-005's). Without a release date, use is counted from the assessment date.
    """
    short = _shortfalls(product, ctx, 0)
    if not short:
        return
    first = short[0]
    _, start = _start(product, ctx)
    yield Hit(
        f"support ends on {_support_end(product)}, but customers of use case "
        f"'{(product.use_cases or ())[first.case].id}' expect to use the device for "
        f"{first.period.words}: until about {first.needed}, counting from {start}",
        f"extend support.support_end to at least {first.needed}, or correct the "
        f"{first.period.field} if customers really stop using the device sooner",
        ("support", "support_end"),
        tuple(_where(s) for s in short),
    )


@rule(
    "SUP-002",
    "Some customers outlive support, with no plan for after it ends",
    Severity.MEDIUM,
    section="4.2.2",
    questions=("Q4.2.2-5", "Q4.2.2-3", "Q3.1-6"),
    elements=("sp800-213a:IDS-1.b", "nistir-8259b:8259B-IDS"),
)
def no_plan_after_support(product: Product, ctx: Context) -> Iterator[Hit]:
    """The longest expected period of use (`period_of_use_years`, else the numbers in
    `period_of_use`) outlasts `support.support_end`, the shortest does not, and
    `support.securable_after_support` is empty or says there is nothing.

    Support shorter than the longest use is acceptable if customers are told how to keep the device
    securable afterwards (NISTIR 8259 4.2.2 Q5; SP 800-213A IDS-1.b, "Unsupported IoT device").
    `period_of_use_years` wins over the text when both are given. Silence fires: the plan is what
    makes the gap acceptable, and the open question alone would not say that some customers need it.
    """
    support = product.support
    if support is None or not (
        blank(support.securable_after_support) or says_none(support.securable_after_support)
    ):
        return
    shortest = {s.case for s in _shortfalls(product, ctx, 0)}
    longest = [s for s in _shortfalls(product, ctx, 1) if s.case not in shortest]  # SUP-001 has the rest
    if not longest:
        return
    first = longest[0]
    yield Hit(
        f"support ends on {support.support_end}, but some customers of use case "
        f"'{(product.use_cases or ())[first.case].id}' use the device for up to {first.period.longest} "
        f"(until about {first.needed}), and the file does not say how they keep it securable after "
        "support ends",
        "describe in support.securable_after_support what customers can do after support ends (e.g. "
        "block internet access, use it locally, get the published code), or extend support.support_end",
        (
            "support",
            "securable_after_support" if support.securable_after_support is not None else "support_end",
        ),
        tuple(_where(s) for s in longest),
    )


@rule(
    "SUP-003",
    "Support has already ended",
    Severity.HIGH,
    section="4.2.2",
    questions=("Q4.2.2-1",),
    elements=("sp800-213a:IDS-1.b", "nistir-8259a:8259A-SU"),
)
def support_ended(product: Product, ctx: Context) -> Iterator[Hit]:
    """`support.support_end` is before the assessment date.

    A release engineer wants the build to fail when the description falls behind: either support
    was extended and the file is stale, or the device no longer gets security updates and customers
    must be told (SP 800-213A IDS-1.b). Silence does not fire (QST-001 reports the open question).
    """
    support_end = product.support.support_end if product.support else None
    if support_end is not None and support_end < ctx.today:
        yield Hit(
            f"support ended on {support_end}, before the assessment date {ctx.today}",
            "if support was extended, update support.support_end; if not, tell customers the device is "
            "unsupported and describe support.after_support_end and support.securable_after_support",
            ("support", "support_end"),
        )


@rule(
    "SUP-004",
    "End of life is announced less than six months ahead",
    Severity.LOW,
    section="4.2.2",
    questions=("Q4.2.2-2",),
    elements=("sp800-213a:IDS-1.b", "nistir-8259b:8259B-IDS"),
)
def short_end_of_life_notice(product: Product, ctx: Context) -> Iterator[Hit]:
    """`support.end_of_life_notice_months` is below 6.

    NISTIR 8259 4.2.2 Q2: customers "may benefit from notice at some amount of time (e.g., six
    months) leading up to that end-of-life so that they can plan for the event". Silence does not
    fire (QST-001 reports it).
    """
    months = product.support.end_of_life_notice_months if product.support else None
    if months is not None and months < 6:
        yield Hit(
            f"customers get {months} month(s) of notice before end of life; that is too little to plan "
            "a replacement",
            "give at least 6 months of notice: set support.end_of_life_notice_months to 6 or more",
            ("support", "end_of_life_notice_months"),
        )


@rule(
    "SUP-005",
    "Expected period of use gives no number to compare with support",
    Severity.INFO,
    section="3.1",
    questions=("Q3.1-6", "Q4.2.2-1"),
    elements=("sp800-213a:DOC-1.g",),
)
def vague_period_of_use(product: Product, ctx: Context) -> Iterator[Hit]:
    """A use case's `period_of_use` is filled but names no duration ('several years'), its
    `period_of_use_years` is not given, and `support.support_end` is set.

    Without a number SUP-001 and SUP-002 cannot compare support with use and stay quiet, which would
    look like a pass. Numbers in `period_of_use_years` are enough, whatever the text says. Silence
    does not fire (QST-001 reports an empty period).
    """
    if not (product.support and product.support.support_end):
        return
    for index, case in enumerate(product.use_cases or ()):
        if not blank(case.period_of_use) and use_period(case) is None:
            yield Hit(
                f"use case '{case.id}' expects use for {case.period_of_use!r}, which gives no duration to "
                "compare with the support end date",
                "give the period in years, e.g. period_of_use_years: {min: 3, max: 6}, or with numbers "
                "in period_of_use, e.g. '3 to 6 years' or '18 months'",
                ("use_cases", index, "period_of_use"),
            )


RULES: tuple[Rule, ...] = (
    support_shorter_than_use,
    no_plan_after_support,
    support_ended,
    short_end_of_life_notice,
    vague_period_of_use,
)
