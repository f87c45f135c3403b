"""Every rule fires on a product that breaks it and stays quiet on one that does not.

Products are the home-camera example with a few answers changed (:func:`edit`). The table ``CASES``
must cover every rule with at least one firing and one quiet case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from securable import catalog
from securable.assess.findings import Finding
from securable.assess.rules import RULES, run_rules
from securable.product import Product, load_product

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "home-camera" / "securable.yaml"
TODAY = date(2025, 9, 1)  # the example's release date: its channel tests are recent, support is ahead
BY_ID = {r.id: r for r in RULES}


@cache
def camera() -> Product:
    return load_product(EXAMPLE)


def _step(node: Any, key: str) -> Any:
    """One step down raw data: a mapping key, a list index, or the list item with that ``id``."""
    if isinstance(node, list):
        if key.isdigit():
            return node[int(key)]
        return next(item for item in node if item.get("id") == key)
    return node[key]


def edit(changes: Mapping[str, Any]) -> Product:
    """The camera with answers changed. Keys are dotted paths (``updates.recovery``,
    ``means.m-secure-update.robustness.update_reversion``, ``composition.data_types.2.stored``);
    a callable value gets the old value and returns the new one."""
    data = camera().model_dump(mode="json")
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = _step(node, key)
        if isinstance(node, list):
            index = int(last) if last.isdigit() else node.index(_step(node, last))
            node[index] = value(node[index]) if callable(value) else value
        else:
            node[last] = value(node.get(last)) if callable(value) else value
    return Product.model_validate(data)


def appended(item: Mapping[str, Any]) -> Callable[[list[Any] | None], list[Any]]:
    return lambda items: [*(items or []), dict(item)]


@dataclass(frozen=True)
class Case:
    rule: str
    why: str  # the test ID
    changes: Mapping[str, Any] = field(default_factory=dict)
    fires: int = 0  # how many findings (0: the rule stays quiet)
    today: date = TODAY
    path: tuple[str | int, ...] | None = None  # the first finding's path, when it matters
    product: Callable[[], Product] | None = None  # instead of editing the camera

    def build(self) -> Product:
        return self.product() if self.product is not None else edit(self.changes)


def fire(rule: str, why: str, changes: Mapping[str, Any] | None = None, n: int = 1, **kw: Any) -> Case:
    return Case(rule, why, changes or {}, n, **kw)


def quiet(rule: str, why: str, changes: Mapping[str, Any] | None = None, **kw: Any) -> Case:
    return Case(rule, why, changes or {}, 0, **kw)


PUBLIC_ENV = "use_cases.uc-small-business.environments"
USE_CASES = ("uc-home", "uc-small-business")
LOCKOUT = "means.m-account-security.robustness.authentication.lockout"
# The camera fills the structured fields the rules prefer to its text; cases about reading the text
# clear them, as in a file written before the fields existed.
TEXT_PERIODS = {f"use_cases.{uc}.period_of_use_years": None for uc in USE_CASES}
TEXT_SAFETY = {
    **{
        f"use_cases.{uc}.research.{name}": None
        for uc in USE_CASES
        for name in ("actuates", "safety_critical", "degraded_behaviour")
    },
    LOCKOUT: None,
}
SAFETY_USE = {
    **TEXT_SAFETY,
    "use_cases.uc-home.research.physical_world": "Actuates the front-door lock on command.",
}
ACTUATES = {"use_cases.uc-home.research.actuates": True}
NEGATION_THEN_ACTUATION = "It has no screen, but it actuates the front door lock."
NO_DEGRADED = {
    **SAFETY_USE,
    "use_cases.uc-home.research.interference": "Home Wi-Fi can be slow.",
    "use_cases.uc-small-business.research.interference": "Shop Wi-Fi is congested.",
}
NO_REPORTING = {
    "support.vulnerability_reporting.channels": [],
    "product.security_contact": None,
    "audiences": [{"id": "aud-home", "name": "Home users"}],
}
DATA_IDS = ("data-video", "data-audio", "data-account", "data-credentials", "data-telemetry")
# The camera says where each data type lives and what its removal reaches; cases about reading the
# retirement text clear both, as in a file written before the fields existed.
TEXT_PLACES = {f"composition.data_types.{d}.{f}": None for d in DATA_IDS for f in ("places", "removed_from")}
PLACES = "composition.data_types.data-video.places"
REMOVED = "composition.data_types.data-video.removed_from"
CRED = "means.m-unique-credentials.robustness.authentication.shipped_credentials"
CRED_TEXT = "means.m-unique-credentials.robustness.authentication.humans"
UNAUTHENTICATED = "means.m-unique-credentials.robustness.authentication.unauthenticated_use"
UART = "support_planning.unneeded_capabilities.0"
MAINTENANCE = "support.maintenance"
REMOTE = "support.maintenance.activities.0"
GUIDANCE_MAINTENANCE = "composition.guidance.maintenance"
LOGGING = "composition.logging"
ON_DEVICE_ONLY = {
    **TEXT_PLACES,
    "retirement.ownership_transfer.data_removal": "Hold the reset button for 10 seconds to erase it.",
    **{f"composition.data_types.data-{d}.stored": ["SD card"] for d in ("video", "audio", "telemetry")},
    "composition.data_types.data-account.stored": ["device flash"],
}
LOCATION = {"id": "data-location", "name": "home location", "category": "location", "stored": ["Acme Cloud"]}

CASES: tuple[Case, ...] = (
    # --- support -------------------------------------------------------------------------------------
    fire(
        "SUP-001", "support-3y-short", {"support.support_end": "2027-08-31"}, path=("support", "support_end")
    ),
    fire(
        "SUP-001",
        "no-release-date-counts-from-today",
        {"product.release_date": None},
        today=date(2030, 1, 1),
    ),
    quiet("SUP-001", "within-a-month-of-3y", {"support.support_end": "2028-08-15"}),
    quiet(
        "SUP-001",
        "vague-periods",
        {
            **TEXT_PERIODS,
            "support.support_end": "2026-01-01",
            "use_cases.uc-home.period_of_use": "several years",
            "use_cases.uc-small-business.period_of_use": "as long as it works",
        },
    ),
    fire(
        "SUP-002",
        "4y-support-6y-use-no-plan",
        {"support.support_end": "2029-09-01", "support.securable_after_support": None},
        path=("support", "support_end"),
    ),
    fire(
        "SUP-002",
        "plan-says-none",
        {"support.support_end": "2029-09-01", "support.securable_after_support": "none"},
    ),
    quiet("SUP-002", "plan-given", {"support.support_end": "2029-09-01"}),
    fire(
        "SUP-002",
        "longest-of-a-range-with-two-units",
        {
            "support.support_end": "2026-06-01",
            **TEXT_PERIODS,
            "support.securable_after_support": None,
            "use_cases.uc-home.period_of_use": "6 months to 2 years",
            "use_cases.uc-small-business.period_of_use": "6 months",
        },
    ),
    quiet(
        "SUP-002",
        "shortest-use-uncovered-is-SUP-001s",
        {"support.support_end": "2027-08-31", "support.securable_after_support": None},
    ),
    fire(
        "SUP-001",
        "a-rate-is-not-the-period",
        {
            **TEXT_PERIODS,
            "support.support_end": "2027-08-31",
            "use_cases.uc-home.period_of_use": "8 hours a day for 5 to 7 years",
            "use_cases.uc-small-business.period_of_use": "a year or two",
        },
        path=("support", "support_end"),
    ),
    # the years win over the text: the text says use ends within support, the years say it does not
    fire(
        "SUP-001",
        "years-beat-shorter-text",
        {
            "support.support_end": "2027-08-31",
            "use_cases.uc-home.period_of_use": "about 18 months",
            "use_cases.uc-small-business.period_of_use": "a year",
        },
    ),
    quiet(
        "SUP-001",
        "years-beat-longer-text",
        {"support.support_end": "2028-09-30", "use_cases.uc-home.period_of_use": "10 to 15 years"},
    ),
    fire(
        "SUP-001",
        "fractional-years",
        {
            **TEXT_PERIODS,
            "support.support_end": "2026-12-31",
            "use_cases.uc-home.period_of_use_years": {"min": 1.5, "max": 2},
        },
    ),
    quiet(
        "SUP-002",
        "one-end-stands-for-both",
        {
            "support.support_end": "2029-09-01",
            "support.securable_after_support": None,
            **{f"use_cases.{uc}.period_of_use_years": {"min": 3} for uc in USE_CASES},
        },
    ),
    fire(
        "SUP-002",
        "years-max-outlasts-support",
        {
            "support.support_end": "2029-09-01",
            "support.securable_after_support": None,
            "use_cases.uc-home.period_of_use": "3 years",
            "use_cases.uc-small-business.period_of_use": "3 years",
        },
        path=("support", "support_end"),
    ),
    fire("SUP-003", "ended-yesterday", today=date(2031, 9, 1)),
    quiet("SUP-003", "ends-today", today=date(2031, 8, 31)),
    fire("SUP-004", "three-months", {"support.end_of_life_notice_months": 3}),
    quiet("SUP-004", "six-months", {"support.end_of_life_notice_months": 6}),
    quiet("SUP-004", "not-said", {"support.end_of_life_notice_months": None}),
    fire("SUP-005", "several-years", {**TEXT_PERIODS, "use_cases.uc-home.period_of_use": "several years"}),
    quiet("SUP-005", "months", {**TEXT_PERIODS, "use_cases.uc-home.period_of_use": "about 18 months"}),
    quiet("SUP-005", "years-given-beside-vague-text", {"use_cases.uc-home.period_of_use": "several years"}),
    fire(
        "SUP-005",
        "empty-year-range-falls-back-to-text",
        {"use_cases.uc-home.period_of_use": "several years", "use_cases.uc-home.period_of_use_years": {}},
        path=("use_cases", 0, "period_of_use"),
    ),
    quiet(
        "SUP-005",
        "no-support-end",
        {"use_cases.uc-home.period_of_use": "several years", "support.support_end": None},
    ),
    # --- updates -------------------------------------------------------------------------------------
    fire("UPD-001", "not-available", {"updates.available": False}),
    quiet("UPD-001", "not-said", {"updates.available": None}),
    fire("UPD-002", "installs-unverified", {"updates.authenticated_before_install": False}),
    quiet("UPD-002", "not-said", {"updates.authenticated_before_install": None}),
    quiet(
        "UPD-002",
        "no-updates-is-UPD-001s",
        {"updates.available": False, "updates.authenticated_before_install": False},
    ),
    fire(
        "UPD-002",
        "availability-not-said",
        {"updates.available": None, "updates.authenticated_before_install": False},
    ),
    fire("UPD-003", "no-way-to-verify", {"updates.verification": []}),
    fire("UPD-003", "availability-not-said", {"updates.available": None, "updates.verification": []}),
    quiet("UPD-003", "no-updates-is-UPD-001s", {"updates.available": False, "updates.verification": []}),
    quiet("UPD-003", "not-said", {"updates.verification": None}),
    fire(
        "UPD-004",
        "anti-rollback-only",
        {"updates.recovery": None, "means.m-secure-update.robustness.update_reversion": "anti-rollback"},
        path=("updates",),
    ),
    fire(
        "UPD-004",
        "recovery-none",
        {"updates.recovery": "none", "means.m-secure-update.robustness.update_reversion": "none"},
        path=("updates", "recovery"),
    ),
    quiet("UPD-004", "means-rolls-back", {"updates.recovery": None}),
    quiet(
        "UPD-004",
        "updates-not-said",
        {"updates.available": None, "updates.recovery": None, "means.m-secure-update.robustness": None},
    ),
    fire(
        "UPD-005",
        "ota-not-said",
        {"updates.low_bandwidth": None, "updates.poor_network_alternative": None},
        path=("updates", "delivery"),
    ),
    fire(
        "UPD-005",
        "ota-not-considered",
        {"updates.low_bandwidth": "not considered", "updates.poor_network_alternative": None},
    ),
    fire(
        "UPD-005",
        "text-describes-the-problem",
        {
            "updates.low_bandwidth": (
                "The 400 MB image is pushed over the hospital network, which is often congested."
            ),
            "updates.poor_network_alternative": None,
            "updates.image_size_mb": 400,
        },
        path=("updates", "low_bandwidth"),
    ),
    fire(
        "UPD-005",
        "no-alternative-beats-text",
        {"updates.poor_network_alternative": False},
        path=("updates", "poor_network_alternative"),
    ),
    quiet(
        "UPD-005",
        "alternative-beats-text",
        {"updates.low_bandwidth": "Shop networks are congested.", "updates.poor_network_alternative": True},
    ),
    quiet(
        "UPD-005",
        "text-names-a-remedy",
        {
            "updates.low_bandwidth": "Downloads resume after drop-outs.",
            "updates.poor_network_alternative": None,
        },
    ),
    quiet("UPD-005", "technician-only", {"updates.low_bandwidth": None, "updates.delivery": ["technician"]}),
    quiet("UPD-005", "described"),
    fire("UPD-006", "customer-unnotified", {"updates.responsible": "customer", "updates.notification": None}),
    quiet("UPD-006", "customer-notified", {"updates.responsible": "customer-chooses"}),
    quiet("UPD-006", "manufacturer-does-it", {"updates.notification": None}),
    # --- data ----------------------------------------------------------------------------------------
    fire(
        "DAT-001",
        "video-clear-at-rest",
        {"composition.data_types.data-video.protected_at_rest": False},
        path=("composition", "data_types", 0, "protected_at_rest"),
    ),
    quiet(
        "DAT-001",
        "not-stored",
        {
            "composition.data_types.data-video.protected_at_rest": False,
            "composition.data_types.data-video.stored": [],
        },
    ),
    quiet(
        "DAT-001",
        "telemetry-not-sensitive",
        {"composition.data_types.data-telemetry.protected_at_rest": False},
    ),
    fire(
        "DAT-002",
        "account-clear-in-transit",
        {"composition.data_types.data-account.protected_in_transit": False},
    ),
    fire(
        "DAT-002",
        "places-not-said",
        {
            "composition.data_types.data-credentials.protected_in_transit": False,
            "composition.data_types.data-credentials.stored": None,
            "composition.data_types.data-credentials.places": None,
        },
    ),
    quiet(
        "DAT-002",
        "credentials-stay-on-device",
        {"composition.data_types.data-credentials.protected_in_transit": False},
    ),
    fire(
        "DAT-002",
        "cloud-named-with-the-device",
        {
            "composition.data_types.data-credentials.protected_in_transit": False,
            "composition.data_types.data-credentials.stored": ["Acme Cloud (device history)"],
            "composition.data_types.data-credentials.places": None,
        },
    ),
    fire(
        "DAT-002",
        "server-on-the-local-network",
        {
            "composition.data_types.data-credentials.protected_in_transit": False,
            "composition.data_types.data-credentials.stored": ["hospital server on the local network"],
            "composition.data_types.data-credentials.places": None,
        },
    ),
    fire(
        "DAT-003",
        "audio-at-rest-not-said",
        {"composition.data_types.data-audio.protected_at_rest": None},
        path=("composition", "data_types", 1),
    ),
    fire("DAT-003", "new-location-data", {"composition.data_types": appended(LOCATION)}),
    quiet(
        "DAT-003",
        "on-device-transit-moot",
        {"composition.data_types.data-credentials.protected_in_transit": None},
    ),
    quiet("DAT-003", "telemetry", {"composition.data_types.data-telemetry.protected_at_rest": None}),
    fire("DAT-004", "video-access-not-said", {"composition.data_types.data-video.accessible_by": None}),
    quiet("DAT-004", "nobody-is-an-answer"),
    quiet("DAT-004", "telemetry", {"composition.data_types.data-telemetry.accessible_by": None}),
    # --- interfaces ----------------------------------------------------------------------------------
    fire(
        "IFC-001",
        "uart-on-in-shop",
        {"support_planning.unneeded_capabilities.0.enabled_by_default": True},
        path=("support_planning", "unneeded_capabilities", 0),
    ),
    fire(
        "IFC-001",
        "jtag-cannot-be-disabled",
        {"support_planning.unneeded_capabilities.1.how_disabled": "cannot be disabled"},
    ),
    quiet(
        "IFC-001",
        "private-places-only",
        {
            "support_planning.unneeded_capabilities.0.enabled_by_default": True,
            PUBLIC_ENV: ["indoors in a back office, not in public areas"],
        },
    ),
    fire(
        "IFC-001",
        "negation-ends-at-the-comma",
        {
            "support_planning.unneeded_capabilities.0.enabled_by_default": True,
            PUBLIC_ENV: ["no Wi-Fi, mounted outdoors"],
        },
    ),
    quiet(
        "IFC-001", "enabled-not-said", {"support_planning.unneeded_capabilities.0.enabled_by_default": None}
    ),
    quiet(
        "IFC-001",
        "network-service-is-IFC-003s",
        {"support_planning.unneeded_capabilities.2.enabled_by_default": True},
    ),
    fire(
        "IFC-002",
        "jtag-fixed",
        {"support_planning.unneeded_capabilities.1.how_disabled": "Cannot be disabled."},
    ),
    quiet("IFC-002", "all-removed"),
    fire(
        "IFC-002",
        "maintenance-port-without-authentication",
        {f"{UART}.how_disabled": "cannot be disabled", f"{UART}.maintenance_only": True},
    ),
    quiet(
        "IFC-002",
        "authenticated-maintenance-port",
        {
            f"{UART}.how_disabled": "cannot be disabled",
            f"{UART}.maintenance_only": True,
            f"{UART}.authenticated": True,
        },
    ),
    fire(
        "IFC-001",
        "open-service-port-in-shop",
        {
            f"{UART}.enabled_by_default": True,
            f"{UART}.maintenance_only": True,
            f"{UART}.authenticated": False,
        },
    ),
    quiet(
        "IFC-001",
        "authenticated-service-port-in-shop",
        {f"{UART}.enabled_by_default": True, f"{UART}.maintenance_only": True, f"{UART}.authenticated": True},
    ),
    fire(
        "IFC-004",
        "shared-default",
        {CRED: "shared"},
        path=("means", 0, "robustness", "authentication", "shipped_credentials"),
    ),
    fire(
        "IFC-004",
        "shared-beats-text-saying-unique",
        {CRED: "shared", CRED_TEXT: "a unique password per device"},
    ),
    fire(
        "IFC-004",
        "text-default-password",
        {CRED: None, CRED_TEXT: "default password admin, printed in the manual"},
        path=("means", 0, "robustness", "authentication"),
    ),
    quiet("IFC-004", "unique"),
    quiet(
        "IFC-004",
        "text-default-must-change",
        {CRED: None, CRED_TEXT: "a default password that must be changed at first sign-in"},
    ),
    quiet(
        "IFC-004",
        "text-no-default-password",
        {CRED: None, CRED_TEXT: "no default password; each owner sets one"},
    ),
    quiet(
        "IFC-004", "must-change-beats-text", {CRED: "shared-must-change", CRED_TEXT: "default password admin"}
    ),
    fire("IFC-005", "no-credentials-no-reason", {CRED: "none"}),
    quiet("IFC-005", "open-use-by-design", {CRED: "none", UNAUTHENTICATED: "passers-by read the display"}),
    quiet("IFC-005", "credentials-not-said", {CRED: None}),
    fire("IFC-003", "telnet-on", {"support_planning.unneeded_capabilities.2.enabled_by_default": True}),
    quiet("IFC-003", "uart-is-local", {"support_planning.unneeded_capabilities.0.enabled_by_default": True}),
    # --- safety --------------------------------------------------------------------------------------
    fire("SAF-001", "door-lock-with-fixed-lockout", SAFETY_USE, path=("means", 1)),
    fire(
        "SAF-001",
        "locks-after-failed-attempts",
        {
            **SAFETY_USE,
            "means.m-account-security.robustness.input_validation": "locks after 5 failed attempts",
            "means.m-account-security.risk_effect": None,
        },
    ),
    quiet(
        "SAF-001",
        "locks-the-door-after-minutes",
        {
            **SAFETY_USE,
            "means.m-account-security.robustness.input_validation": "locks the door after 5 minutes",
            "means.m-account-security.risk_effect": None,
        },
    ),
    quiet(
        "SAF-001",
        "lockout-configurable",
        {**SAFETY_USE, "means.m-account-security.catalog": ["sp800-213a:LAI-2", "nistir-8259a:8259A-LAI.3"]},
    ),
    quiet(
        "SAF-001",
        "lockout-said-adjustable",
        {
            **SAFETY_USE,
            "means.m-account-security.robustness.input_validation": "lockout after 10 failures; "
            "administrators can change the threshold or turn it off",
        },
    ),
    fire(
        "SAF-001",
        "negation-ends-at-but",
        {**TEXT_SAFETY, "use_cases.uc-home.research.physical_world": NEGATION_THEN_ACTUATION},
    ),
    quiet(
        "SAF-001",
        "no-actuation",
        {**TEXT_SAFETY, "use_cases.uc-home.research.physical_world": "Measures only; no actuation."},
    ),
    fire(
        "SAF-002",
        "door-lock-without-degraded-state",
        NO_DEGRADED,
        path=("use_cases", 0, "research"),
    ),
    quiet(
        "SAF-002",
        "keeps-operating-offline",
        {
            **NO_DEGRADED,
            "use_cases.uc-home.research.interference": "Without the internet it keeps operating.",
        },
    ),
    quiet(
        "SAF-002",
        "means-realizes-CSA.2",
        {**NO_DEGRADED, "means.m-app-controls.catalog": ["nistir-8259a:8259A-CSA.2"]},
    ),
    fire(
        "SAF-002",
        "negation-ends-at-but",
        {
            **NO_DEGRADED,
            "use_cases.uc-home.research.physical_world": NEGATION_THEN_ACTUATION,
        },
    ),
    quiet("SAF-002", "camera-measures-only"),
    # --- safety, from the structured fields: each wins over the text ----------------------------------
    fire(
        "SAF-001",
        "actuates-with-fixed-lockout",
        ACTUATES,
        path=("means", 1, "robustness", "authentication", "lockout"),
    ),
    fire(
        "SAF-001", "safety-critical-without-actuation", {"use_cases.uc-home.research.safety_critical": True}
    ),
    fire(
        "SAF-001",
        "fixed-beats-text-calling-it-adjustable",
        {
            **ACTUATES,
            "means.m-account-security.robustness.input_validation": "lockout after 10 failures; "
            "administrators can change the threshold or turn it off",
        },
    ),
    fire(
        "SAF-001",
        "fixed-beats-catalog-citing-LAI.3",
        {**ACTUATES, "means.m-account-security.catalog": ["sp800-213a:LAI-2", "nistir-8259a:8259A-LAI.3"]},
    ),
    quiet("SAF-001", "configurable-beats-text-lockout", {**ACTUATES, LOCKOUT: "configurable"}),
    quiet("SAF-001", "none-beats-text-lockout", {**ACTUATES, LOCKOUT: "none"}),
    quiet(
        "SAF-001",
        "not-actuating-beats-text",
        {"use_cases.uc-home.research.physical_world": "Actuates the front-door lock on command."},
    ),
    fire(
        "SAF-001",
        "actuates-beats-text-saying-no-actuation",
        {**ACTUATES, "use_cases.uc-home.research.physical_world": "Measures only; no actuation."},
    ),
    quiet("SAF-002", "actuates-with-degraded-behaviour", ACTUATES),
    fire(
        "SAF-002",
        "degraded-behaviour-says-none-beats-text",
        {**ACTUATES, "use_cases.uc-home.research.degraded_behaviour": "none"},
        path=("use_cases", 0, "research", "degraded_behaviour"),
    ),
    fire(
        "SAF-002",
        "actuates-beats-text-saying-no-actuation",
        {
            **ACTUATES,
            "use_cases.uc-home.research.physical_world": "Measures only; no actuation.",
            "use_cases.uc-home.research.interference": "Home Wi-Fi can be slow.",
            "use_cases.uc-home.research.degraded_behaviour": None,
        },
        path=("use_cases", 0, "research"),
    ),
    quiet(
        "SAF-002",
        "degraded-behaviour-nothing-changes",
        {
            **ACTUATES,
            "use_cases.uc-home.research.degraded_behaviour": "Nothing changes: the lock works offline.",
        },
    ),
    fire(
        "SAF-002",
        "degraded-behaviour-says-nothing-defined",
        {**ACTUATES, "use_cases.uc-home.research.degraded_behaviour": "Nothing defined yet."},
        path=("use_cases", 0, "research", "degraded_behaviour"),
    ),
    quiet(
        "SAF-002",
        "degraded-behaviour-given-beside-silent-text",
        {
            **NO_DEGRADED,
            "use_cases.uc-home.research.degraded_behaviour": "Fails secure: the lock stays locked, and the "
            "keypad and the mechanical key still open it.",
        },
    ),
    quiet(
        "SAF-002",
        "not-actuating-beats-text",
        {
            "use_cases.uc-home.research.physical_world": "Actuates the front-door lock on command.",
            "use_cases.uc-home.research.interference": "Home Wi-Fi can be slow.",
            "use_cases.uc-home.research.degraded_behaviour": None,
        },
    ),
    # --- disclosure ----------------------------------------------------------------------------------
    fire(
        "DIS-001",
        "hidden-camera",
        {"composition.sensors.0.disclosed": False},
        path=("composition", "sensors", 0, "disclosed"),
    ),
    fire(
        "DIS-001",
        "microphone-not-said",
        {"composition.sensors.1.disclosed": None},
        path=("composition", "sensors", 1),
    ),
    quiet("DIS-001", "motion-sensor-is-not-private", {"composition.sensors.2.disclosed": False}),
    fire("DIS-002", "no-camera-listed", {"composition.sensors": [{"kind": "other", "name": "PIR"}]}, n=2),
    fire("DIS-002", "location-data-without-sensor", {"composition.data_types": appended(LOCATION)}),
    quiet("DIS-002", "sensors-not-said", {"composition.sensors": None}),
    fire("DIS-003", "support-contractor-hidden", {"composition.parties.party-support.disclosed": False}),
    fire("DIS-003", "support-contractor-not-said", {"composition.parties.party-support.disclosed": None}),
    quiet(
        "DIS-003",
        "party-without-reach",
        {
            "composition.parties.party-cloud.access": "none",
            "composition.parties.party-cloud.control": "none",
            "composition.parties.party-cloud.disclosed": False,
        },
    ),
    fire(
        "DIS-004",
        "unknown-update-provider",
        {
            "means.m-update-service.provider": "third-party",
            "means.m-update-service.provider_name": "Updatr Ltd",
        },
        path=("means", 6, "provider_name"),
    ),
    fire(
        "DIS-004",
        "unnamed-provider",
        {"means.m-update-service.provider": "third-party", "means.m-update-service.provider_name": None},
    ),
    quiet(
        "DIS-004",
        "provider-listed",
        {
            "means.m-update-service.provider": "third-party",
            "means.m-update-service.provider_name": "Cloud hosting provider",
        },
    ),
    fire(
        "DIS-004",
        "a-role-inside-a-name-is-not-the-party",
        {
            "means.m-update-service.provider": "third-party",
            "means.m-update-service.provider_name": "Acme Cloud Service",
            "composition.parties": appended({"id": "party-nw", "name": "Northwind", "role": "service"}),
        },
    ),
    fire(
        "DIS-004",
        "a-role-inside-a-word-is-not-the-party",
        {
            "means.m-update-service.provider": "third-party",
            "means.m-update-service.provider_name": "Crispin Hosting",
            "composition.parties": appended({"id": "party-isp", "name": "Northwind Telecom", "role": "ISP"}),
        },
    ),
    quiet(
        "DIS-004",
        "listed-by-name-without-company-form",
        {
            "means.m-update-service.provider": "third-party",
            "means.m-update-service.provider_name": "Crispin Hosting Ltd",
            "composition.parties": appended({"id": "party-ch", "name": "Crispin Hosting", "role": "ISP"}),
        },
    ),
    quiet(
        "DIS-004",
        "listed-by-its-whole-role",
        {
            "means.m-update-service.provider": "third-party",
            "means.m-update-service.provider_name": "ISP",
            "composition.parties": appended({"id": "party-isp", "name": "Northwind Telecom", "role": "ISP"}),
        },
    ),
    quiet(
        "DIS-004",
        "parties-not-said",
        {"means.m-update-service.provider": "third-party", "composition.parties": None},
    ),
    # --- communication -------------------------------------------------------------------------------
    fire("COM-001", "integrity-none", {"audiences.aud-home.integrity": "none"}),
    fire(
        "COM-001",
        "email-without-integrity",
        {"audiences.aud-small-business.integrity": None},
        path=("audiences", 1),
    ),
    quiet("COM-001", "no-email-no-answer", {"audiences.aud-home.integrity": None}),
    fire("COM-002", "app-contact-untested", {"audiences.aud-home.contact.0.tested": False}),
    fire(
        "COM-002",
        "reporting-form-untested",
        {"support.vulnerability_reporting.channels.1.tested": False},
        path=("support", "vulnerability_reporting", "channels", 1, "tested"),
    ),
    quiet("COM-002", "not-said", {"audiences.aud-home.contact.0.tested": None}),
    fire(
        "COM-003",
        "a-year-and-more",
        today=date(2027, 9, 1),
        path=("audiences", 0, "contact", 0, "last_tested"),
    ),
    quiet("COM-003", "exactly-a-year", today=date(2027, 6, 15)),
    # --- vulnerability reporting ---------------------------------------------------------------------
    fire(
        "VUL-001", "nowhere-to-report", NO_REPORTING, path=("support", "vulnerability_reporting", "channels")
    ),
    quiet(
        "VUL-001",
        "security-contact-is-enough",
        {k: v for k, v in NO_REPORTING.items() if k != "product.security_contact"},
    ),
    quiet(
        "VUL-001",
        "audience-contact-for-security",
        {"support.vulnerability_reporting.channels": [], "product.security_contact": None},
    ),
    fire(
        "VUL-002",
        "refused-after-support",
        {"support.vulnerability_reporting.accepted_after_support_end": False},
    ),
    quiet("VUL-002", "not-said", {"support.vulnerability_reporting.accepted_after_support_end": None}),
    fire(
        "VUL-003", "refused-after-eol", {"support.vulnerability_reporting.accepted_after_end_of_life": False}
    ),
    quiet("VUL-003", "accepted"),
    fire("VUL-004", "no-intake", {"support_planning.secure_development.vulnerability_reports": []}),
    fire(
        "VUL-004", "no-triage", {"support_planning.secure_development.remediation_prioritization": ["none"]}
    ),
    quiet("VUL-004", "not-said", {"support_planning.secure_development.vulnerability_reports": None}),
    # --- retirement ----------------------------------------------------------------------------------
    fire("RET-001", "removal-impossible", {"retirement.ownership_transfer.data_removal": "not possible"}),
    fire(
        "RET-001",
        "transfer-without-how",
        {"retirement.ownership_transfer.data_removal": None},
        path=("retirement", "ownership_transfer"),
    ),
    quiet(
        "RET-001",
        "no-transfer",
        {
            "retirement.ownership_transfer.supported": False,
            "retirement.ownership_transfer.data_removal": None,
        },
    ),
    fire(
        "RET-002",
        "no-erasure-anywhere",
        {**TEXT_PLACES, "retirement": None, "means.m-factory-reset.catalog": None},
    ),
    fire(
        "RET-002",
        "removed-from-nowhere-beats-text",
        {f"composition.data_types.{d}.removed_from": [] for d in DATA_IDS},
        path=("composition", "data_types"),
    ),
    quiet(
        "RET-002",
        "removed-from-beats-silent-text",
        {"retirement": None, "means.m-factory-reset.catalog": None},
    ),
    quiet("RET-002", "reset-means-realizes-DP.2", {"retirement": None}),
    quiet(
        "RET-002",
        "collects-no-data",
        {"retirement": None, "means.m-factory-reset.catalog": None, "composition.data_types": []},
    ),
    fire(
        "RET-003",
        "reset-forgets-cloud",
        {
            **TEXT_PLACES,
            "retirement.ownership_transfer.data_removal": "Hold the reset button for 10 seconds to erase it.",
        },
    ),
    fire(
        "RET-003",
        "text-says-cloud-is-not-deleted",
        {
            **TEXT_PLACES,
            "retirement.ownership_transfer.data_removal": (
                "The reset erases the SD card. Recordings already in the cloud are not deleted by the reset."
            ),
        },
    ),
    fire(
        "RET-003",
        "cloud-not-reached",
        {REMOVED: ["device", "related-device"]},
        path=("composition", "data_types", 0, "removed_from"),
    ),
    quiet("RET-003", "phone-copy-stays-with-the-owner", {REMOVED: ["device", "manufacturer-cloud"]}),
    fire(
        "RET-003",
        "places-beat-text-naming-the-cloud",
        {REMOVED: ["device"], "composition.data_types.data-audio.removed_from": ["device"]},
        n=2,
    ),
    quiet(
        "RET-003",
        "places-beat-text-forgetting-the-cloud",
        {"retirement.ownership_transfer.data_removal": "Hold the reset button for 10 seconds to erase it."},
    ),
    quiet(
        "RET-003",
        "nothing-removed-anywhere-is-RET-002s",
        {f"composition.data_types.{d}.removed_from": [] for d in DATA_IDS},
    ),
    fire(
        "RET-003",
        "kept-locally-in-the-app",
        {
            **ON_DEVICE_ONLY,
            "composition.data_types.data-account.stored": ["owner phone, stored locally in the app"],
        },
    ),
    fire(
        "RET-001",
        "there-is-no-way",
        {"retirement.ownership_transfer.data_removal": "There is no way to remove data from the camera."},
        path=("retirement", "ownership_transfer", "data_removal"),
    ),
    quiet("RET-003", "all-data-on-the-device", ON_DEVICE_ONLY),
    quiet("RET-003", "removes-from-app-and-cloud"),
    quiet("RET-003", "empty-is-RET-001s", {"retirement.ownership_transfer.data_removal": "none"}),
    # --- maintenance and logging ---------------------------------------------------------------------
    fire("MNT-001", "offsite-without-removal", {f"{MAINTENANCE}.data_removal_before_repair": None}),
    fire("MNT-001", "offsite-removal-none", {f"{MAINTENANCE}.data_removal_before_repair": "none"}),
    quiet("MNT-001", "offsite-with-removal"),
    quiet(
        "MNT-001",
        "no-offsite-repair",
        {f"{MAINTENANCE}.offsite_repair": False, f"{MAINTENANCE}.data_removal_before_repair": None},
    ),
    fire(
        "MNT-001",
        "text-returned-to-manufacturer",
        {
            MAINTENANCE: None,
            GUIDANCE_MAINTENANCE: "Faulty cameras are returned to the manufacturer for repair.",
        },
        path=("composition", "guidance", "maintenance"),
    ),
    quiet(
        "MNT-001",
        "text-returned-after-reset",
        {
            MAINTENANCE: None,
            GUIDANCE_MAINTENANCE: "Reset the camera to erase it before it is returned to the manufacturer.",
        },
    ),
    quiet(
        "MNT-001",
        "no-offsite-beats-text",
        {
            f"{MAINTENANCE}.offsite_repair": False,
            GUIDANCE_MAINTENANCE: "Faulty cameras are returned to the manufacturer.",
        },
    ),
    quiet(
        "MNT-001",
        "collects-no-data",
        {f"{MAINTENANCE}.data_removal_before_repair": None, "composition.data_types": []},
    ),
    fire(
        "MNT-002",
        "remote-without-records",
        {f"{REMOTE}.records": None},
        path=("support", "maintenance", "activities", 0),
    ),
    fire("MNT-002", "remote-records-none", {f"{REMOTE}.records": "none"}),
    quiet("MNT-002", "remote-with-records"),
    quiet("MNT-002", "local-without-records", {f"{REMOTE}.records": None, f"{REMOTE}.kind": "local"}),
    fire(
        "MNT-002",
        "text-monthly-remote-diagnostics",
        {MAINTENANCE: None, GUIDANCE_MAINTENANCE: "Monthly remote diagnostics by Acme support."},
    ),
    quiet(
        "MNT-002",
        "text-remote-with-log",
        {
            MAINTENANCE: None,
            GUIDANCE_MAINTENANCE: "Remote diagnostics by Acme support appear in the app's log.",
        },
    ),
    quiet(
        "MNT-002",
        "records-beat-text",
        {GUIDANCE_MAINTENANCE: "Monthly remote diagnostics by Acme support."},
    ),
    fire("LOG-001", "logs-nothing", {f"{LOGGING}.events": []}, path=("composition", "logging", "events")),
    quiet("LOG-001", "logs-sign-ins"),
    quiet("LOG-001", "logging-not-said", {LOGGING: None}),
    fire("LOG-002", "manufacturer-only", {f"{LOGGING}.destinations": ["manufacturer"]}),
    quiet("LOG-002", "app-shows-them"),
    quiet(
        "LOG-002",
        "logs-nothing-is-LOG-001s",
        {f"{LOGGING}.events": [], f"{LOGGING}.destinations": ["manufacturer"]},
    ),
    fire(
        "LOG-003",
        "siem-format-not-said",
        {f"{LOGGING}.destinations": ["customer-log-server"], f"{LOGGING}.format": None},
    ),
    quiet("LOG-003", "siem-format-said", {f"{LOGGING}.destinations": ["customer-log-server"]}),
    quiet("LOG-003", "no-log-server", {f"{LOGGING}.format": None}),
    # --- means ---------------------------------------------------------------------------------------
    fire("MNS-001", "offline-only-partly", {"means.m-local-recording.status": "partial"}, path=("needs", 4)),
    quiet("MNS-001", "status-not-said", {"means.m-local-recording.status": None}),
    fire("MNS-002", "offline-left-to-customer", {"means.m-local-recording.kind": "customer"}),
    quiet("MNS-002", "customer-helps-but-device-too"),
    fire(
        "MNS-003",
        "account-data-untraced",
        {"means.m-account-security.robustness.data_protection": None},
        path=("composition", "data_types", 2),
    ),
    quiet("MNS-003", "account-data-traced"),
    quiet(
        "MNS-003",
        "traced-by-another-means",
        {
            "means.m-account-security.robustness.data_protection": None,
            "means.m-transport-encryption.robustness.data_protection.0.data": lambda ids: [
                *ids,
                "data-account",
            ],
        },
    ),
    fire(
        "MNS-004",
        "fixed-lockout-cites-configurable",
        {"means.m-account-security.catalog": lambda refs: [*refs, "nistir-8259a:8259A-LAI.3"]},
        path=("means", 1, "catalog"),
    ),
    fire(
        "MNS-004",
        "no-lockout-cites-locking",
        {
            "means.m-account-security.robustness.authentication.lockout": "none",
            "means.m-account-security.catalog": lambda refs: [*refs, "sp800-213a:LAI-2.1.2"],
        },
        path=("means", 1, "catalog"),
    ),
    quiet(
        "MNS-004",
        "fixed-lockout-cites-locking",
        {"means.m-account-security.catalog": lambda refs: [*refs, "sp800-213a:LAI-2.1.2"]},
    ),
    quiet(
        "MNS-004",
        "configurable-lockout-cites-configurable",
        {
            "means.m-account-security.robustness.authentication.lockout": "configurable",
            "means.m-account-security.catalog": lambda refs: [*refs, "nistir-8259a:8259A-LAI.3"],
        },
    ),
    quiet(
        "MNS-004",
        "unstated-lockout",
        {
            "means.m-account-security.robustness.authentication.lockout": None,
            "means.m-account-security.catalog": lambda refs: [*refs, "nistir-8259a:8259A-LAI.3"],
        },
    ),
    # --- questions -----------------------------------------------------------------------------------
    fire(
        "QST-001",
        "verification-and-notes-open",
        {"updates.verification": None, "updates.release_notes": None},
        path=("updates", "verification"),
    ),
    fire("QST-001", "empty-file", n=11, product=lambda: Product.model_validate({"securable": 1})),
    quiet("QST-001", "all-answered"),
    quiet(
        "QST-001",
        "open-one-marked-not-applicable",
        {"updates.release_notes": None, "not_applicable": {"Q4.2.4-6": "updates carry no notes"}},
    ),
    fire(
        "QST-002",
        "no-updates-marked-not-applicable",
        {"not_applicable": {"Q4.2.4-1": "the device has no software"}},
        path=("not_applicable", "Q4.2.4-1"),
    ),
    quiet("QST-002", "hub-question-not-applicable", {"not_applicable": {"Q4.2.6-1.b": "no hub is involved"}}),
    fire("QST-003", "blank-file", product=lambda: Product.model_validate({"securable": 1})),
    fire(
        "QST-003",
        "only-the-header",
        product=lambda: Product.model_validate({"securable": 1, "product": camera().model_dump()["product"]}),
    ),
    quiet("QST-003", "written"),
    quiet("QST-003", "some-sections-open", {"audiences": None, "support_planning": None, "updates": None}),
    fire("QST-004", "no-name", {"product.name": " "}, path=("product", "name")),
    fire("QST-004", "no-support-end", {"support.support_end": None}, path=("support",)),
    fire(
        "QST-004",
        "no-contact-anywhere",
        {"product.security_contact": None, "support.vulnerability_reporting.channels": []},
    ),
    quiet("QST-004", "reporting-channel-is-a-contact", {"product.security_contact": None}),
    quiet("QST-004", "complete"),
    fire("QST-004", "blank-file", product=lambda: Product.model_validate({"securable": 1}), path=()),
)


def run_one(case: Case) -> list[Finding]:
    return run_rules(case.build(), today=case.today, rules=[BY_ID[case.rule]])


def resolve_path(product: Product, path: tuple[str | int, ...]) -> object:
    """The value a finding's path points at; raises when a step does not exist."""
    node: object = product
    for step in path:
        if isinstance(step, int):
            assert isinstance(node, tuple), (path, step)
            node = node[step]
        elif isinstance(node, BaseModel):
            assert step in type(node).model_fields, (path, step)
            node = getattr(node, step)
        else:
            assert isinstance(node, Mapping), (path, step)
            node = node[step]
    return node


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.rule}-{'fires' if c.fires else 'quiet'}-{c.why}" for c in CASES]
)
def test_rule_case(case: Case) -> None:
    findings = run_one(case)
    assert len(findings) == case.fires, [f.message for f in findings]
    product = case.build()
    for finding in findings:
        assert finding.rule == case.rule
        assert finding.severity is BY_ID[case.rule].severity
        assert finding.message
        assert finding.fix
        # every finding points at a place in the file: its parent exists, and, for rules that
        # report answers (not open questions), the place itself holds a value
        assert resolve_path(product, finding.path[:-1]) is not None
        if case.rule != "QST-001":
            assert resolve_path(product, finding.path) is not None
        for related in finding.related:
            assert resolve_path(product, related[:-1]) is not None
        for question in finding.citation.questions:
            assert question in catalog.load("nistir-8259-questions")
        for element in finding.citation.elements:
            catalog.resolve(element)
    if case.path is not None:
        assert findings[0].path == case.path


