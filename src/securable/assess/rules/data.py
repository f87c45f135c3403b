"""Sensitive data (NISTIR 8259 3.2 Q5, 4.2.3 Q7; 8259A Data Protection).

Sensitive means personal, health, audio, video, location and credentials (see
:data:`~securable.assess.rules.reading.SENSITIVE`).
"""

from __future__ import annotations

from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import label, off_device
from securable.product.model import DataType, Product

_BASE = ("composition", "data_types")


def _name(data: DataType) -> str:
    return label(data.name, f"data type '{data.id}'") + f" ({data.category})"


def _stored(data: DataType) -> bool:
    """Kept somewhere, or not said: only an explicit empty ``stored`` list means it is never kept."""
    return data.stored != ()


def _travels(data: DataType) -> bool:
    """Leaves the device, or not said: only places all on the device mean it never travels."""
    return off_device(data) is not False


@rule(
    "DAT-001",
    "Sensitive data stored without protection",
    Severity.HIGH,
    section="4.2.3",
    questions=("Q4.2.3-7", "Q3.2-5"),
    elements=("nistir-8259a:8259A-DP.1", "sp800-213a:DP-3.1", "sp800-213a:DP-3.2"),
)
def unprotected_at_rest(product: Product, ctx: Context) -> Iterator[Hit]:
    """A sensitive data type has `protected_at_rest: false` and is stored somewhere (`stored` is not
    an empty list).

    Stolen devices, SD cards and breached cloud stores expose whatever is kept in the clear (NISTIR
    8259 3.2 Q5; 8259A-DP.1). Silence is DAT-003's.
    """
    for index, data in ctx.sensitive_data:
        if data.protected_at_rest is False and _stored(data):
            places = ", ".join(data.stored or ()) or "where it is kept"
            yield Hit(
                f"{_name(data)} is stored without protection ({places})",
                "encrypt it where it is stored (standard cryptography, keys out of reach) and set "
                "protected_at_rest to true, or stop storing it (stored: [])",
                (*_BASE, index, "protected_at_rest"),
            )


@rule(
    "DAT-002",
    "Sensitive data sent without protection",
    Severity.HIGH,
    section="4.2.3",
    questions=("Q4.2.3-7", "Q3.2-5"),
    elements=("nistir-8259a:8259A-DP.1", "sp800-213a:DP-4.2", "sp800-213a:DP-4.3"),
)
def unprotected_in_transit(product: Product, ctx: Context) -> Iterator[Hit]:
    """A sensitive data type has `protected_in_transit: false` and leaves the device (`places` names
    a place other than the device; when `places` is not given, `stored` names a place off the device
    or is not given either).

    Anyone on the path can read or change it (8259A-DP.1, SP 800-213A DP-4). Data kept only on the
    device never travels, so `false` is harmless there. A place that names another system (cloud,
    app, phone, server, service, backend, portal, hosted ...) is off the device even when it also
    says "device" or "local" ("hospital server on the local network"). Silence is DAT-003's.
    """
    for index, data in ctx.sensitive_data:
        if data.protected_in_transit is False and _travels(data):
            leaves = "leaves" if off_device(data) else "may leave (its stored places are not given)"
            yield Hit(
                f"{_name(data)} {leaves} the device without protection in transit",
                "send it only over authenticated, encrypted channels (e.g. TLS 1.3) and set "
                "protected_in_transit to true",
                (*_BASE, index, "protected_in_transit"),
            )


@rule(
    "DAT-003",
    "Protection of sensitive data not stated",
    Severity.MEDIUM,
    section="4.2.3",
    questions=("Q4.2.3-7", "Q3.3-2"),
    elements=("nistir-8259a:8259A-DP.1", "sp800-213a:DOC-1.d"),
)
def protection_not_stated(product: Product, ctx: Context) -> Iterator[Hit]:
    """A sensitive data type leaves `protected_at_rest` (while stored) or `protected_in_transit`
    (while it travels) unset.

    Silence fires: the two fields are details that no question tracks, so the open-questions rule
    would never report them, and for sensitive data "not said" is the answer customers fear most.
    """
    for index, data in ctx.sensitive_data:
        missing = []
        if data.protected_at_rest is None and _stored(data):
            missing.append("protected_at_rest")
        if data.protected_in_transit is None and _travels(data):
            missing.append("protected_in_transit")
        if missing:
            yield Hit(
                f"the file does not say whether {_name(data)} is protected "
                + (" or ".join(f.removeprefix("protected_").replace("_", " ") for f in missing)),
                f"set {' and '.join(missing)} to true or false for data type '{data.id}'",
                (*_BASE, index),
            )


@rule(
    "DAT-004",
    "Sensitive data without saying who can access it",
    Severity.MEDIUM,
    section="4.2.3",
    questions=("Q4.2.3-7", "Q4.2.3-8"),
    elements=("sp800-213a:DOC-1.h", "nistir-8259b:8259B-DOC"),
)
def access_not_stated(product: Product, ctx: Context) -> Iterator[Hit]:
    """A sensitive data type has no `accessible_by` list.

    NISTIR 8259 4.2.3 Q7 asks for "the identities of all parties (including the manufacturer) that
    can access that data", e.g. whether voice or location data is used by others for analytics.
    Silence fires, and only silence (an empty list says nobody can): the open question Q4.2.3-7
    names no data type, this rule names the sensitive one.
    """
    for index, data in ctx.sensitive_data:
        if data.accessible_by is None:
            yield Hit(
                f"the file does not say who can access {_name(data)}",
                f"list the parties (composition.parties IDs) that can access '{data.id}' in its "
                "accessible_by, or [] if nobody but the device can",
                (*_BASE, index),
            )


RULES: tuple[Rule, ...] = (
    unprotected_at_rest,
    unprotected_in_transit,
    protection_not_stated,
    access_not_stated,
)
