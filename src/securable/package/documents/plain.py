"""The plain customer document, for audiences such as home users: the essentials in plain words.

It answers what a home user asks: how long the device gets updates (beside how long it is
expected to be used), how updating works, what it collects and who sees it, what happens when the
network, a service or the power fails and after too many wrong PINs, what to do to stay safe, how
to wipe it before passing it on, and how to report a problem. It speaks about the use cases of the
audience it is written for, so a household does not read about shops. Configuration, hardening,
software inventories, vulnerabilities by CVE, network tables and the full means analysis are left
to the full document.
"""

from __future__ import annotations

from securable.package.documents.answers import Reader
from securable.package.documents.shared_sections import (
    audience_use_cases,
    data_access,
    list_or_gap,
    period_of_use,
    physical_facts,
    reporting,
)
from securable.package.documents.view import Block, Bullets, Facts, Inline, Para, Section
from securable.package.documents.wording import (
    DELIVERY,
    LOCKOUT_PLAIN,
    RESPONSIBLE_PLAIN,
    SENSOR_KIND,
    labelled,
)
from securable.product.model import Audience, UseCase


def _lifespan(r: Reader, cases: tuple[UseCase, ...]) -> Section:
    s = "support."
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
        ("End of life", r.text(s + "end_of_life")),
        ("After end of life", r.text(s + "after_end_of_life")),
    ]
    return Section("lifespan", "How long you get security updates", (Facts(tuple(items)),))


def _updating(r: Reader) -> Section:
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


def _collects(r: Reader) -> Section:
    c = r.product.composition
    sensors = tuple(
        f"{SENSOR_KIND.get(s.kind or '', 'Sensor')}: {s.name or 'not named'}"
        + (" (you can turn it off)" if s.can_be_disabled else "")
        for s in (c.sensors if c else None) or ()
    )
    data: tuple[Inline, ...] = tuple(
        f"{d.name or d.id}: seen by {who}" if isinstance(who, str) else who for d, who in data_access(r)
    )
    children = (
        Section("sensors", "Sensors", (list_or_gap(r, "composition.sensors", Bullets(sensors)),)),
        Section(
            "data",
            "Data and who can see it",
            (list_or_gap(r, "composition.data_types", Bullets(data)),),
        ),
    )
    return Section("collects", "What it collects and who can see it", (), children)


_FAILURE_LABELS = (
    "Controls something physical",
    "Could hurt someone if it fails or is misused",
    "If the network, a service or the power fails",
)


def _when_things_go_wrong(r: Reader, cases: tuple[UseCase, ...]) -> tuple[Section, ...]:
    """What the device does when something fails and after wrong PINs or passwords, in the
    manufacturer's words; nothing at all when the description does not say."""
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


def _your_part(r: Reader) -> Section:
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


def _passing_on(r: Reader) -> Section:
    facts = Facts(
        (
            ("Remove your data", r.text("retirement.ownership_transfer.data_removal")),
            ("Make it permanently unusable", r.text("retirement.render_inoperable.how")),
        )
    )
    return Section("passing-on", "Before you sell, give away or throw it away", (facts,))


def sections(r: Reader, audience: Audience | None) -> tuple[Section, ...]:
    cases = audience_use_cases(r.product, audience)
    return (
        _lifespan(r, cases),
        _updating(r),
        _collects(r),
        *_when_things_go_wrong(r, cases),
        _your_part(r),
        _passing_on(r),
        reporting(r, full=False),
    )
