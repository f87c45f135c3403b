"""The seed page's Agency actions and the workflow that carries out each, or why none does.

The page ("Device Security", 2020 draft) is stored in the Federal Profile catalog as records with
``source == "seed"``; the IDs are read from there so this table cannot silently miss one.
"""

from __future__ import annotations

from dataclasses import dataclass

CATALOG = "federal-profile-2020"

# Workflows of the workspace, by the seed's supporting capability (FPN-SEED-n); an action not
# listed in EXCEPTIONS takes its capability's entry.
MAINTENANCE = "maintenance records"
REMOVAL = "offsite repair: data-removal attestation"
PERSONNEL = "maintenance personnel and authorizations"
TOOLS = "approved diagnostic tools"
VERIFICATION = "post-maintenance verification and alerts"
REVIEWS = "reviews: scheduled by the policy, and opened by advisories, incidents and failed checks"
REPORTS = "maintenance records, and auditor reports built from the audit chain"
VAULT = "vendor documentation vault (opened only by the policy's roles, every view logged)"
REQUESTS = "documentation and parts requests to manufacturers"
OVERSIGHT = "third-party oversight: obligations and audits"
POLICIES = "policy documents: drafted from these actions, approved by a second person, acknowledged"

_OUT_PROCUREMENT = (
    "out of scope: procurement and contracts (securable requirements/evaluate draft the clauses)"
)
_OUT_BUDGET = "out of scope: budgeting (CPIC) is outside a device workspace"

BY_CAPABILITY: dict[str, str] = {
    "FPN-SEED-1": MAINTENANCE,
    "FPN-SEED-2": REMOVAL,
    "FPN-SEED-3": MAINTENANCE,
    "FPN-SEED-4": PERSONNEL,
    "FPN-SEED-5": PERSONNEL,
    "FPN-SEED-6": REVIEWS,
    "FPN-SEED-7": TOOLS,
    "FPN-SEED-8": PERSONNEL,
    "FPN-SEED-9": _OUT_PROCUREMENT,
    "FPN-SEED-10": _OUT_PROCUREMENT,
    "FPN-SEED-11": _OUT_PROCUREMENT,
    "FPN-SEED-12": _OUT_BUDGET,
    "FPN-SEED-13": _OUT_PROCUREMENT,
    "FPN-SEED-14": POLICIES,
    "FPN-SEED-15": _OUT_PROCUREMENT,
    "FPN-SEED-16": VAULT,
    # The register holds no device configuration to check; the oversight policy states the rule.
    "FPN-SEED-17": "out of scope: configuration checks run in the system's own configuration tools",
    "FPN-SEED-18": VAULT,
    "FPN-SEED-19": REQUESTS,
    "FPN-SEED-20": VAULT,
    "FPN-SEED-21": POLICIES,
    "FPN-SEED-22": VERIFICATION,
    "FPN-SEED-23": _OUT_PROCUREMENT,
}

EXCEPTIONS: dict[str, str] = {
    # Telling the manufacturer is a contract matter, not a record the workspace keeps.
    "FPN-SEED-1.A2": _OUT_PROCUREMENT,
    "FPN-SEED-1.A3": "out of scope: the agency's own procurement and monitoring systems",
    # Auditor reports put the maintenance records into the agency's audit work.
    "FPN-SEED-3.A2": REPORTS,
    "FPN-SEED-4.A2": _OUT_PROCUREMENT,
    "FPN-SEED-5.A2": POLICIES,  # distributed as a policy version every member acknowledges
    "FPN-SEED-5.A3": "out of scope: training is run outside the workspace",
    "FPN-SEED-8.A2": PERSONNEL,
    "FPN-SEED-17.A1": "out of scope: the agency's risk assessment process",
    "FPN-SEED-18.A2": REQUESTS,
    "FPN-SEED-23.A1": OVERSIGHT,
    "FPN-SEED-23.A2": REQUESTS,  # the deficiencies are sent to the manufacturer as a request
}


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    workflow: str


def seed_actions() -> list[Action]:
    """Every Agency action of the seed page, in catalog order, with its workflow."""
    from securable.catalog.store import load

    found: list[Action] = []
    for record in load(CATALOG).records:
        if record.provenance.source.key != "seed" or record.kind != "agency-action":
            continue
        capability = record.id.split(".", 1)[0]
        workflow = EXCEPTIONS.get(record.id) or BY_CAPABILITY.get(capability)
        if workflow is None:
            raise KeyError(f"{record.id}: no workflow named for its capability {capability}")
        found.append(Action(record.id, record.text or "", workflow))
    return found


def markdown_table() -> str:
    """The README's table (``tools/`` regenerates it; a test keeps it equal)."""
    lines = ["| Agency action | Carried out by |", "| --- | --- |"]
    lines += [f"| {a.id} | {a.workflow} |" for a in seed_actions()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
