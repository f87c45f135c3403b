"""Communicating with customers (NISTIR 8259 4.1): verifiable information, working channels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path, at, blank, says_none
from securable.product.model import ContactChannel, Product

# How long a channel test stays good: the test shows the channel worked then, not now.
RETEST = timedelta(days=365)


def _channels(product: Product) -> Iterator[tuple[Path, ContactChannel]]:
    """Every way to reach the manufacturer: audience contacts and vulnerability-reporting channels."""
    for i, audience in enumerate(product.audiences or ()):
        for j, channel in enumerate(audience.contact or ()):
            yield ("audiences", i, "contact", j), channel
    reporting = product.support.vulnerability_reporting if product.support else None
    for j, channel in enumerate((reporting.channels if reporting else None) or ()):
        yield ("support", "vulnerability_reporting", "channels", j), channel


def _name(channel: ContactChannel) -> str:
    return channel.address or channel.kind or "a contact channel"


@rule(
    "COM-001",
    "Customer communications whose integrity cannot be verified",
    Severity.MEDIUM,
    section="4.1",
    questions=("Q4.1-4",),
    elements=("sp800-213a:IDS-1", "nistir-8259b:8259B-IDS"),
)
def unverifiable_information(product: Product, ctx: Context) -> Iterator[Hit]:
    """An audience's `integrity` says the information cannot be verified (none, no, cannot ...), or
    is not given while the audience gets information by email.

    NISTIR 8259 4.1 Q4: "For some methods of providing information, such as emails, customers may
    want a way to determine if the information is legitimate (e.g., not a social engineering
    attempt)." Silence fires only for email, the channel the guidance names; otherwise the open
    question is QST-001's.
    """
    for index, audience in enumerate(product.audiences or ()):
        by_email = any(c.kind == "email" for c in audience.channels or ())
        if says_none(audience.integrity) or (blank(audience.integrity) and by_email):
            why = (
                "it gets information by email, and the file does not say how it can tell a genuine "
                "message from a phishing one"
                if blank(audience.integrity)
                else f"integrity says {audience.integrity!r}"
            )
            yield Hit(
                f"audience '{audience.name or audience.id}' cannot check that information is genuine: {why}",
                "sign documents and advisories (PGP, S/MIME, signed PDF), publish on HTTPS, never ask "
                f"for credentials by email, and describe it in audiences[{index}].integrity",
                at(product, ("audiences", index, "integrity")),
            )


@rule(
    "COM-002",
    "Contact channel not tested",
    Severity.MEDIUM,
    section="4.1",
    questions=("Q4.1-5", "Q4.2.2-4"),
    elements=("sp800-213a:IQR-2", "nistir-8259b:8259B-IQR"),
)
def untested_channel(product: Product, ctx: Context) -> Iterator[Hit]:
    """A contact or vulnerability-reporting channel has `tested: false`.

    NISTIR 8259 4.1 Q5: "The functionality, usability, and efficacy of the communication channels
    from customer to manufacturer should be tested by the manufacturer to ensure customers and
    others (e.g., security researchers) can make use of the channels." Silence does not fire
    (`tested` answers Q4.1-5, which QST-001 reports).
    """
    for path, channel in _channels(product):
        if channel.tested is False:
            yield Hit(
                f"the channel {_name(channel)!r} ({channel.purpose or channel.kind or 'contact'}) is not "
                "tested, so customers and researchers may be writing into a void",
                "test that messages arrive and get answered, then set tested to true and last_tested",
                (*path, "tested"),
            )


@rule(
    "COM-003",
    "Contact channels last tested more than a year ago",
    Severity.LOW,
    section="4.1",
    questions=("Q4.1-5",),
    elements=("sp800-213a:IQR-2", "nistir-8259b:8259B-IQR"),
)
def stale_channel_test(product: Product, ctx: Context) -> Iterator[Hit]:
    """A contact or vulnerability-reporting channel's `last_tested` is more than 365 days before the
    assessment date.

    Addresses, forms and phone menus change; a test shows the channel worked then (NISTIR 8259 4.1
    Q5). One finding lists every stale channel, at the first, since they are fixed by one round of
    tests. Silence does not fire.
    """
    stale = [
        (path, channel)
        for path, channel in _channels(product)
        if channel.last_tested is not None and ctx.today - channel.last_tested > RETEST
    ]
    if not stale:
        return
    listed = ", ".join(f"{_name(c)!r} ({c.last_tested})" for _, c in stale)
    yield Hit(
        f"{len(stale)} contact channel(s) were last tested more than a year before {ctx.today}: {listed}",
        "test the channels again and update last_tested",
        (*stale[0][0], "last_tested"),
        tuple((*path, "last_tested") for path, _ in stale[1:]),
    )


RULES: tuple[Rule, ...] = (unverifiable_information, untested_channel, stale_channel_test)
