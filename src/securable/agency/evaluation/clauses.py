"""Contract clauses for device vendors, drawn from the Federal Profile's Agency actions.

Several Agency actions of the 2020 Federal Profile (``federal-profile-2020``) can only be carried
out if the vendor's contract allows or demands it: documentation the agency must obtain, records of
maintenance it must keep, data it must remove before a device leaves for repair, the right to audit,
oversight of the vendor's own contractors. Each :class:`Theme` groups the Agency actions behind one
such clause, by record ID, chosen by reading the actions (NIST grouped them by supporting capability,
not by contract topic). The clause wording is Securable's, not NIST's: a checklist item for the
contracting officer, citing the NIST records it rests on.

A theme is on the checklist when the requirements profile requires at least one of its actions;
the others are still listed as not called for, so the agency can add them by tailoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from securable import catalog as api
from securable.agency.requirements.links import FEDERAL


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    title: str
    clause: str  # Securable's wording of what the contract should say
    actions: tuple[str, ...]  # federal-profile-2020 Agency action IDs it rests on


THEMES = (
    Theme(
        "vendor-documentation",
        "Vendor documentation",
        "The vendor delivers documentation for the device and every associated system and service, "
        "and keeps it current for the support period: secure installation, configuration and "
        "operation; use and maintenance of the security functions; known vulnerabilities of "
        "privileged functions; the customer's security responsibilities; the interfaces and their "
        "access controls; and how maintenance and repairs are performed. The vendor answers the "
        "agency's written requests for missing documentation within an agreed time.",
        (
            "FPN-DS-3.A1",
            "FPN-DS-3.A2",
            "FPN-DS-3.A2.1",
            "FPN-DS-3.A2.2",
            "FPN-DS-3.A2.3",
            "FPN-DS-3.A2.4",
            "FPN-DS-3.A2.5",
            "FPN-DS-3.A2.6",
            "FPN-LAI-5.A1.2",
            "FPN-MA-12.A1",
            "FPN-MA-12.A2",
            "FPN-MA-13.A2",
        ),
    ),
    Theme(
        "maintenance-records",
        "Maintenance and diagnostic records",
        "The vendor, and anyone it engages for maintenance, maintains devices locally or remotely "
        "only with the agency's approval, with an individual account for each worker, using only "
        "diagnostic tools the agency has approved. Every maintenance and diagnostic session is "
        "recorded (who, when, from where, what was done, with what result), the records are handed "
        "to the agency on request, and failed maintenance is reported to the agency at once.",
        (
            "FPN-MA-5.A1",
            "FPN-MA-5.A2",
            "FPN-MA-6.A1",
            "FPN-MA-6.A2",
            "FPN-MA-7.A1",
            "FPN-MA-7.A2",
            "FPN-MA-10.A1",
            "FPN-MA-10.A2",
            "FPN-DS-8.A1",
            "FPN-DS-8.A2",
        ),
    ),
    Theme(
        "data-removal",
        "Data removal before offsite repair",
        "No device leaves the agency's facilities for repair, replacement or return while it holds "
        "agency data or credentials. The vendor documents how to remove all data from the device, "
        "accepts devices only after removal (or removes the data under the agency's oversight and "
        "records it), and sanitizes devices it takes back for disposal.",
        ("FPN-DP-7.A1", "FPN-DP-7.A2", "FPN-DP-5.A2"),
    ),
    Theme(
        "right-to-audit",
        "Right to audit",
        "The agency, or an assessor it names, may audit the vendor's compliance with the security "
        "and privacy terms of the contract, including the devices, services, records and "
        "subcontractors used for the agency, periodically and whenever the vendor needs periodic "
        "or ongoing access to the agency's devices.",
        ("FPN-LAI-1.A5", "FPN-DS-9.A3"),
    ),
    Theme(
        "third-party-oversight",
        "Third-party oversight",
        "The vendor names the third parties (contractors, cloud and other service providers) that "
        "can reach the devices or their data, passes the contract's security and privacy "
        "requirements on to them, uses FedRAMP-authorized cloud services for its back end, tells the "
        "agency before it changes them, documents its dependencies on them and its disaster recovery, "
        "and tells the agency when a device cannot meet the agency's compliance requirements.",
        (
            "FPN-LAI-4.A1",
            "FPN-LAI-4.A2.2",
            "FPN-LAI-4.A2.3",
            "FPN-LAI-4.A2.4",
            "FPN-LAI-4.A4",
            "FPN-LAI-4.A4.1",
            "FPN-LAI-4.A4.2",
            "FPN-LAI-4.A5",
            "FPN-DS-9.A1",
            "FPN-DS-9.A2",
            "FPN-DS-9.A4",
            "FPN-DS-9.A5",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Clause:
    theme: Theme
    required: tuple[api.Record, ...]  # the theme's Agency actions that the profile requires
    others: tuple[api.Record, ...]  # the rest of the theme's actions, not required

    @property
    def on_checklist(self) -> bool:
        return bool(self.required)


def checklist(required: Iterable[str]) -> tuple[Clause, ...]:
    """Every theme, with the Agency actions of ``required`` (record IDs) that call for it."""
    wanted = set(required)
    federal = api.load(FEDERAL)
    out = []
    for theme in THEMES:
        records = [r for r in (federal.get(a) for a in theme.actions) if r is not None]
        out.append(
            Clause(
                theme,
                tuple(r for r in records if r.id in wanted),
                tuple(r for r in records if r.id not in wanted),
            )
        )
    return tuple(out)