def test_cases_cover_every_rule_both_ways() -> None:
    fires = {c.rule for c in CASES if c.fires}
    quiets = {c.rule for c in CASES if not c.fires}
    rules = set(BY_ID)
    assert {c.rule for c in CASES} <= rules, "a case names an unknown rule"
    assert rules - fires == set(), "rules without a case that makes them fire"
    assert rules - quiets == set(), "rules without a case that keeps them quiet"


# Cases where a structured field decides against the file's text, with what clears the field: without
# it, the text alone gives the opposite outcome, so the case shows the field winning.
OVERRIDES: tuple[tuple[str, str, Mapping[str, Any]], ...] = (
    ("SUP-001", "years-beat-shorter-text", TEXT_PERIODS),
    ("SUP-001", "years-beat-longer-text", TEXT_PERIODS),
    ("SUP-002", "one-end-stands-for-both", TEXT_PERIODS),
    ("SUP-002", "years-max-outlasts-support", TEXT_PERIODS),
    ("SUP-005", "years-given-beside-vague-text", TEXT_PERIODS),
    ("SAF-001", "fixed-beats-text-calling-it-adjustable", {LOCKOUT: None}),
    ("SAF-001", "fixed-beats-catalog-citing-LAI.3", {LOCKOUT: None}),
    ("SAF-001", "configurable-beats-text-lockout", {LOCKOUT: None}),
    ("SAF-001", "none-beats-text-lockout", {LOCKOUT: None}),
    ("SAF-001", "not-actuating-beats-text", TEXT_SAFETY),
    ("SAF-001", "actuates-beats-text-saying-no-actuation", TEXT_SAFETY),
    (
        "SAF-002",
        "degraded-behaviour-says-none-beats-text",
        {"use_cases.uc-home.research.degraded_behaviour": None},
    ),
    ("SAF-002", "actuates-beats-text-saying-no-actuation", TEXT_SAFETY),
    ("SAF-002", "degraded-behaviour-given-beside-silent-text", TEXT_SAFETY),
    ("SAF-002", "not-actuating-beats-text", TEXT_SAFETY),
    ("UPD-005", "no-alternative-beats-text", {"updates.poor_network_alternative": None}),
    (
        "UPD-005",
        "alternative-beats-text",
        {"updates.poor_network_alternative": None},
    ),
    ("RET-002", "removed-from-nowhere-beats-text", TEXT_PLACES),
    ("RET-002", "removed-from-beats-silent-text", TEXT_PLACES),
    ("RET-003", "places-beat-text-forgetting-the-cloud", TEXT_PLACES),
    ("IFC-004", "shared-beats-text-saying-unique", {CRED: None}),
    ("IFC-004", "must-change-beats-text", {CRED: None}),
    ("MNT-001", "no-offsite-beats-text", {MAINTENANCE: None}),
    ("MNT-002", "records-beat-text", {MAINTENANCE: None}),
)


@pytest.mark.parametrize(("rule", "why", "cleared"), OVERRIDES, ids=[f"{r}-{w}" for r, w, _ in OVERRIDES])
def test_a_structured_field_wins_over_the_text(rule: str, why: str, cleared: Mapping[str, Any]) -> None:
    case = next(c for c in CASES if (c.rule, c.why) == (rule, why))
    text_only = replace(case, changes={**case.changes, **cleared})
    assert bool(run_one(text_only)) is not bool(case.fires)


def test_case_ids_are_unique() -> None:
    ids = [(c.rule, c.why) for c in CASES]
    assert len(ids) == len(set(ids))
