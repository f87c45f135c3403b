"""Creating, revoking and checking API tokens (services and the bearer check)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from securable.errors import InputError, NotFoundError
from securable.web.api.models import ApiToken
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES
from securable.web.service import Actor, Forbidden, authorize

PREFIX = "sct_"  # makes a leaked token recognisable to secret scanners
MAX_DAYS = 366
TOUCH_EVERY = dt.timedelta(minutes=1)  # last use is written at most this often per token


@dataclass(frozen=True)
class CreateToken:
    name: str
    role: str
    days: int = 90
    why: str = ""


@dataclass(frozen=True)
class RevokeToken:
    prefix: str
    why: str = ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(actor: Actor, organization: Organization, command: CreateToken) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    if command.role not in ROLES:
        raise InputError(f"unknown role {command.role!r}", hint=f"choose one of {', '.join(ROLES)}")
    if not 1 <= command.days <= MAX_DAYS:
        raise InputError(f"a token lives 1 to {MAX_DAYS} days, not {command.days}")
    name = command.name.strip()[:100]
    if not name:
        raise InputError("a token needs a name (what uses it, e.g. 'CI of the camera repo')")
    with transaction.atomic():
        member = authorize(actor, organization, "token.manage")
        if not ROLES[command.role] <= ROLES[member.role]:
            raise Forbidden(f"your role ({member.role}) cannot grant the role {command.role}")
        public = secrets.token_hex(6)
        secret = f"{PREFIX}{public}_{secrets.token_urlsafe(32)}"
        token = ApiToken(
            organization=organization,
            name=name,
            prefix=public,
            digest=_digest(secret),
            role=command.role,
            user=actor.user,
            created_by=person_for(actor.user),
            expires=timezone.now() + dt.timedelta(days=command.days),
        )
        token.save(force_insert=True)
        append(
            actor,
            organization,
            "token.create",
            target=("token", public),
            after={"name": name, "role": command.role, "expires": token.expires.isoformat()},
            why=command.why,
        )
    return token, secret


def revoke_token(actor: Actor, organization: Organization, command: RevokeToken) -> ApiToken:
    with transaction.atomic():
        authorize(actor, organization, "token.manage")
        token = ApiToken.objects.for_org(organization).filter(prefix=command.prefix, revoked=None).first()
        if token is None:
            raise NotFoundError("no such token")
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        append(actor, organization, "token.revoke", target=("token", token.prefix), why=command.why)
    return token


def check_bearer(presented: str) -> ApiToken | None:
    """The live token ``presented`` stands for, or None; records its use."""
    if not presented.startswith(PREFIX) or len(presented) > 200:
        return None
    public = presented[len(PREFIX) :].partition("_")[0]
    # Authentication cannot be scoped: the organization is what the token tells us.
    token = ApiToken._base_manager.select_related("organization", "user").filter(prefix=public).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(presented)):
        return None
    now = timezone.now()
    if token.revoked is not None or token.expires <= now or token.user is None or not token.user.is_active:
        return None
    if token.last_used is None or now - token.last_used >= TOUCH_EVERY:
        ApiToken._base_manager.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token


def actor_for(token: ApiToken, request_id: str) -> Actor:
    assert token.user is not None
    return Actor(
        user=token.user,
        credential=f"token:{token.prefix}",
        request_id=request_id,
        token_role=token.role,
        token_org=token.organization_id,
    )
