"""Fixtures of the web tests: accounts, organizations, members with each role, and API tokens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from securable.web.api.tokens import CreateToken, create_token
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.services import AddMember, CreateOrganization, add_member, create_organization
from securable.web.service import Actor

ROOT = Path(__file__).resolve().parents[2]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
PASSWORD = "correct horse battery staple 9"


@pytest.fixture
def make_user(db: None) -> Callable[[str], Any]:
    def make(email: str) -> Any:
        return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)

    return make


def actor(user: Any, credential: str = "session") -> Actor:
    return Actor(user=user, credential=credential, request_id="test-request")


@pytest.fixture
def owner(make_user: Callable[[str], Any]) -> Any:
    return make_user("owner@maker.example")


@pytest.fixture
def org(owner: Any) -> Organization:
    return create_organization(actor(owner), CreateOrganization("maker", "Maker Inc.", "maker"))


@pytest.fixture
def member_of(make_user: Callable[[str], Any], owner: Any) -> Callable[[Organization, str], Any]:
    """A new account with ``role`` in ``organization`` (added by its owner through the service)."""
    count = iter(range(1000))

    def make(organization: Organization, role: str) -> Any:
        user = make_user(f"{role}{next(count)}@{organization.slug}.example")
        founder = Membership.objects.filter(organization=organization, role="owner").first()
        assert founder is not None
        add_member(actor(founder.user), organization, AddMember(user.email, role))
        return user

    return make


def signed_in(user: Any, *, reauthenticated_ago: float | None = 0.0) -> Client:
    """A client signed in as ``user``; unless ``reauthenticated_ago`` is None, with a password
    re-authentication that many seconds ago, recorded by allauth's own function so sensitive
    actions (securable.web.reauth) see it exactly as after /accounts/reauthenticate/."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY, record_authentication
    from django.test import RequestFactory

    client = Client()
    client.force_login(user)
    if reauthenticated_ago is not None:
        request = RequestFactory().get("/")
        request.session = client.session
        record_authentication(request, user, method="password", reauthenticated=True)
        request.session[AUTHENTICATION_METHODS_SESSION_KEY][-1]["at"] -= reauthenticated_ago
        request.session.save()
    return client


@pytest.fixture
def client_of() -> Callable[[Any], Client]:
    """Clients count as freshly re-authenticated, so pages with sensitive actions test the action."""
    return signed_in


@pytest.fixture
def token_for(owner: Any) -> Callable[[Organization, str], str]:
    def make(organization: Organization, role: str) -> str:
        founder = Membership.objects.filter(organization=organization, role="owner").first()
        assert founder is not None
        return create_token(actor(founder.user), organization, CreateToken(f"ci-{role}", role))[1]

    return make
