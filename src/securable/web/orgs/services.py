"""Service functions for organizations and members (see ``securable.web.service``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from securable.errors import InputError, NotFoundError
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import ROLES
from securable.web.service import Actor, Conflict, authorize

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class CreateOrganization:
    slug: str
    name: str
    kind: str
    why: str = ""


@dataclass(frozen=True)
class AddMember:
    email: str
    role: str
    why: str = ""


@dataclass(frozen=True)
class ChangeRole:
    person: str  # the member's stable id (Person.public_id)
    role: str
    why: str = ""


@dataclass(frozen=True)
class RemoveMember:
    person: str
    why: str = ""


@dataclass(frozen=True)
class SetMfaRequired:
    required: bool
    why: str = ""


def has_second_factor(user: AbstractBaseUser) -> bool:
    """A TOTP authenticator or a security key (recovery codes alone are not a factor one signs in with)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return bool(is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}", hint=f"choose one of {', '.join(ROLES)}")


def create_organization(actor: Actor, command: CreateOrganization) -> Organization:
    """The one service without an organization to check against: anyone signed in may found one.

    Its founder becomes its owner; the organization's chain starts with this event.
    """
    from django.utils.text import slugify

    if actor.token_role is not None:
        raise InputError("API tokens cannot create organizations", hint="sign in to the web app")
    if command.kind not in Organization.Kind.values:
        raise InputError(f"unknown kind {command.kind!r}", hint="choose maker or agency")
    slug = slugify(command.slug)[:50]
    if not slug or not command.name.strip():
        raise InputError("an organization needs a name and a short name (letters, digits, dashes)")
    with transaction.atomic():
        if Organization.objects.filter(slug=slug).exists():
            raise Conflict(f"the short name {slug!r} is taken", hint="choose another short name")
        org = Organization(slug=slug, name=command.name.strip()[:200], kind=command.kind)
        org.save(force_insert=True)
        Membership(organization=org, user=actor.user, role="owner").save(force_insert=True)
        append(
            actor,
            org,
            "organization.create",
            target=("organization", str(org.public_id)),
            after={"slug": slug, "name": org.name, "kind": org.kind, "founder_role": "owner"},
            why=command.why,
        )
    return org


def add_member(actor: Actor, organization: Organization, command: AddMember) -> Membership:
    _check_role(command.role)
    with transaction.atomic():
        authorize(actor, organization, "member.manage")
        user = get_user_model().objects.filter(email__iexact=command.email.strip()).first()
        if user is None:
            raise NotFoundError(
                f"no account with the address {command.email!r}", hint="ask them to sign up first"
            )
        if Membership.objects.filter(organization=organization, user=user).exists():
            raise Conflict("already a member", hint="change their role instead")
        member = Membership(organization=organization, user=user, role=command.role)
        member.save(force_insert=True)
        person = person_for(user)
        append(
            actor,
            organization,
            "member.add",
            target=("person", str(person.public_id)),
            after={"role": command.role},
            why=command.why,
        )
    return member


def _member(organization: Organization, person: str) -> Membership:
    found = (
        Membership.objects.select_for_update()
        .filter(organization=organization, user__audit_person__public_id=person)
        .first()
    )
    if found is None:
        raise NotFoundError("no such member")
    return found


def _keep_an_owner(organization: Organization, member: Membership) -> None:
    owners = Membership.objects.filter(organization=organization, role="owner").exclude(pk=member.pk)
    if member.role == "owner" and not owners.exists():
        raise Conflict("an organization keeps at least one owner", hint="make someone else owner first")


def change_role(actor: Actor, organization: Organization, command: ChangeRole) -> Membership:
    _check_role(command.role)
    with transaction.atomic():
        authorize(actor, organization, "member.manage")
        member = _member(organization, command.person)
        before = member.role
        if command.role != "owner":
            _keep_an_owner(organization, member)
        member.role = command.role
        member.save(update_fields=["role"])
        append(
            actor,
            organization,
            "member.role",
            target=("person", command.person),
            before={"role": before},
            after={"role": command.role},
            why=command.why,
        )
    return member


def remove_member(actor: Actor, organization: Organization, command: RemoveMember) -> None:
    with transaction.atomic():
        authorize(actor, organization, "member.manage")
        member = _member(organization, command.person)
        _keep_an_owner(organization, member)
        before = member.role
        member.delete()
        append(
            actor,
            organization,
            "member.remove",
            target=("person", command.person),
            before={"role": before},
            why=command.why,
        )


def set_mfa_required(actor: Actor, organization: Organization, command: SetMfaRequired) -> Organization:
    """Require (or stop requiring) a second factor of every member on this organization's pages."""
    with transaction.atomic():
        authorize(actor, organization, "member.manage")
        # Whoever turns it on must pass it, or they would lock themselves out on the spot.
        if command.required and not has_second_factor(actor.user):
            raise Conflict(
                "add a second factor to your own account first",
                hint="at /accounts/2fa/: an authenticator app or a security key",
            )
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        before = org.mfa_required
        org.mfa_required = command.required
        org.save(update_fields=["mfa_required"])
        append(
            actor,
            org,
            "organization.mfa_required",
            target=("organization", str(org.public_id)),
            before={"mfa_required": before},
            after={"mfa_required": command.required},
            why=command.why,
        )
    return org
