"""Software updates (NISTIR 8259 4.2.4, 3.2 Q4, 3.3 robustness; 8259A Software Update)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import at, blank, mentions, says_none
from securable.product.model import Product, Updates

# Deliveries that pull the image over a network the device or the customer's phone sits on.
NETWORK_DELIVERY = frozenset({"over-the-air", "mobile-app", "web-portal", "related-device"})
# What gets an update through a poor network, read from `low_bandwidth` only when
# `poor_network_alternative` is not given: a text that only describes the network ("the 400 MB image
# is pushed over the congested hospital network") names none of these.
REMEDY = re.compile(
    r"\bdelta|\bdiff(?:erential)?\b|\bresum|\bschedul|\boff[- ]?peak|\bovernight|\bat night|"
    r"\bcompress|\bsmall(?:er)?\b|\bchunk|\bfragment|\bthrottl|\bbackground|\bmulticast|\bpeer|"
    r"\bcach(?:e|ed|ing)\b|\busb\b|\bremovable|\bsd[- ]?card|\btechnician|\bdock|\bunder \d|"
    r"\bfast\b|\bhigh[- ]bandwidth|\bwired\b|\bethernet\b|\bbandwidth (?:cap|limit)"
)


def _offered(product: Product) -> Updates | None:
    """The updates section, unless it says no updates are made (UPD-001 covers that case).

    An unanswered ``available`` does not count as "no": an answer about how updates are installed,
    verified or delivered says there are updates, and a half-written file must not hide it."""
    updates = product.updates
    return updates if updates is not None and updates.available is not False else None


@rule(
    "UPD-001",
    "No software updates",
    Severity.HIGH,
    section="4.2.4",
    questions=("Q4.2.4-1",),
    elements=("nistir-8259a:8259A-SU", "nistir-8259a:8259A-SU.1", "sp800-213a:SU-2.1"),
)
def no_updates(product: Product, ctx: Context) -> Iterator[Hit]:
    """`updates.available` is false.

    A device that cannot be updated keeps every vulnerability found after it ships; Software Update
    is one of the six capabilities of the NISTIR 8259A core baseline. Silence does not fire
    (QST-001 reports the open question).
    """
    if product.updates is not None and product.updates.available is False:
        yield Hit(
            "the device gets no software updates, so vulnerabilities found after release stay open for "
            "its whole life",
            "provide remote or local updates (8259A-SU.1) and set updates.available to true; if that is "
            "impossible, say in support.securable_after_support how customers mitigate unfixed flaws",
            ("updates", "available"),
        )


@rule(
    "UPD-002",
    "Updates installed without verification and authentication",
    Severity.HIGH,
    section="4.2.4",
    questions=("Q4.2.4-5", "Q3.3-2"),
    elements=("nistir-8259a:8259A-SU.2", "sp800-213a:SU-1.5", "sp800-213a:SU-2.2.1"),
)
def unverified_install(product: Product, ctx: Context) -> Iterator[Hit]:
    """`updates.authenticated_before_install` is false, unless `updates.available` is false.

    An update the device does not verify lets anyone who can reach the update path install their own
    firmware (NISTIR 8259 3.3: input validation "to confirm the legitimacy of an update"; 8259A-SU.2).
    Silence does not fire (QST-001 reports Q4.2.4-5). An unanswered `available` does not silence it:
    saying how updates are installed says there are updates; only `available: false` does, where
    UPD-001 reports the missing updates instead.
    """
    updates = _offered(product)
    if updates is not None and updates.authenticated_before_install is False:
        yield Hit(
            "the device installs updates without verifying and authenticating them, so anyone who can "
            "reach the update path can install their own firmware",
            "verify a code signature (or hash from an authenticated source) before every install, then "
            "set updates.authenticated_before_install to true",
            ("updates", "authenticated_before_install"),
        )


@rule(
    "UPD-003",
    "Customers cannot verify updates",
    Severity.MEDIUM,
    section="4.2.4",
    questions=("Q4.2.4-5", "Q3.4-6"),
    elements=("nistir-8259a:8259A-SU.2", "sp800-213a:SU-1.5", "sp800-213a:EA-1.d"),
)
def customers_cannot_verify(product: Product, ctx: Context) -> Iterator[Hit]:
    """`updates.verification` is an empty list, unless `updates.available` is false.

    NISTIR 8259 4.2.4 Q5 asks how customers can verify and authenticate updates (hash comparison,
    code signature validation, manufacturer software that does it for them); an explicit "none"
    leaves customers unable to tell a genuine update from a forged one. Silence does not fire
    (QST-001 reports Q4.2.4-5). An unanswered `available` does not silence it, as for UPD-002;
    `available: false` does.
    """
    updates = _offered(product)
    if updates is not None and updates.verification == ():
        yield Hit(
            "customers have no way to verify and authenticate updates",
            "publish signed images or their hashes, or let manufacturer software verify automatically, "
            "and list the ways in updates.verification (code-signature, hash-comparison, automatic)",
            ("updates", "verification"),
        )


@rule(
    "UPD-004",
    "No way back after a bad update",
    Severity.MEDIUM,
    section="3.3",
    questions=("Q3.3-2", "Q4.2.4-2"),
    elements=("nistir-8259a:8259A-SU.3", "sp800-213a:SU-2.1"),
)
def no_recovery(product: Product, ctx: Context) -> Iterator[Hit]:
    """`updates.available` is true, `updates.recovery` is empty or says there is none, no means has
    `robustness.update_reversion` rollback or both, and no means realizes 8259A-SU.3.

    NISTIR 8259 3.3 asks "how readily software updates can be reverted if a problem occurs"; a bad
    update without rollback or recovery bricks the device or leaves it broken. Silence fires:
    `recovery` is a detail no question tracks, and updates are explicitly offered.
    """
    updates = product.updates
    if updates is None or updates.available is not True:
        return
    if not (blank(updates.recovery) or says_none(updates.recovery)):
        return
    reverts = any(
        m.robustness is not None and m.robustness.update_reversion in ("rollback", "both")
        for m in product.means or ()
    )
    if reverts or ctx.realized(("nistir-8259a:8259A-SU.3",)):
        return
    said = "says there is none" if says_none(updates.recovery) else "is not described"
    yield Hit(
        f"recovery after a bad update {said}, and no means rolls updates back",
        "keep the previous image (A/B slots) or a recovery mode, describe it in updates.recovery, and "
        "set robustness.update_reversion of the update means to rollback or both",
        at(product, ("updates", "recovery")),
    )


@rule(
    "UPD-005",
    "Update mechanism ignores low-bandwidth or unreliable networks",
    Severity.MEDIUM,
    section="3.2",
    questions=("Q3.2-4", "Q4.2.4-3"),
    elements=("sp800-213a:SU-2.1", "nistir-8259a:8259A-SU.1"),
)
def ignores_bandwidth(product: Product, ctx: Context) -> Iterator[Hit]:
    """Updates are delivered over a network (over-the-air, mobile app, web portal, related device)
    and `updates.poor_network_alternative` is false; or, when that is not given, `updates.low_bandwidth`
    is empty, says nothing is done, or names no remedy (delta or resumable downloads, scheduling,
    another delivery path, ...).

    NISTIR 8259 3.2 Q4: on low-bandwidth or unreliable networks large updates "might saturate the
    network connection ... and take too long to get updates to the device"; smaller or resumable
    updates, or another delivery path, are needed. `poor_network_alternative` decides over the text:
    true keeps the rule quiet, false makes it fire however the text reads. A text that only
    describes the problem ("a 400 MB image pushed over the congested hospital network") names no
    remedy, and the finding says it was read from the text. Silence fires: `low_bandwidth` is a
    detail no question tracks. A device on fast wired networks says so in the field.
    """
    updates = _offered(product)
    if updates is None or NETWORK_DELIVERY.isdisjoint(updates.delivery or ()):
        return
    stated = updates.poor_network_alternative
    if stated is True:
        return
    text = updates.low_bandwidth
    read = ""
    if stated is None and not (blank(text) or says_none(text)):
        if mentions(text, REMEDY):
            return
        read = (
            " (read from the text, which names no remedy: say it in "
            "updates.poor_network_alternative to be sure)"
        )
    ways = ", ".join(d for d in updates.delivery or () if d in NETWORK_DELIVERY)
    size = f"{updates.image_size_mb:g} MB " if updates.image_size_mb is not None else ""
    only = " only" if set(updates.delivery or ()) <= NETWORK_DELIVERY else ""
    if stated is False:
        path: tuple[str, ...] = ("updates", "poor_network_alternative")
    elif text is not None:
        path = ("updates", "low_bandwidth")
    else:
        path = ("updates", "delivery")
    yield Hit(
        f"{size}update images are delivered{only} over the network ({ways}), but nothing gets them to "
        f"devices on slow, metered or congested connections{read}",
        "offer a way around poor networks (small or delta images, resumable downloads, scheduling, "
        "another delivery path such as local media), describe it in updates.low_bandwidth and set "
        "updates.poor_network_alternative to true, or say why the networks are never slow",
        path,
    )


@rule(
    "UPD-006",
    "Customers must install updates but are not told about them",
    Severity.MEDIUM,
    section="4.2.4",
    questions=("Q4.2.4-3", "Q4.2.4-4"),
    elements=("nistir-8259a:8259A-SU.6", "sp800-213a:IDS-1.a", "nistir-8259b:8259B-IDS"),
)
def customer_not_notified(product: Product, ctx: Context) -> Iterator[Hit]:
    """`updates.responsible` is customer or customer-chooses, and `updates.notification` is empty or
    says there is none.

    When the customer performs updates, an update nobody hears about is never installed (NISTIR 8259
    4.2.4 Q3, Q4; 8259A-SU.6). Silence fires here: the combination, not the open question, is the
    risk.
    """
    updates = _offered(product)
    if updates is None or updates.responsible not in ("customer", "customer-chooses"):
        return
    if blank(updates.notification) or says_none(updates.notification):
        yield Hit(
            f"updates are the customer's job ({updates.responsible}), but customers are not told when "
            "one is available",
            "notify customers of available and required updates (app, email, device display) and "
            "describe it in updates.notification",
            ("updates", "notification") if updates.notification is not None else ("updates", "responsible"),
        )


RULES: tuple[Rule, ...] = (
    no_updates,
    unverified_install,
    customers_cannot_verify,
    no_recovery,
    ignores_bandwidth,
    customer_not_notified,
)
