"""Unneeded capabilities and interfaces (NISTIR 8259 3.4 Q4; 8259A Logical Access to Interfaces)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path, blank, label, mentions, says_none
from securable.product.model import Product, UnneededCapability

_BASE = ("support_planning", "unneeded_capabilities")

# Places where strangers can touch the device (NISTIR 8259 3.2 Q2: "a vending machine in a public
# place ... highly susceptible to physical attack"; 3.4 Q4: interfaces "exposed to possible attack").
EXPOSED = re.compile(
    r"\bpublic\b|\boutdoors?\b|\boutside\b|\bunattended\b|\bstreets?\b|\broadside\b|\bexposed\b|"
    r"\bwithin (?:easy )?reach\b|\bshared (?:spaces?|areas?|premises)\b|\blobb(?:y|ies)\b|"
    r"\bparking\b|\bremote sites?\b"
)


def _capabilities(product: Product) -> Iterator[tuple[int, UnneededCapability]]:
    planning = product.support_planning
    yield from enumerate((planning.unneeded_capabilities if planning else None) or ())


def _cannot_disable(capability: UnneededCapability) -> bool:
    return says_none(capability.how_disabled)


def _name(capability: UnneededCapability) -> str:
    return label(capability.name, f"an unneeded {capability.kind or 'capability'}")


@rule(
    "IFC-001",
    "Unneeded local interface enabled on a device in a public or exposed place",
    Severity.HIGH,
    section="3.4",
    questions=("Q3.4-4", "Q3.1-5", "Q4.2.1-3"),
    elements=("nistir-8259a:8259A-LAI.1", "sp800-213a:LAI-9.3", "sp800-213a:DS-5.7"),
)
def exposed_local_interface(product: Product, ctx: Context) -> Iterator[Hit]:
    """A use case's `environments` mention a public or physically exposed place (public, outdoors,
    unattended, within reach, ...) and an unneeded capability of kind local-interface is enabled by
    default or cannot be disabled.

    NISTIR 8259 3.4 Q4 names exactly this case: local interfaces on the housing of a device "deployed
    in public areas by some expected customers, where those interfaces would be exposed to possible
    attack"; the fixes it names are a tamper-resistant enclosure or a configuration option that
    disables them. Silence does not fire: an interface whose `enabled_by_default` is not given is
    not assumed enabled.
    """
    exposed: list[Path] = []
    for index, case in enumerate(product.use_cases or ()):
        exposed += [
            ("use_cases", index, "environments", j)
            for j, text in enumerate(case.environments or ())
            if mentions(text, EXPOSED)
        ]
    if not exposed:
        return
    for index, capability in _capabilities(product):
        if capability.kind != "local-interface":
            continue
        if capability.enabled_by_default is True or _cannot_disable(capability):
            state = "cannot be disabled" if _cannot_disable(capability) else "is enabled as shipped"
            yield Hit(
                f"{_name(capability)} {state}, and the device is used in a public or exposed place",
                "disable the interface in production or by default, or put it behind a tamper-resistant "
                "enclosure, and say how in how_disabled",
                (*_BASE, index),
                tuple(exposed),
            )


@rule(
    "IFC-002",
    "Unneeded capability cannot be disabled",
    Severity.MEDIUM,
    section="3.4",
    questions=("Q3.4-4",),
    elements=("nistir-8259a:8259A-LAI.1", "sp800-213a:LAI-9.3", "sp800-213a:LAI-9.6"),
)
def cannot_disable(product: Product, ctx: Context) -> Iterator[Hit]:
    """An unneeded capability's `how_disabled` says it cannot be disabled (or 'none').

    NISTIR 8259 3.4 Q4: unneeded capabilities with cybersecurity implications should be disabled "to
    prevent misuse and exploitation" (8259A-LAI.1). Silence does not fire (QST-001 reports Q3.4-4).
    """
    for index, capability in _capabilities(product):
        if _cannot_disable(capability):
            yield Hit(
                f"{_name(capability)} is not needed but cannot be disabled",
                "remove it from the production build, or offer a configuration option or enclosure "
                "that disables it, and describe that in how_disabled",
                (*_BASE, index, "how_disabled"),
            )


@rule(
    "IFC-003",
    "Unneeded network interface or service enabled by default",
    Severity.MEDIUM,
    section="3.4",
    questions=("Q3.4-4", "Q3.4-8"),
    elements=("nistir-8259a:8259A-LAI.1", "sp800-213a:LAI-9.3", "sp800-213a:LAI-9.8"),
)
def network_service_enabled(product: Product, ctx: Context) -> Iterator[Hit]:
    """An unneeded capability of kind network-interface or service has `enabled_by_default: true`.

    Listening services nobody needs are how botnets recruit devices (NISTIR 8259 3.1 Q6); secure
    defaults are among the measures of 3.4 Q8. Silence does not fire.
    """
    for index, capability in _capabilities(product):
        if capability.kind in ("network-interface", "service") and capability.enabled_by_default is True:
            how = "" if blank(capability.how_disabled) else f" (how_disabled: {capability.how_disabled})"
            yield Hit(
                f"{_name(capability)} is not needed but is enabled as shipped{how}",
                "ship it disabled (or remove it from the production image) and set enabled_by_default "
                "to false",
                (*_BASE, index, "enabled_by_default"),
            )


RULES: tuple[Rule, ...] = (exposed_local_interface, cannot_disable, network_service_enabled)
