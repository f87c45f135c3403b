"""Sensitive actions need a recent re-authentication (password, or the second factor): a session
past the window is sent to /accounts/reauthenticate/ and nothing happens until the password is
given, then allauth replays the kept POST and the action happens."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from securable.web.api.models import ApiToken
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Membership, Organization
from securable.web.products.models import Release, ShareLink, SigningKey
from securable.web.products.releases import RequestRelease, request_release

from .conftest import PASSWORD, actor, signed_in
from .test_web_releases import SBOM, _no_pdf, built, camera, jobs_done  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
WINDOW = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth allows 10 password re-authentications a minute per account, counted in the cache,
    which outlives a test's database: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@dataclass(frozen=True)
class Action:
    url: str
    data: dict[str, str]
    happened: Callable[[], bool]


@pytest.fixture
def totp_secret(owner: Any) -> str:
    """The owner's authenticator app (whoever requires a second factor of everyone must have one)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret: str = generate_totp_secret()
    TOTP.activate(owner, secret)
    return secret


@pytest.fixture
def actions(
    org: Organization,
    built: Release,  # noqa: F811
    member_of: Callable[[Organization, str], Any],
    totp_secret: str,
) -> dict[str, Action]:
    editor = member_of(org, "editor")
    requested = request_release(actor(editor), org, RequestRelease("cam", 1, SBOM.read_bytes()))
    someone = str(member_of(org, "editor").audit_person.public_id)
    keys = SigningKey.objects.for_org(org).count()
    slug = {"org": org.slug}

    def role_of(person: str) -> str | None:
        found = Membership.objects.filter(organization=org, user__audit_person__public_id=person).first()
        return None if found is None else found.role

    def mfa_required() -> bool:
        org.refresh_from_db()
        return org.mfa_required

    return {
        "key rotation": Action(
            reverse("signing_key_rotate", kwargs=slug),
            {"why": "yearly rotation"},
            lambda: SigningKey.objects.for_org(org).count() > keys,
        ),
        "release approval": Action(
            reverse("release_approve", kwargs=slug | {"release": str(requested.pk)}),
            {"why": "checked"},
            lambda: Release.objects.for_org(org).filter(pk=requested.pk, approved_by__isnull=False).exists(),
        ),
        "share link": Action(
            reverse("share_create", kwargs=slug | {"release": str(built.pk)}),
            {"days": "7"},
            lambda: ShareLink.objects.for_org(org).exists(),
        ),
        "API token": Action(
            reverse("tokens", kwargs=slug),
            {"name": "ci", "role": "editor", "days": "30"},
            lambda: ApiToken.objects.for_org(org).filter(name="ci").exists(),
        ),
        "role change": Action(
            reverse("members_change", kwargs=slug),
            {"action": "role", "person": someone, "role": "reviewer"},
            lambda: role_of(someone) == "reviewer",
        ),
        "member removal": Action(
            reverse("members_change", kwargs=slug),
            {"action": "remove", "person": someone},
            lambda: role_of(someone) is None,
        ),
        "second factor required": Action(
            reverse("org_mfa", kwargs=slug), {"required": "1", "why": "policy"}, mfa_required
        ),
    }


def _events(org: Organization) -> int:
    return AuditEvent.objects.for_org(org).count()


NAMES = ["key rotation", "release approval", "share link", "API token", "role change", "member removal"]
NAMES.append("second factor required")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("ago", [WINDOW + 1, None], ids=["past the window", "never since sign-in"])
def test_a_stale_session_re_authenticates_before_the_action(
    org: Organization, owner: Any, actions: dict[str, Action], name: str, ago: float | None
) -> None:
    action = actions[name]
    client = signed_in(owner, reauthenticated_ago=ago)
    before = _events(org)
    asked = client.post(action.url, action.data)
    assert asked.status_code == 302
    assert asked["Location"] == f"/accounts/reauthenticate/?next={quote(action.url, safe='')}"
    assert not action.happened()
    assert _events(org) == before  # nothing recorded either

    page = client.get(asked["Location"])
    assert page.status_code == 200
    assert b'name="password"' in page.content
    assert client.post(asked["Location"], {"password": "not the password"}).status_code == 200
    assert not action.happened()

    done = client.post(asked["Location"], {"password": PASSWORD})  # the kept POST is replayed
    assert done.status_code in (200, 302), done.content
    assert not done.get("Location", "").startswith("/accounts/"), done.get("Location")
    assert action.happened()
    assert _events(org) > before


