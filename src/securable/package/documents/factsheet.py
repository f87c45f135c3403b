"""The one-page security fact sheet: ``factsheet.html``, ``factsheet.pdf`` and ``factsheet.png``.

What a buyer checks before buying and an owner needs at hand: the support period and end-of-life
date, the update policy, how to report a vulnerability, the sensors and the data collected, who
can access that data, and a QR code to the full documentation (``ctx.documentation_url``).

The PDF must be exactly one page (A4 or US Letter: :mod:`~securable.package.documents.paper`).
Long answers are shortened at a word boundary with a pointer to the full documents; if the page
still overflows, it is laid out again in a compact style and then with tighter limits, so the
result is one page for any product description.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from markupsafe import Markup, escape

from securable.package.context import PackageContext, Part
from securable.package.documents.answers import Reader
from securable.package.documents.audiences import product_name
from securable.package.documents.paper import page_size
from securable.package.documents.shared_sections import data_access
from securable.package.documents.view import Inline, Link, Missing
from securable.package.documents.wording import (
    CHANNEL_KIND,
    DELIVERY,
    RESPONSIBLE_PLAIN,
    SENSOR_KIND,
    labelled,
    long_date,
    shorten,
)

HTML_NAME, PDF_NAME, PNG_NAME = "factsheet.html", "factsheet.pdf", "factsheet.png"
PNG_DPI = 150  # sharp enough to read when printed or zoomed; about 0.4 MB


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of each answer fits: characters per text, items per list."""

    text: int
    items: int
    style: str  # extra CSS class on the page


# Tried in order until the PDF is one page; the HTML file always uses the first.
LAYOUTS = (Limits(240, 6, ""), Limits(240, 6, "compact"), Limits(120, 3, "compact"))


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    lead: Inline | None  # a short, prominent line (the support end date)
    facts: tuple[tuple[str, Inline], ...]
    items: tuple[Inline, ...] = ()
    more: int = 0  # list items left out for space


def _cut(value: Inline, limit: int) -> Inline:
    return value if isinstance(value, Missing | Link) else shorten(value, limit)


def _listed(values: list[Inline], limits: Limits) -> tuple[tuple[Inline, ...], int]:
    kept = [_cut(v, limits.text) for v in values[: limits.items]]
    return tuple(kept), max(0, len(values) - limits.items)


def _support(r: Reader, limits: Limits) -> Card:
    until = r.text("support.support_end")
    notice = r.product.support.end_of_life_notice_months if r.product.support else None
    eol = r.text("support.end_of_life")
    if notice is not None and isinstance(eol, str):
        eol = f"{eol} ({notice} months' notice)"
    lead = f"Until {until}" if isinstance(until, str) else until
    after = _cut(r.text("support.after_support_end"), limits.text)
    return Card("Security updates", lead, (("End of life", eol), ("After support ends", after)))


def _updates(r: Reader, limits: Limits) -> Card:
    u = "updates."
    facts: tuple[tuple[str, Inline], ...] = (
        ("Who installs them", r.text(u + "responsible", fmt=lambda v: RESPONSIBLE_PLAIN[v])),
        ("When", _cut(r.text(u + "schedule"), limits.text)),
        ("How they arrive", r.text(u + "delivery", fmt=lambda v: labelled(v, DELIVERY))),
    )
    return Card("Update policy", None, facts)


def _reporting(r: Reader, limits: Limits) -> Card:
    v = "support.vulnerability_reporting."
    channels = (
        r.product.support.vulnerability_reporting.channels
        if r.product.support and r.product.support.vulnerability_reporting
        else None
    )
    values: list[Inline] = [
        f"{CHANNEL_KIND.get(c.kind or '', 'Contact')}: {c.address}" for c in channels or () if c.address
    ]
    if not values:
        contact = r.product.product.security_contact if r.product.product else None
        values = [f"Security contact: {contact}"] if contact else [r.text(v + "channels")]
    items, more = _listed(values, limits)
    facts = (
        ("Reports taken after support ends", r.text(v + "accepted_after_support_end")),
        ("Reports taken after end of life", r.text(v + "accepted_after_end_of_life")),
    )
    return Card("Report a vulnerability", None, facts, items, more)


def _sensors(r: Reader, limits: Limits) -> Card:
    c = r.product.composition
    sensors = c.sensors if c else None
    values: list[Inline] = [
        f"{SENSOR_KIND.get(s.kind or '', 'Sensor')}: {s.name or 'not named'}"
        + ("; can be turned off" if s.can_be_disabled else "")
        for s in sensors or ()
    ] or [r.text("composition.sensors")]
    items, more = _listed(values, limits)
    return Card("Sensors", None, (), items, more)


def _data(r: Reader, limits: Limits) -> Card:
    values: list[Inline] = [
        f"{d.name or d.id}: seen by {who}" if isinstance(who, str) else who for d, who in data_access(r)
    ]
    items, more = _listed(values or [r.text("composition.data_types")], limits)
    return Card("Data collected and who can access it", None, (), items, more)


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG, named for screen readers."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=4, omitsize=True, dark="#000000", light="#ffffff")
    label = escape(f"QR code linking to the full documentation at {url}")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def _html(ctx: PackageContext, r: Reader, limits: Limits) -> str:
    from securable.package.documents.templating import render

    info = ctx.product.product
    cards = (
        _support(r, limits),
        _updates(r, limits),
        _reporting(r, limits),
        _sensors(r, limits),
        _data(r, limits),
    )
    name = product_name(ctx.product)
    line = [
        f"Model {info.model}" if info and info.model else "",
        f"version {info.version}" if info and info.version else "",
    ]
    return render(
        "factsheet.html.j2",
        page_title=f"{name}: security fact sheet",
        description=f"Security fact sheet for {name}: support period, updates, reporting, sensors and data.",
        author=(info.manufacturer if info else None) or "",
        manufacturer=(info.manufacturer if info else None) or "",
        name=name,
        model_line=", ".join(p for p in line if p),
        issued=ctx.date,
        issued_text=long_date(ctx.date),
        cards=cards,
        qr=qr_svg(ctx.documentation_url),
        documentation_url=ctx.documentation_url,
        body_class=f"factsheet {limits.style}".strip(),
        page_size=page_size(ctx),
    )


def build_factsheet(ctx: PackageContext, *, pdf: bool = True) -> Part:
    reader = Reader(ctx.product)
    html = _html(ctx, reader, LAYOUTS[0])
    files = {HTML_NAME: html.encode("utf-8")}
    if pdf:
        from securable.package.documents import pdfrender

        def fitted() -> bytes:
            for limits in LAYOUTS:
                page_html = html if limits == LAYOUTS[0] else _html(ctx, Reader(ctx.product), limits)
                document = pdfrender.html_to_pdf(page_html, ctx.date)
                if pdfrender.page_count(document) == 1:
                    break
            return document

        # The fitting is decided by the first layout's HTML, which is factsheet.html: the PDF it
        # led to last time stands as long as that file is unchanged.
        document = ctx.renderings.pdf(PDF_NAME, html, fitted) if ctx.renderings is not None else fitted()
        files[PDF_NAME] = document
        files[PNG_NAME] = pdfrender.pdf_page_to_png(document, dpi=PNG_DPI)
    return Part(files=files, gaps=reader.gaps)
