"""Plain-words sections, in the second person, for audiences such as home users and clinical staff.

They answer what such a reader asks: how long the device gets updates (beside how long it is
expected to be used, saying plainly when updates stop first), which settings to turn on and where to
connect it, how updating works, what it collects, where that is kept and for how long, what happens
when the network, a service or the power fails and after too many wrong PINs, what to do to stay
safe, and how to wipe it before passing it on. They speak about the use cases of the audience they
are written for, so a household does not read about shops. Which of them a document holds is
decided by :mod:`~securable.package.documents.profiles`.
"""

from __future__ import annotations

from datetime import date, timedelta

from securable.package.documents.answers import Reader
from securable.package.documents.shared_sections import (
    audience_use_cases,
    data_access,
    list_or_gap,
    period_of_use,
    physical_facts,
)
from securable.package.documents.view import Block, Bullets, Facts, Inline, Para, Section
from securable.package.documents.wording import (
    DELIVERY,
    LOCKOUT_PLAIN,
    RESPONSIBLE_PLAIN,
    SENSOR_KIND,
    join,
    labelled,
    long_date,
)
from securable.product.model import Audience, DataType, UseCase


def lifespan(r: Reader, audience: Audience | None, today: date) -> Section:
    s = "support."
    cases = audience_use_cases(r.product, audience)
    items: list[tuple[str, Inline]] = [("Security updates until", r.text(s + "support_end"))]
    # Beside the support end, so that readers see whether updates last as long as they will use it.
    periods = [(case, period_of_use(case)) for case in cases]
    periods = [(case, words) for case, words in periods if words]
    if len(periods) == 1:
        items.append(("How long it is expected to be used", periods[0][1]))
    elif periods:
        items.append(
            (
                "How long it is expected to be used",
                "; ".join(f"{case.title or case.id}: {words}" for case, words in periods),
            )
        )
    items += [
        ("After updates stop", r.text(s + "after_support_end")),
        ("What you can do after updates stop", r.text(s + "securable_after_support")),
        ("End of life", r.text(s + "end_of_life")),
        ("After end of life", r.text(s + "after_end_of_life")),
    ]
    warning = updates_stop_early(r, cases, today)
    blocks: tuple[Block, ...] = (Para(warning),) if warning else ()
    return Section("lifespan", "How long you get security updates", (*blocks, Facts(tuple(items))))


def updates_stop_early(r: Reader, cases: tuple[UseCase, ...], today: date) -> str | None:
    """A plain sentence when security updates stop before a device bought ``today`` (or on its
    release day, if later) reaches the end of its expected period of use; None otherwise."""
    from securable.assess.rules.support import TOLERANCE, use_period

    support_end = r.product.support.support_end if r.product.support else None
    if support_end is None:
        return None
    release = r.product.product.release_date if r.product.product else None
    bought = max(release, today) if release is not None else today
    worst: tuple[date, str] | None = None
    for case in cases:
        period = use_period(case)
        if period is None:
            continue
        try:
            needed = bought + timedelta(days=period.days[1])
        except OverflowError:  # past year 9999
            needed = date.max
        if needed - support_end > TOLERANCE and (worst is None or needed > worst[0]):
            # A period read from the manufacturer's sentence is quoted in check's messages; a
            # reader gets the number it gave.
            words = (
                period.longest
                if period.field == "period_of_use_years"
                else _duration(timedelta(days=period.days[1]))
            )
            worst = (needed, words)
    if worst is None:
        return None
    needed, longest = worst
    return (
        f"Security updates stop on {long_date(support_end)}, before the end of the time people are "
        f"expected to use the device. Bought on {long_date(bought)} and used for {longest}, it would "
        f"go {_duration(needed - support_end)} without security updates."
    )


def _duration(span: timedelta) -> str:
    months = round(span.days / 30.4375)
    years, months = divmod(months, 12)
    parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((years, "year"), (months, "month")) if n]
    return "about " + (join(parts) if parts else "a few days")


def make_it_safer(r: Reader) -> tuple[Section, ...]:
    """The settings to turn on, what they cost, where to connect the device and what to avoid: the
    practical advice a household acts on."""
    facts = Facts(
        (
            ("Settings to turn on or change", r.text("composition.guidance.hardening")),
            ("What stricter settings cost you", r.text("composition.stricter_settings")),
            ("Where to connect it", r.text("assumptions.environments")),
            ("Ways of using it to avoid", r.text("composition.guidance.usage")),
        )
    )
    return (Section("make-it-safer", "Make it safer", (facts,)),)