@pytest.mark.parametrize("name", NAMES)
def test_inside_the_window_the_action_happens_at_once(
    owner: Any, actions: dict[str, Action], name: str
) -> None:
    action = actions[name]
    response = signed_in(owner, reauthenticated_ago=WINDOW - 30).post(action.url, action.data)
    assert response.status_code in (200, 302)
    assert not response.get("Location", "").startswith("/accounts/")
    assert action.happened()


@pytest.mark.parametrize("name", ["key rotation", "role change", "second factor required"])
def test_outsiders_and_roles_without_the_permission_are_not_asked_for_a_password(
    org: Organization,
    actions: dict[str, Action],
    member_of: Callable[[Organization, str], Any],
    make_user: Callable[[str], Any],
    name: str,
) -> None:
    action = actions[name]
    reviewer = signed_in(member_of(org, "reviewer"), reauthenticated_ago=None)
    assert reviewer.post(action.url, action.data).status_code == 403
    outsider = signed_in(make_user("stranger@elsewhere.example"), reauthenticated_ago=None)
    assert outsider.post(action.url, action.data).status_code == 404
    assert not action.happened()


def test_revoking_a_token_and_adding_a_member_need_no_re_authentication(
    org: Organization,
    owner: Any,
    make_user: Callable[[str], Any],
    token_for: Callable[[Organization, str], str],
) -> None:
    secret = token_for(org, "editor")
    client = signed_in(owner, reauthenticated_ago=None)
    assert client.get(reverse("tokens", kwargs={"org": org.slug})).status_code == 200
    prefix = ApiToken.objects.for_org(org).get().prefix
    revoked = client.post(reverse("tokens", kwargs={"org": org.slug}), {"action": "revoke", "prefix": prefix})
    assert revoked.status_code == 302
    assert not revoked["Location"].startswith("/accounts/")
    assert ApiToken.objects.for_org(org).get().revoked is not None
    assert secret  # revoked: the API refuses it (tested with the API)

    newcomer = make_user("new@maker.example")
    added = client.post(
        reverse("members_change", kwargs={"org": org.slug}),
        {"action": "add", "email": newcomer.email, "role": "editor"},
    )
    assert added.status_code == 302
    assert Membership.objects.filter(organization=org, user=newcomer).exists()


def test_the_api_with_a_token_is_not_asked(
    org: Organization, owner: Any, actions: dict[str, Action], token_for: Callable[[Organization, str], str]
) -> None:
    """A CI token has no password to give: its scope and expiry are its limits."""
    release = Release.objects.for_org(org).filter(approved_by__isnull=True).get()
    response = Client().post(
        f"/api/v1/releases/{release.pk}/approve",
        {"why": "from CI"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(org, 'reviewer')}"},
    )
    assert response.status_code == 200, response.content
    assert actions["release approval"].happened()


def test_an_htmx_post_sends_the_whole_page_to_the_password_form(
    org: Organization, owner: Any, actions: dict[str, Action]
) -> None:
    action = actions["key rotation"]
    client = signed_in(owner, reauthenticated_ago=WINDOW + 1)
    asked = client.post(action.url, action.data, headers={"HX-Request": "true"})
    assert asked.status_code == 204  # nothing swapped into the page
    assert asked["HX-Redirect"] == f"/accounts/reauthenticate/?next={quote(action.url, safe='')}"
    assert not action.happened()
    client.post(asked["HX-Redirect"], {"password": PASSWORD})
    assert action.happened()


def test_an_account_with_a_second_factor_may_give_its_code_instead(
    owner: Any, actions: dict[str, Action], totp_secret: str
) -> None:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    action = actions["key rotation"]
    client = signed_in(owner, reauthenticated_ago=WINDOW + 1)
    asked = client.post(action.url, action.data)
    assert asked.status_code == 302
    page = client.get(asked["Location"]).content.decode()
    assert "/accounts/2fa/reauthenticate/" in page  # offered beside the password
    assert not action.happened()

    by_code = f"/accounts/2fa/reauthenticate/?next={quote(action.url, safe='')}"
    assert client.post(by_code, {"code": "000000"}).status_code == 200  # refused
    assert not action.happened()
    code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
    done = client.post(by_code, {"code": code})
    assert done.status_code == 302
    assert action.happened()


def test_an_account_without_password_or_second_factor_is_refused(
    org: Organization, actions: dict[str, Action], member_of: Callable[[Organization, str], Any]
) -> None:
    """Single sign-on only: nothing to re-authenticate with, so the action is refused, not done."""
    sso_owner = member_of(org, "owner")
    sso_owner.set_unusable_password()
    sso_owner.save(update_fields=["password"])
    action = actions["key rotation"]
    assert signed_in(sso_owner, reauthenticated_ago=None).post(action.url, action.data).status_code == 403
    assert not action.happened()
