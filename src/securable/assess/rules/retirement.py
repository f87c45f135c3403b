"""Retirement and transfer of ownership (NISTIR 8259 4.2.5; 8259A-DP.2 render data inaccessible)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import affirms, at, blank, label, mentions, off_device, says_none
from securable.product.model import DataType, OwnershipTransfer, Product

ERASE = re.compile(
    r"\berase|\bwipe|\bdelet|\bfactory[- ]reset|\breset\b|\bsaniti[sz]|\bpurg|\bdestroy|\bshred|"
    r"\bcrypto(?:graphic)?[- ]?eras"
)
ERASE_ELEMENTS = ("nistir-8259a:8259A-DP.2", "sp800-213a:DP-3.3")
# Words that show the removal reaches associated systems (4.2.5 Q1: "e.g., cloud-based services").
ASSOCIATED = re.compile(
    r"\bcloud|\baccount|\bapp\b|\bonline\b|\bserver|\bservice|\bremote|\bportal|\bbackend"
)


PLACE_WORDS = {
    "device": "the device",
    "related-device": "a related device",
    "manufacturer-cloud": "the manufacturer's cloud",
    "third-party": "a third party",
}
PLACES_FIELDS = "composition.data_types[].places and removed_from"


def _transfer(product: Product) -> OwnershipTransfer | None:
    return product.retirement.ownership_transfer if product.retirement else None


# A related device (the customer's hub, gateway or phone app) stays with the customer when the device
# is passed on or retired, so a copy there reaches nobody new; the other places do.
_LEAVES_WITH = ("device", "manufacturer-cloud", "third-party")


def _missed(data: DataType) -> tuple[str, ...]:
    """The places of ``data`` that its removal does not reach and that others may get at after the
    device is passed on or retired, when both fields are given."""
    if data.places is None or data.removed_from is None:
        return ()
    return tuple(p for p in data.places if p in _LEAVES_WITH and p not in data.removed_from)


@rule(
    "RET-001",
    "Ownership transfer without a way to remove data",
    Severity.HIGH,
    section="4.2.5",
    questions=("Q4.2.5-1",),
    elements=("nistir-8259a:8259A-DP.2", "sp800-213a:EA-2", "sp800-213a:DOC-4.a"),
)
def transfer_without_removal(product: Product, ctx: Context) -> Iterator[Hit]:
    """`retirement.ownership_transfer.data_removal` says there is no way, or is empty while
    `supported` is true.

    NISTIR 8259 4.2.5 Q1: customers who pass a device on need to know "what ... to do so their user
    and configuration data on the device and associated systems ... are not accessible by the party
    who assumes ownership". Silence fires when transfer is supported: a yes without the how leaves
    the next owner with the data. When `supported` is not given, QST-001 reports the open question.
    """
    transfer = _transfer(product)
    if transfer is None:
        return
    if says_none(transfer.data_removal) or (transfer.supported is True and blank(transfer.data_removal)):
        yield Hit(
            "customers can pass the device on, but there is no way to remove their data first",
            "provide a reset that erases user and configuration data on the device and in associated "
            "services, and describe it in retirement.ownership_transfer.data_removal",
            at(product, ("retirement", "ownership_transfer", "data_removal")),
        )


@rule(
    "RET-002",
    "No way to render data inaccessible at retirement",
    Severity.MEDIUM,
    section="4.2.5",
    questions=("Q4.2.5-1", "Q4.2.5-2"),
    elements=(*ERASE_ELEMENTS, "sp800-213a:EA-2.a"),
)
def no_data_erasure(product: Product, ctx: Context) -> Iterator[Hit]:
    """The device collects data (`composition.data_types` is not empty) and every data type's
    `removed_from` is an empty list; or, when no data type says where its removal reaches, no means
    realizes 8259A-DP.2 or SP 800-213A DP-3.3, and neither `ownership_transfer.data_removal` nor
    `render_inoperable.how` mentions erasing, wiping, deleting, resetting or destroying.

    Rendering all data inaccessible is a core-baseline capability (8259A-DP.2) and what makes
    retirement and resale safe (4.2.5). A `removed_from` that names any place keeps the rule quiet,
    whatever the text says; `removed_from: []` on every data type makes it fire even when a means
    cites 8259A-DP.2. Silence fires: it is the absence of any erasure anywhere in the file that
    matters.
    """
    if not ctx.data_types:
        return
    removals = [d.removed_from for _, d in ctx.data_types if d.removed_from is not None]
    if any(removals):
        return
    if len(removals) == len(ctx.data_types) and any(d.places for _, d in ctx.data_types):
        yield Hit(
            f"the device collects {len(ctx.data_types)} data type(s), and removed_from says nothing "
            "erases any of them when the device is retired or passed on",
            "provide a way to render all data inaccessible (factory reset that erases keys and data, "
            "account deletion in the cloud), list where it reaches in each data type's removed_from, "
            "and add nistir-8259a:8259A-DP.2 to the means that provides it",
            ("composition", "data_types"),
        )
        return
    if ctx.realized(ERASE_ELEMENTS):
        return
    retirement = product.retirement
    texts = []
    if retirement is not None:
        if retirement.ownership_transfer is not None:
            texts.append(retirement.ownership_transfer.data_removal)
        if retirement.render_inoperable is not None:
            texts.append(retirement.render_inoperable.how)
    if any(mentions(text, ERASE) for text in texts):
        return
    yield Hit(
        f"the device collects {len(ctx.data_types)} data type(s), but nothing in the file erases them "
        "when the device is retired or passed on",
        "provide a way to render all data inaccessible (factory reset that erases keys and data), "
        "describe it under retirement, and add nistir-8259a:8259A-DP.2 to the means that provides it",
        at(product, ("retirement",)) or ("composition", "data_types"),
    )


@rule(
    "RET-003",
    "Data removal misses places where data is kept",
    Severity.MEDIUM,
    section="4.2.5",
    questions=("Q4.2.5-1", "Q4.2.3-7"),
    elements=("sp800-213a:DOC-4.a", "sp800-213a:EA-2.a"),
)
def removal_misses_services(product: Product, ctx: Context) -> Iterator[Hit]:
    """A data type's `places` names a place its `removed_from` leaves out (the manufacturer's cloud,
    a third party, the device itself); or, for data types without those fields,
    some data is kept off the device (its `stored` names a cloud, app, phone or server) and
    `ownership_transfer.data_removal` describes a removal that never says it reaches a cloud,
    account, app, service or other associated system.

    NISTIR 8259 4.2.5 Q1 asks about data "on the device and associated systems (e.g., cloud-based
    services used by the device)"; a factory reset alone leaves the cloud copy to the next owner.
    The fields decide for their data types. A copy on a related device (the customer's hub, gateway
    or phone app) is not reported: it stays with the customer when the device is passed on. The
    text fallback reads whole clauses: "recordings
    already in the cloud are not deleted by the reset" names the cloud but does not reach it, and
    the finding says it was read from the text. A data type whose `removed_from` is [] while every
    other one's is too is RET-002's. Silence does not fire (RET-001 and QST-001 cover an empty
    answer).
    """
    nothing_removed = all(d.removed_from == () for _, d in ctx.data_types)
    for index, data in ctx.data_types:
        missed = _missed(data)
        if missed and not (nothing_removed and data.removed_from == ()):
            reached = ", ".join(PLACE_WORDS[p] for p in data.removed_from or ()) or "nowhere"
            yield Hit(
                f"{label(data.name, repr(data.id))} is kept on "
                + ", ".join(PLACE_WORDS[p] for p in missed)
                + f", which data removal does not reach (it reaches {reached})",
                "extend the removal to every place the data is kept (e.g. delete the cloud copy when "
                "the device is reset or removed from the account) and add the place to removed_from, "
                "or tell customers how to remove it there themselves",
                ("composition", "data_types", index, "removed_from"),
                (("composition", "data_types", index, "places"),),
            )
    transfer = _transfer(product)
    if transfer is None or blank(transfer.data_removal) or says_none(transfer.data_removal):
        return
    away = [(i, d) for i, d in ctx.data_types if d.removed_from is None and off_device(d)]
    if away and not affirms(transfer.data_removal, ASSOCIATED):
        names = "; ".join(label(d.name, repr(d.id)) for _, d in away)
        yield Hit(
            f"data removal covers the device only, but some data is also kept elsewhere: {names} "
            f"(read from the text: say it in {PLACES_FIELDS} to be sure)",
            "say how customers remove that data from the cloud service, app or account too (e.g. "
            "remove the device from the account, delete the account)",
            ("retirement", "ownership_transfer", "data_removal"),
            tuple(("composition", "data_types", i, "stored") for i, _ in away),
        )


RULES: tuple[Rule, ...] = (transfer_without_removal, no_data_erasure, removal_misses_services)
