"""The one service layer: who acts, and whether they may.

Every change to workspace data is a service function ``(actor, organization, command) -> result``
(in each app's ``services.py``) that opens one transaction, calls :func:`authorize`, makes the change
and appends the audit event (``securable.web.audit.record.append``) before the transaction commits:
a change without its event, or an event without its change, cannot be stored. Views and the API
only call services and read through organization-scoped queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from securable.errors import NotFoundError, SecurableError
from securable.web.orgs.roles import allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from securable.web.orgs.models import Membership, Organization


class Forbidden(SecurableError):
    """The actor belongs to the organization but their role does not allow this."""


class Conflict(SecurableError):
    """The command contradicts the current state (e.g. removing the last owner)."""


@dataclass(frozen=True)
class Actor:
    """Who acts and with which credential; what the audit event records as its "who".

    ``token_role`` and ``token_org`` are set when the credential is an API token: the token's role
    caps what the user may do through it, and it works in its one organization only.
    """

    user: AbstractBaseUser
    credential: str  # "session", "token:<prefix>" or "cli"
    request_id: str = ""
    token_role: str | None = None
    token_org: int | None = None


def membership(actor: Actor, organization: Organization) -> Membership:
    """The actor's membership; an outsider gets "not found", so no organization's existence leaks."""
    from securable.web.orgs.models import Membership

    if actor.token_org is not None and actor.token_org != organization.pk:
        raise NotFoundError("no such organization")
    found = Membership.objects.filter(organization=organization, user=actor.user).first()
    if found is None:
        raise NotFoundError("no such organization")
    return found


def authorize(actor: Actor, organization: Organization, permission: str) -> Membership:
    member = membership(actor, organization)
    if not allows(member.role, permission) or (
        actor.token_role is not None and not allows(actor.token_role, permission)
    ):
        raise Forbidden(
            f"your role does not allow {permission}",
            hint="an owner of the organization can change your role",
        )
    return member
