"""Sections both levels of customer document share: contacting the manufacturer (Activity 5),
reporting a security problem (4.2.2) and who provides which protection (4.2.6)."""

from __future__ import annotations

from securable.package.documents.answers import Reader, show
from securable.package.documents.view import Block, Bullets, Facts, Inline, Para, Section, Table, table
from securable.package.documents.wording import CHANNEL_KIND, INFO_KIND, LOCKOUT, MEANS_KIND_TITLE, yes_no
from securable.product.model import Audience, DataType, MeansKind, Product, UseCase

# Which NISTIR 8259 question asks about each kind of provider (4.2.6 questions 1a to 3).
_KIND_QUESTION: dict[MeansKind, str] = {
    "device": "Q4.2.6-1.a",
    "related-device": "Q4.2.6-1.b",
    "service": "Q4.2.6-1.c",
    "non-technical": "Q4.2.6-2",
    "customer": "Q4.2.6-3",
}


def contact(r: Reader, audience: Audience | None, index: int) -> Section:
    """Where this audience finds security information, how it checks it, and how it reaches us."""
    if audience is None:
        return Section("contact", "Finding information and contacting the manufacturer", ())
    where = ("audiences", index)
    channels = tuple(
        f"{INFO_KIND.get(c.kind or '', 'Elsewhere')}: {c.location}"
        if c.location
        else INFO_KIND.get(c.kind or "", "")
        for c in audience.channels or ()
    )
    facts: list[tuple[str, Inline]] = []
    if channels:
        facts.append(("Where to find security information", "; ".join(channels)))
    integrity = r.item(audience, "integrity", where, "audiences[].integrity")
    facts.append(("How to tell that information is genuine", integrity))
    blocks: list[Block] = [Facts(tuple(facts))]
    rows = tuple(
        (c.address or "Not stated", CHANNEL_KIND.get(c.kind or "", ""), c.purpose or "")
        for c in audience.contact or ()
    )
    if rows:
        blocks.append(table("How to reach the manufacturer", ("Address", "Channel", "Purpose"), rows))
    else:
        blocks.append(Para(r.item(audience, "contact", where, "audiences[].contact")))
    return Section("contact", "Finding information and contacting the manufacturer", tuple(blocks))


def reporting(r: Reader, *, full: bool) -> Section:
    """How to report a security problem (4.2.2 question 4); the full document adds the policy terms."""
    v = "support.vulnerability_reporting."
    reporting_ = r.product.support.vulnerability_reporting if r.product.support else None
    channels = reporting_.channels if reporting_ else None
    rows = tuple(
        (c.address or "Not stated", CHANNEL_KIND.get(c.kind or "", ""), c.purpose or "")
        for c in channels or ()
    )
    security_contact = r.product.product.security_contact if r.product.product else None
    blocks: list[Block] = []
    if rows:
        blocks.append(table("Where to report security problems", ("Address", "Channel", "Purpose"), rows))
    elif security_contact:
        # The product's security contact tells customers where to report, which is what they need.
        blocks.append(Facts((("Security contact", security_contact),)))
    else:
        blocks.append(Para(r.text(v + "channels")))
    items: tuple[tuple[str, Inline], ...] = (
        ("Disclosure policy", r.text(v + "policy_url")),
        ("Reports accepted after support ends", r.text(v + "accepted_after_support_end")),
        ("Reports accepted after end of life", r.text(v + "accepted_after_end_of_life")),
    )
    if full:
        blocks.append(Facts(items))
    return Section("reporting", "Reporting a security problem", tuple(blocks))


def _provider(kind: MeansKind, name: str | None, provider: str | None) -> str:
    if kind in ("device", "customer"):
        return ""  # the heading already says who; an empty column is left out
    return name or {"manufacturer": "The manufacturer", "third-party": "A third party"}.get(
        provider or "", "Not stated"
    )


