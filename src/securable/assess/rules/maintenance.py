"""Maintenance and repair (SP 800-213A DOC-4; the Federal Profile's maintenance actions, FPN-MA and
FPN-DP-7).

What maintenance the device gets comes from `support.maintenance`. Files written before that field
existed leave it empty; for them the rules read the maintenance guidance and the support scope, and
say so in the finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import at, blank, mentions, says_none
from securable.assess.rules.retirement import ERASE
from securable.product.model import Maintenance, Product

_BASE = ("support", "maintenance")

# Units leaving the customer's premises for repair, read only when `support.maintenance` is not given.
OFFSITE = re.compile(
    r"\boff-?site\b|\brma\b|\bdepot\b|\breturn(?:ed|s)? (?:\w+ )?(?:to|for) (?:the )?"
    r"(?:manufacturer|factory|vendor|repair|service cent(?:er|re))|\b(?:sent|shipped|mailed) (?:back|in|to)"
    r"(?: \w+){0,3} (?:for )?(?:repair|service)|\bswap(?:ped)? (?:for|with) a (?:new|replacement)"
)
REMOTE = re.compile(
    r"\bremote(?:ly)? (?:maintenance|diagnos\w*|support|service|access|troubleshoot\w*)"
    r"|\bnon-?local maintenance\b|\b(?:diagnos\w*|maintenance|support) (?:is done |are done |done )?"
    r"remotely\b"
)
RECORDS = re.compile(r"\blog(?:s|ged|ging)?\b|\brecord|\breport|\baudit|\bticket|\bhistory\b")
MAINTENANCE_FIELD = "support.maintenance"


def _maintenance(product: Product) -> Maintenance | None:
    return product.support.maintenance if product.support is not None else None


def _texts(product: Product) -> list[str | None]:
    """Where files without `support.maintenance` describe maintenance."""
    texts: list[str | None] = []
    guidance = product.composition.guidance if product.composition is not None else None
    if guidance is not None:
        texts.append(guidance.maintenance)
    if product.support is not None:
        texts.append(product.support.support_scope)
    return texts


@rule(
    "MNT-001",
    "Units go offsite for repair without their data removed first",
    Severity.HIGH,
    section="4.2.5",
    questions=("Q4.2.5-1", "Q4.2.3-1"),
    elements=("sp800-213a:DOC-4.a.2.1", "federal-profile-2020:FPN-DP-7", "nistir-8259a:8259A-DP.2"),
)
def offsite_without_removal(product: Product, ctx: Context) -> Iterator[Hit]:
    """`support.maintenance.offsite_repair` is true and `data_removal_before_repair` is empty or says
    there is none; or, when `support.maintenance` is not given, the maintenance guidance or support
    scope mentions offsite repair (returned to the manufacturer, RMA, depot) without erasing data.

    A unit sent away for repair carries its data and keys to whoever repairs it: SP 800-213A
    DOC-4.a.2.1 asks manufacturers to tell customers "when and how to remove all data from IoT
    devices prior to removing the devices from facilities for offsite maintenance or repairs", and
    the Federal Profile makes it an agency policy (FPN-DP-7). Silence fires for the removal when
    offsite repair is stated. A device that collects no data (`composition.data_types: []`) is
    quiet.
    """
    if ctx.product.composition is not None and ctx.product.composition.data_types == ():
        return
    maintenance = _maintenance(product)
    if maintenance is not None:
        if maintenance.offsite_repair is not True:
            return
        removal = maintenance.data_removal_before_repair
        if not (blank(removal) or says_none(removal)):
            return
        said = "says there is none" if says_none(removal) else "is not described"
        yield Hit(
            f"units go offsite for repair, and removing the customer's data first {said}",
            "provide a way to erase data and keys before a unit leaves (service menu, factory reset "
            "the repair process checks), tell customers when and how to use it, and describe it in "
            "support.maintenance.data_removal_before_repair",
            at(product, (*_BASE, "data_removal_before_repair")),
        )
        return
    texts = _texts(product)
    if any(mentions(text, OFFSITE) for text in texts) and not any(mentions(t, ERASE) for t in texts):
        yield Hit(
            "units go offsite for repair, and nothing says how the customer's data is removed first "
            f"(read from the text: say it in {MAINTENANCE_FIELD}.offsite_repair and "
            "data_removal_before_repair to be sure)",
            "provide a way to erase data and keys before a unit leaves for repair and describe it in "
            "support.maintenance.data_removal_before_repair",
            at(product, ("composition", "guidance", "maintenance")) or ("support",),
        )


@rule(
    "MNT-002",
    "Remote maintenance without records for the customer",
    Severity.MEDIUM,
    section="4.2.3",
    questions=("Q4.2.3-1", "Q4.2.3-8"),
    elements=("sp800-213a:DOC-4.b.1.2", "sp800-213a:DOC-4.b.1.1", "federal-profile-2020:FPN-MA-6"),
)
def remote_without_records(product: Product, ctx: Context) -> Iterator[Hit]:
    """A `support.maintenance.activities` item of kind nonlocal has `records` empty or saying there
    are none; or, when `support.maintenance` is not given, the maintenance guidance or support scope
    mentions remote maintenance or diagnostics and no log, record or report of it.

    Whoever maintains a device over the network can change it; customers need the details
    "necessary for maintaining records for nonlocal IoT device maintenance and diagnostic
    activities" (SP 800-213A DOC-4.b.1.2), which the Federal Profile makes agency policy (FPN-MA-6).
    The message names who maintains and how often when the file says so. Silence fires for the
    records of stated remote maintenance: they are a detail no question tracks.
    """
    maintenance = _maintenance(product)
    if maintenance is not None:
        for index, activity in enumerate(maintenance.activities or ()):
            if activity.kind != "nonlocal" or not (blank(activity.records) or says_none(activity.records)):
                continue
            what = activity.what.strip() if activity.what and activity.what.strip() else "remote maintenance"
            details = [d for d in (activity.frequency, activity.performed_by) if d and d.strip()]
            extra = f" ({', '.join(details)})" if details else ""
            yield Hit(
                f"{what}{extra} is done remotely, and the customer gets no record of it",
                "give customers a record of every remote session (who, when, what was read or "
                "changed), e.g. in the console or their log server, and describe it in the activity's "
                "records",
                at(product, (*_BASE, "activities", index, "records")),
            )
        return
    texts = _texts(product)
    if any(mentions(text, REMOTE) for text in texts) and not any(mentions(t, RECORDS) for t in texts):
        yield Hit(
            "the device is maintained or diagnosed remotely, and nothing says what record of it the "
            f"customer gets (read from the text: say it in {MAINTENANCE_FIELD}.activities to be sure)",
            "give customers a record of every remote session (who, when, what was read or changed) "
            "and describe it in support.maintenance.activities[].records",
            at(product, ("composition", "guidance", "maintenance")) or ("support",),
        )


RULES: tuple[Rule, ...] = (offsite_without_removal, remote_without_records)
