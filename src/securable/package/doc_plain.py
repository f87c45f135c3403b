"""The plain customer document, for audiences such as home users: the essentials in plain words.

It answers what a home user asks: how long the device gets updates, how updating works, what it
collects and who sees it, what to do to stay safe, how to wipe it before passing it on, and how to
report a problem. Configuration, hardening, software inventories, vulnerabilities by CVE, network
tables and the full means analysis are left to the full document.
"""

from __future__ import annotations

from securable.package.doc_parts import data_access, list_or_gap, reporting
from securable.package.docview import Block, Bullets, Facts, Inline, Para, Section
from securable.package.reader import Reader
from securable.package.wording import DELIVERY, RESPONSIBLE_PLAIN, SENSOR_KIND, labelled


def _lifespan(r: Reader) -> Section:
    s = "support."
    facts = Facts(
        (
            ("Security updates until", r.text(s + "support_end")),
            ("After updates stop", r.text(s + "after_support_end")),
            ("End of life", r.text(s + "end_of_life")),
            ("After end of life", r.text(s + "after_end_of_life")),
        )
    )
    return Section("lifespan", "How long you get security updates", (facts,))


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


def sections(r: Reader) -> tuple[Section, ...]:
    return (_lifespan(r), _updating(r), _collects(r), _your_part(r), _passing_on(r), reporting(r, full=False))