def safe_use(r: Reader) -> Section:
    """The manufacturer's advice on using the device safely, for people who use it rather than
    run it."""
    facts = Facts((("What to avoid and what to report", r.text("composition.guidance.usage")),))
    return Section("safe-use", "Using it safely", (facts,))


def updating(r: Reader) -> Section:
    u = "updates."
    items: list[tuple[str, Inline]] = [
        ("Who installs updates", r.text(u + "responsible", fmt=lambda v: RESPONSIBLE_PLAIN[v])),
        ("How updates arrive", r.text(u + "delivery", fmt=lambda v: labelled(v, DELIVERY))),
        ("How you find out", r.text(u + "notification")),
    ]
    notes = r.product.updates.responsibility_notes if r.product.updates else None
    if notes:
        items.append(("Your options", notes))
    return Section("updating", "Keeping it up to date", (Facts(tuple(items)),))


def collects(r: Reader) -> Section:
    c = r.product.composition
    sensors = tuple(
        f"{SENSOR_KIND.get(s.kind or '', 'Sensor')}: {s.name or 'not named'}"
        + (" (you can turn it off)" if s.can_be_disabled else "")
        for s in (c.sensors if c else None) or ()
    )
    data: tuple[Inline, ...] = tuple(_kept(d, who) for d, who in data_access(r))
    children = (
        Section("sensors", "Sensors", (list_or_gap(r, "composition.sensors", Bullets(sensors)),)),
        Section(
            "data",
            "Data, where it is kept and who can see it",
            (list_or_gap(r, "composition.data_types", Bullets(data)),),
        ),
    )
    return Section("collects", "What it collects, where it is kept and who can see it", (), children)


_FAILURE_LABELS = (
    "Controls something physical",
    "Could hurt someone if it fails or is misused",
    "If the network, a service or the power fails",
)


def _kept(d: DataType, who: Inline) -> Inline:
    """One kind of data: who sees it, where it is kept and for how long, in the manufacturer's words."""
    if not isinstance(who, str):
        return who
    parts = [f"{d.name or d.id}: seen by {who}"]
    if d.stored:
        parts.append(f"Kept on: {join(list(d.stored))}")
    if d.retention:
        parts.append(f"How long: {d.retention.strip()}")
    return ". ".join(p.rstrip(".") for p in parts) + ("." if len(parts) > 1 else "")


def when_things_go_wrong(r: Reader, audience: Audience | None) -> tuple[Section, ...]:
    """What the device does when something fails and after wrong PINs or passwords, in the
    manufacturer's words; nothing at all when the description does not say."""
    cases = audience_use_cases(r.product, audience)
    answered = [(case, facts) for case in cases if (facts := physical_facts(case, _FAILURE_LABELS))]
    blocks: tuple[Block, ...] = ()
    children: list[Section] = []
    if len(answered) == 1:
        blocks = (Facts(answered[0][1]),)
    else:
        # Several use cases of one audience can fail differently (a ward and an ambulance); each
        # gets its own heading rather than one list mixing them.
        children += [
            Section(f"use-case-{case.id}", case.title or case.id, (Facts(facts),)) for case, facts in answered
        ]
    lockouts: tuple[Inline, ...] = tuple(
        f"{m.title or m.id}: {LOCKOUT_PLAIN[m.lockout]}."
        for m in r.product.means or ()
        if m.lockout is not None
    )
    if lockouts:
        children.append(Section("wrong-passwords", "Wrong PINs and passwords", (Bullets(lockouts),)))
    if not blocks and not children:
        return ()
    return (Section("when-things-go-wrong", "When something goes wrong", blocks, tuple(children)),)


def your_part(r: Reader) -> Section:
    yours: list[Inline] = [m.title or m.id for m in r.product.means_of_kind("customer")]
    shared = r.product.assumptions.shared_responsibilities if r.product.assumptions else None
    for s in shared or ():
        if (s.party or "").strip().lower() in ("customer", "customers", "you", "the customer"):
            yours += list(s.responsibilities or ())
    block: Block
    if yours:
        block = Bullets(tuple(dict.fromkeys(yours)))
    else:
        reason = r.not_applicable(("Q4.2.6-3",))
        block = Para(
            f"Does not apply: {reason}" if reason else r.gap("means.customer", ("means",), ("Q4.2.6-3",))
        )
    return Section("your-part", "What you can do to stay safe", (block,))


def passing_on(r: Reader) -> Section:
    facts = Facts(
        (
            ("Remove your data", r.text("retirement.ownership_transfer.data_removal")),
            ("Make it permanently unusable", r.text("retirement.render_inoperable.how")),
        )
    )
    return Section("passing-on", "Before you sell, give away or throw it away", (facts,))