def means(r: Reader, title: str) -> Section:
    """One table per kind of provider, each means with its effect on risk (4.2.6) and, where it
    authenticates, what repeated failed attempts do (a column only tables that need it get)."""
    children = []
    for kind, question in _KIND_QUESTION.items():
        rows = []
        for index, m in enumerate(r.product.means or ()):
            if m.kind != kind:
                continue
            effect = r.item(m, "risk_effect", ("means", index), "means[].risk_effect", name=m.title or m.id)
            status = " (partly in place)" if m.status == "partial" else ""
            rows.append(
                (
                    f"{m.title or m.id}{status}",
                    _provider(kind, m.provider_name, m.provider),
                    effect,
                    LOCKOUT[m.lockout] if m.lockout is not None else "",
                )
            )
        if rows:
            blocks: tuple[Block, ...] = (
                table(
                    MEANS_KIND_TITLE[kind],
                    ("Protection", "Provided by", "Effect on risk", "After repeated failed authentication"),
                    tuple(rows),
                    caption_visible=False,
                ),
            )
        else:
            reason = r.not_applicable((question,))
            text = f"Does not apply: {reason}" if reason else r.gap(f"means.{kind}", ("means",), (question,))
            blocks = (Para(text),)
        children.append(Section(f"means-{kind}", MEANS_KIND_TITLE[kind], blocks))
    intro = Para(
        "Some protections are built into the device, some come from related devices, services or the "
        "manufacturer's support, and some are up to you. Each entry says how it is expected to affect risk."
    )
    return Section("means", title, (intro,), tuple(children))


def list_or_gap(r: Reader, path: str, block: Bullets | Table) -> Block:
    """``block`` when the list at ``path`` has items; else ``None`` for an explicit empty list, or the
    statement that the manufacturer has not said."""
    has_items = bool(block.items if isinstance(block, Bullets) else block.rows)
    return block if has_items else Para(r.text(path))


def data_access(r: Reader) -> list[tuple[DataType, Inline]]:
    """Each data type with the names of the parties that can access it (4.2.3 question 7)."""
    c = r.product.composition
    parties = {p.id: p.name or p.id for p in (c.parties if c else None) or ()}

    def names(ids: tuple[str, ...]) -> str:
        return show(tuple(parties.get(i, i) for i in ids)) if ids else "nobody"

    found: list[tuple[DataType, Inline]] = []
    for index, d in enumerate((c.data_types if c else None) or ()):
        where = ("composition", "data_types", index)
        schema = "composition.data_types[].accessible_by"
        found.append((d, r.item(d, "accessible_by", where, schema, fmt=names, name=d.name or d.id)))
    return found


def audience_use_cases(product: Product, audience: Audience | None) -> tuple[UseCase, ...]:
    """The use cases whose customers the audience belongs to; all of them when none names it, as a
    document should rather say too much than leave its readers' use out."""
    cases = product.use_cases or ()
    if audience is not None:
        own = tuple(c for c in cases if audience.id in (c.audiences or ()))
        if own:
            return own
    return cases


def physical_facts(case: UseCase, labels: tuple[str, str, str]) -> tuple[tuple[str, Inline], ...]:
    """The use case's answers on acting in the physical world, being safety-critical and behaving in
    a degraded state, under ``labels`` (each document words them for its readers); only those given."""
    research = case.research
    if research is None:
        return ()
    actuates, critical, degraded = labels
    items: list[tuple[str, Inline]] = []
    if research.actuates is not None:
        items.append((actuates, yes_no(research.actuates)))
    if research.safety_critical is not None:
        items.append((critical, yes_no(research.safety_critical)))
    if research.degraded_behaviour:
        items.append((degraded, research.degraded_behaviour))
    return tuple(items)


def period_of_use(case: UseCase) -> str:
    """How long customers use the device: the manufacturer's words, else the years; "" for neither."""
    if case.period_of_use:
        return case.period_of_use.strip()
    span = case.period_of_use_years
    return span.words() if span is not None else ""
