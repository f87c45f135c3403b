"""An organization that requires a second factor: members without one see none of its pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.orgs.services import (
    CreateOrganization,
    SetMfaRequired,
    create_organization,
    has_second_factor,
    set_mfa_required,
)
from securable.web.service import Conflict, Forbidden

from .conftest import actor

pytestmark = pytest.mark.django_db


def add_totp(user: Any) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())


def test_members_without_a_second_factor_are_kept_out_of_that_organization_only(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    editor = member_of(org, "editor")
    other = create_organization(actor(editor), CreateOrganization("other", "Other", "maker"))
    with pytest.raises(Conflict, match="your own account first"):
        set_mfa_required(actor(owner), org, SetMfaRequired(True))
    add_totp(owner)
    assert has_second_factor(owner)
    with pytest.raises(Forbidden):
        set_mfa_required(actor(editor), org, SetMfaRequired(True))

    owners = client_of(owner)
    done = owners.post(f"/o/{org.slug}/settings/mfa", {"required": "1", "why": "policy"})
    assert done.status_code == 302
    org.refresh_from_db()
    assert org.mfa_required
    event = json.loads(AuditEvent.objects.for_org(org).order_by("-seq").first().payload)
    assert (event["action"], event["before"], event["after"], event["why"]) == (
        "organization.mfa_required",
        {"mfa_required": False},
        {"mfa_required": True},
        "policy",
    )

    editors = client_of(editor)
    for page in ("products/", "members/", "tokens/"):
        refused = editors.get(f"/o/{org.slug}/{page}")
        assert refused.status_code == 403, page
        assert b"requires a second factor" in refused.content
    assert editors.get(f"/o/{other.slug}/products/").status_code == 200  # their own organization
    assert owners.get(f"/o/{org.slug}/products/").status_code == 200

    add_totp(editor)
    assert editors.get(f"/o/{org.slug}/products/").status_code == 200
    assert b"Stop requiring a second factor" in owners.get(f"/o/{org.slug}/members/").content
    assert owners.post(f"/o/{org.slug}/settings/mfa", {"required": "0"}).status_code == 302
    org.refresh_from_db()
    assert not org.mfa_required


def test_outsiders_still_get_not_found(
    org: Organization, owner: Any, make_user: Callable[[str], Any], client_of: Callable[[Any], Client]
) -> None:
    add_totp(owner)
    set_mfa_required(actor(owner), org, SetMfaRequired(True))
    stranger = client_of(make_user("stranger@elsewhere.example"))
    assert stranger.get(f"/o/{org.slug}/products/").status_code == 404
