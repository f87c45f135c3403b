"""The one table of roles: each built-in role is a set of verb-level permissions.

No Django import: the authorization matrix test and the docs are generated from this table.
"""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    "product.view": "see products, their versions and assessments",
    "product.edit": "import product descriptions and answer their questions (new versions)",
    "product.comment": "comment on a product's questions",
    "package.sign": "approve releases another member requested, signed with the organization's key",
    "key.rotate": "replace the organization's package-signing key (old public keys stay published)",
    "agency.view": "see requirement sets, vendor packages and evaluations",
    "requirements.edit": "derive and tailor requirement sets (each change is a new draft version)",
    "requirements.approve": "approve tailored requirement sets (never one's own version)",
    "vendor.upload": "upload vendor packages, verified with the vendor's key on arrival",
    "vendor.evaluate": "evaluate vendor packages",
    "member.manage": "add and remove members, change their roles",
    "token.manage": "create and revoke API tokens for CI",
    "audit.view": "read and export the audit log",
    "device.view": "see the device register, maintenance records, personnel and diagnostic tools",
    "device.manage": "add, import and change devices in the register",
    "maintenance.request": "request maintenance of a device",
    "maintenance.approve": "approve or reject maintenance requests (never one's own), verify and close work",
    "maintenance.perform": "record maintenance work, data removal and shipping; propose diagnostic tools",
    "tools.approve": "approve diagnostic tools (never one's own proposal)",
    "personnel.manage": "add maintenance organizations and people and their authorizations",
    "policy.edit": "draft new versions of the agency's IoT device policies",
    "policy.approve": "approve a policy version (never one's own draft)",
    "review.trigger": "record incidents and upload manufacturer advisories, which open device reviews",
    "review.complete": "complete device reviews with an outcome (a completed review never changes)",
    "docs.view": (
        "open vendor documentation, when the approved policy names one's role among those that see it"
        " (every view is logged)"
    ),
    "docs.manage": "add vendor documentation to the vault; draft and follow up requests to manufacturers",
    "oversight.manage": "record contractors and service providers, their obligations and audits",
}

_ALL = frozenset(PERMISSIONS)

ROLES: dict[str, frozenset[str]] = {
    "owner": _ALL,
    "editor": frozenset(
        {"product.view", "product.edit", "product.comment", "vendor.evaluate", "token.manage"}
        | {"agency.view", "requirements.edit", "vendor.upload"}
        | {"device.view", "device.manage", "maintenance.request", "maintenance.perform", "policy.edit"}
        | {"review.trigger"}
        | {"docs.view", "docs.manage", "oversight.manage"}
    ),
    # Reviewers approve and verify what editors request and record: the separation of duties the
    # maintenance rules also enforce per person.
    "reviewer": frozenset(
        {"product.view", "product.comment", "package.sign", "requirements.approve", "vendor.evaluate"}
        | {"agency.view", "device.view", "maintenance.approve", "tools.approve", "policy.approve"}
        | {"review.complete"}
        | {"docs.view"}
    ),
    "auditor": frozenset(
        {"product.view", "audit.view", "agency.view", "device.view", "docs.view"}
    ),  # read-only
}

ROLE_HELP: dict[str, str] = {
    "owner": "everything, including members and API tokens",
    "editor": (
        "imports products, drafts requirement sets, uploads vendor packages, makes CI tokens,"
        " keeps the device register, requests and does maintenance, keeps vendor documents, requests to"
        " manufacturers and third-party oversight"
    ),
    "reviewer": (
        "signs packages; approves requirements, maintenance and diagnostic tools; completes reviews;"
        " edits nothing"
    ),
    "auditor": "reads products, agency records, devices, maintenance and the audit log; changes nothing",
}


def allows(role: str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")  # a typo in code, never a silent deny
    return permission in ROLES.get(role, frozenset())
