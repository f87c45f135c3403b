"""The one table of roles: each built-in role is a set of verb-level permissions.

No Django import: the authorization matrix test and the docs are generated from this table.
"""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    "product.view": "see products, their versions and assessments",
    "product.edit": "import product descriptions and answer their questions (new versions)",
    "product.comment": "comment on a product's questions",
    "package.sign": "approve releases another member requested, signed with the organization's key",
    "agency.view": "see requirement sets, vendor packages and evaluations",
    "requirements.edit": "derive and tailor requirement sets (each change is a new draft version)",
    "requirements.approve": "approve tailored requirement sets (never one's own version)",
    "vendor.upload": "upload vendor packages, verified with the vendor's key on arrival",
    "vendor.evaluate": "evaluate vendor packages",
    "member.manage": "add and remove members, change their roles",
    "token.manage": "create and revoke API tokens for CI",
    "audit.view": "read and export the audit log",
}

_ALL = frozenset(PERMISSIONS)

ROLES: dict[str, frozenset[str]] = {
    "owner": _ALL,
    "editor": frozenset(
        {"product.view", "product.edit", "product.comment", "vendor.evaluate", "token.manage"}
        | {"agency.view", "requirements.edit", "vendor.upload"}
    ),
    "reviewer": frozenset(
        {"product.view", "product.comment", "package.sign", "requirements.approve", "vendor.evaluate"}
        | {"agency.view"}
    ),
    "auditor": frozenset({"product.view", "audit.view", "agency.view"}),  # read-only
}

ROLE_HELP: dict[str, str] = {
    "owner": "everything, including members and API tokens",
    "editor": "imports products, drafts requirement sets, uploads vendor packages, creates API tokens",
    "reviewer": "signs packages and approves requirements; cannot edit products or requirements",
    "auditor": "reads products and the audit log; changes nothing",
}


def allows(role: str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")  # a typo in code, never a silent deny
    return permission in ROLES.get(role, frozenset())
