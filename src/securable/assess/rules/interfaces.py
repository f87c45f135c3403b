"""Unneeded capabilities and interfaces (NISTIR 8259 3.4 Q4; 8259A Logical Access to Interfaces)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path, blank, label, mentions, says_none
from securable.product.model import Means, Product, UnneededCapability

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


def _intended(capability: UnneededCapability) -> bool:
    """Kept for maintenance and usable only after authenticating: intended, and guarded."""
    return capability.maintenance_only is True and capability.authenticated is True


def _open_for_maintenance(capability: UnneededCapability) -> str:
    """How a message names a maintenance interface that needs no authentication ("" for others)."""
    if capability.maintenance_only is not True:
        return ""
    return ", kept for maintenance" + (
        " but usable without authentication," if capability.authenticated is False else ","
    )


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
    disables them. An interface kept for maintenance (`maintenance_only: true`) that asks for
    authentication (`authenticated: true`) is intended and guarded, and keeps the rule quiet; one
    that needs no authentication fires, and the message says it is kept for maintenance. Silence does
    not fire: an interface whose `enabled_by_default` is not given is not assumed enabled.
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
        if capability.kind != "local-interface" or _intended(capability):
            continue
        if capability.enabled_by_default is True or _cannot_disable(capability):
            state = "cannot be disabled" if _cannot_disable(capability) else "is enabled as shipped"
            yield Hit(
                f"{_name(capability)}{_open_for_maintenance(capability)} {state}, and the device is "
                "used in a public or exposed place",
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
    prevent misuse and exploitation" (8259A-LAI.1). An interface kept for maintenance
    (`maintenance_only: true`) that asks for authentication (`authenticated: true`) is intended and
    guarded, so it may stay on. Silence does not fire (QST-001 reports Q3.4-4).
    """
    for index, capability in _capabilities(product):
        if _cannot_disable(capability) and not _intended(capability):
            needed = (
                f"{_name(capability)}{_open_for_maintenance(capability)}"
                if capability.maintenance_only is True
                else f"{_name(capability)} is not needed but"
            )
            yield Hit(
                f"{needed} cannot be disabled",
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


# Read from a means' authentication texts only when `shipped_credentials` is not given.
DEFAULT_PASSWORD = re.compile(
    r"\bdefault (?:admin(?:istrator)? )?(?:passwords?|pins?|passcodes?|credentials?|logins?|accounts?)\b"
    r"|\b(?:same|shared|common|fixed|hard-?coded) (?:passwords?|pins?|passcodes?|credentials?)\b"
    r"|\badmin/admin\b"
)
UNIQUE_OR_CHANGED = re.compile(
    r"\bunique\b|\bper[- ]device\b|\bmust (?:be )?chang|\b(?:forced|required|has) to (?:be )?chang"
    r"|\bchanged? (?:at|on|before) (?:the )?first\b"
)
CREDENTIALS_FIELD = "robustness.authentication.shipped_credentials"


def _auth_texts(means: Means) -> list[str | None]:
    auth = means.robustness.authentication if means.robustness is not None else None
    return [auth.humans, auth.systems] if auth is not None else []


@rule(
    "IFC-004",
    "Shared default password that customers need not change",
    Severity.HIGH,
    section="3.3",
    questions=("Q3.3-2",),
    elements=("nistir-8259a:8259A-LAI.2", "sp800-213a:LAI-1.1", "sp800-213a:LAI-2"),
)
def shared_default_credentials(product: Product, ctx: Context) -> Iterator[Hit]:
    """A means' `robustness.authentication.shipped_credentials` is `shared` (one default for every
    device that customers need not change); or, when that is not given, one of its authentication
    texts (`humans`, `systems`) mentions a default, shared or hard-coded password and says neither
    that it is unique per device nor that it must be changed.

    A password every device shares is known to everyone who owns one, and botnets try the published
    defaults first (NISTIR 8259 3.1 Q8; 8259A-LAI.2 asks to restrict interface access to authorized
    entities, which a shared default does not). Coverage counts such a means' citations only partly
    for 8259A-LAI.2. `unique` and `shared-must-change` keep the rule quiet whatever the text says.
    Silence does not fire.
    """
    for index, means in enumerate(product.means or ()):
        stated = means.shipped_credentials
        name = label(means.title, f"means {means.id!r}")
        if stated == "shared":
            read = ""
            path: Path = ("means", index, "robustness", "authentication", "shipped_credentials")
        elif stated is None and any(
            mentions(t, DEFAULT_PASSWORD) and not mentions(t, UNIQUE_OR_CHANGED) for t in _auth_texts(means)
        ):
            read = f" (read from the text: say it in {CREDENTIALS_FIELD} to be sure)"
            path = ("means", index, "robustness", "authentication")
        else:
            continue
        yield Hit(
            f"{name} ships with a default password every device shares, and customers need not change "
            f"it{read}",
            "give each device its own credential (printed on the label or provisioned at the factory), "
            f"or force a change before first use, and set {CREDENTIALS_FIELD} to unique or "
            "shared-must-change",
            path,
        )


@rule(
    "IFC-005",
    "No credentials, and no use without authentication by design",
    Severity.MEDIUM,
    section="3.3",
    questions=("Q3.3-2", "Q3.2-2"),
    elements=("nistir-8259a:8259A-LAI.2", "sp800-213a:LAI-1.1", "federal-profile-2020:FPN-LAI-2"),
)
def no_credentials(product: Product, ctx: Context) -> Iterator[Hit]:
    """A means' `robustness.authentication.shipped_credentials` is `none` and its
    `unauthenticated_use` does not say who uses the device without authentication by design.

    NISTIR 8259 3.2 Q2 asks how authorized people access and manage the device. Some devices serve
    anyone by design (a vending machine's buyers, a public display), and saying so in
    `unauthenticated_use` tells that intended use from an access nobody meant to leave open, which
    this rule reports. Silence does not fire.
    """
    for index, means in enumerate(product.means or ()):
        if means.shipped_credentials != "none":
            continue
        auth = means.robustness.authentication if means.robustness is not None else None
        if auth is not None and not blank(auth.unauthenticated_use):
            continue
        yield Hit(
            f"{label(means.title, f'means {means.id!r}')} relies on no credentials, and the file does "
            "not say who uses the device without authentication by design",
            "require authentication (8259A-LAI.2), or, if open use is intended, say who uses it and "
            "for what in robustness.authentication.unauthenticated_use",
            ("means", index, "robustness", "authentication", "shipped_credentials"),
        )


RULES: tuple[Rule, ...] = (
    exposed_local_interface,
    cannot_disable,
    network_service_enabled,
    shared_default_credentials,
    no_credentials,
)
