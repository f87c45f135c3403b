"""Event logging (SP 800-213A CSA-4; 8259A Cybersecurity State Awareness).

What the device logs, where the logs go and in which format come from `composition.logging`; the
rules say nothing about files that leave it out (there was no text to read before the field).
"""

from __future__ import annotations

from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import blank
from securable.product.model import EventLogging, Product

_BASE = ("composition", "logging")


def _logging(product: Product) -> EventLogging | None:
    return product.composition.logging if product.composition is not None else None


@rule(
    "LOG-001",
    "The device logs no events",
    Severity.MEDIUM,
    section="4.2.3",
    questions=("Q4.2.3-1", "Q3.2-2"),
    elements=("nistir-8259a:8259A-CSA.1", "sp800-213a:CSA-4.1", "sp800-213a:CSA-4.1.3"),
)
def logs_nothing(product: Product, ctx: Context) -> Iterator[Hit]:
    """`composition.logging.events` is an empty list.

    Without logs, customers cannot tell a sign-in by an attacker from one by staff, nor investigate
    an incident (NISTIR 8259 3.2 Q2 asks how customers monitor the device; SP 800-213A CSA-4.1: "the
    device can generate audit logs for defined events"). Silence does not fire.
    """
    logging = _logging(product)
    if logging is not None and logging.events == ():
        yield Hit(
            "the device logs no events, so misuse and attacks leave no trace customers can review",
            "log security events (sign-ins and failures, configuration changes, updates, tamper) and "
            "list them in composition.logging.events",
            (*_BASE, "events"),
        )


@rule(
    "LOG-002",
    "Only the manufacturer sees the device's logs",
    Severity.LOW,
    section="4.2.3",
    questions=("Q4.2.3-1", "Q4.2.3-8"),
    elements=("sp800-213a:CSA-4", "sp800-213a:DOC-4.b.1.1"),
)
def manufacturer_only(product: Product, ctx: Context) -> Iterator[Hit]:
    """The device logs events and `composition.logging.destinations` names only the manufacturer.

    Customers who cannot read the logs cannot monitor their own devices (NISTIR 8259 3.2 Q2); the
    manufacturer holding them alone is also a party with access to data (4.2.3 Q8). Silence does
    not fire.
    """
    logging = _logging(product)
    if logging is None or logging.events == () or not logging.destinations:
        return
    if set(logging.destinations) == {"manufacturer"}:
        yield Hit(
            "the device's logs go only to the manufacturer; customers cannot review them",
            "let customers read the logs (on the device, in the app or console, or sent to their log "
            "server) and add that place to composition.logging.destinations",
            (*_BASE, "destinations"),
        )


@rule(
    "LOG-003",
    "Logs sent to the customer's log server in an unstated format",
    Severity.LOW,
    section="4.2.3",
    questions=("Q4.2.3-1", "Q4.2.3-5"),
    elements=("sp800-213a:CSA-4", "sp800-213a:DOC-4.b.1.1"),
)
def format_not_stated(product: Product, ctx: Context) -> Iterator[Hit]:
    """`composition.logging.destinations` includes customer-log-server and `format` is empty.

    An enterprise customer's SIEM has to parse what the device sends; the format (syslog RFC 5424,
    CEF, JSON) decides whether it can (NISTIR 8259 4.2.3 Q5: operational characteristics customers
    need to secure the device). Silence fires once logs go to the customer: the format is a detail
    no question tracks.
    """
    logging = _logging(product)
    if logging is None or "customer-log-server" not in (logging.destinations or ()):
        return
    if blank(logging.format):
        yield Hit(
            "the device sends logs to the customer's log server, but the file does not say in which format",
            "name the log format and transport (e.g. syslog RFC 5424 over TLS, CEF) in "
            "composition.logging.format",
            (*_BASE, "format") if logging.format is not None else (*_BASE, "destinations"),
        )


RULES: tuple[Rule, ...] = (logs_nothing, manufacturer_only, format_not_stated)
