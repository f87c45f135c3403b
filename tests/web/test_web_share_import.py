"""An agency adds a vendor package by pasting a share link a maker organization of the same workspace
published: looked up in the database (never fetched), verified with the maker's key on arrival, and
then evaluated like any upload. Links anywhere else are refused with a message."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from securable.errors import InputError
from securable.web.agency.models import Evaluation, VendorPackage
from securable.web.agency.services import RunEvaluation, run_evaluation
from securable.web.agency.shared import AddFromShare, add_from_share, token_of
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products.models import Release, SigningKey
from securable.web.products.releases import CreateShare, RevokeShare, create_share, revoke_share
from securable.web.service import Forbidden

from .agency_world import approved_set
from .conftest import actor
from .test_web_releases import _no_pdf, built, camera, jobs_done  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
HOSTS = frozenset({"testserver"})


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach another machine fails the test: the link must be resolved locally."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a network connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def agency(make_user: Callable[[str], Any]) -> tuple[Organization, Any]:
    officer = make_user("officer@agency.example")
    return create_organization(actor(officer), CreateOrganization("agency", "Agency", "agency")), officer


@pytest.fixture
def release(request: pytest.FixtureRequest) -> Release:
    """A built release of the maker ("org"): the releases tests' fixture, under a name of this module."""
    found: Release = request.getfixturevalue("built")
    return found


def _share(org: Organization, release: Release, owner: Any) -> str:
    return create_share(actor(owner), org, CreateShare(release.pk, 7))[1]


def _actions(org: Organization) -> list[str]:
    return [json.loads(e.payload)["action"] for e in AuditEvent.objects.for_org(org).order_by("seq")]


def test_maker_shares_agency_imports_and_evaluates(
    *,
    org: Organization,
    owner: Any,
    release: Release,
    agency: tuple[Organization, Any],
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    token = _share(org, release, owner)
    buyer, officer = agency
    client = client_of(officer)
    sent = client.post(
        reverse("vendor_from_link", kwargs={"org": buyer.slug}),
        {"link": f"http://testserver/share/{token}/", "why": "camera tender"},
    )
    assert sent.status_code == 302, sent.content
    package = VendorPackage.objects.for_org(buyer).get()
    assert package.status == "verified", package.verification
    assert package.name == org.name
    assert bytes(package.archive) == bytes(release.package)
    key = SigningKey.objects.for_org(org).get()
    assert package.key_fingerprint == key.fingerprint == release.key_fingerprint
    shown = client.get(sent["Location"]).content.decode()
    assert key.fingerprint in shown
    assert _actions(buyer)[-1] == "vendor.upload"
    assert _actions(org)[-1] == "share.download"  # the maker sees its link used
    version = approved_set(buyer, officer, member_of(buyer, "reviewer"))
    evaluation = run_evaluation(
        actor(officer), buyer, RunEvaluation("sensors", version.number, (package.pk,))
    )
    assert not evaluation.failed
    assert [v["name"] for v in evaluation.result["vendors"]] == [org.name]
    assert evaluation.result["vendors"][0]["evaluated"]
    assert Evaluation.objects.for_org(buyer).count() == 1


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/share/{token}/",
        "http://127.0.0.1/share/{token}/",
        "http://testserver:8080/share/{token}/",
        "http://user@testserver/share/{token}/",
        "ftp://testserver/share/{token}/",
        "file:///share/{token}/",
        "javascript:alert(1)//share/{token}/",
        "//evil.example/share/{token}/",
        "http://testserver/o/maker/share/{token}/",
        "http://testserver/share/{token}/../../admin/",
        "http://testserver/share/{token}/?next=https://example.com/",
        "/share/not_a_token/",
        "",
        "http://testserver/sh\nare/{token}/",
    ],
)
def test_links_elsewhere_are_refused(
    org: Organization, owner: Any, release: Release, agency: tuple[Organization, Any], link: str
) -> None:
    token = _share(org, release, owner)
    buyer, officer = agency
    with pytest.raises(InputError) as refused:
        add_from_share(actor(officer), buyer, AddFromShare(link.format(token=token)), hosts=HOSTS)
    assert "share link" in refused.value.message or "share link" in (refused.value.hint or "")
    assert not VendorPackage.objects.for_org(buyer).exists()


def test_a_path_or_a_file_of_the_share_is_accepted(org: Organization, owner: Any, release: Release) -> None:
    token = _share(org, release, owner)
    for link in (f"/share/{token}/", f"https://testserver/share/{token}/package.zip", f" /share/{token}/ "):
        assert token_of(link, HOSTS) == token


def test_revoked_and_unknown_links_are_refused(
    org: Organization, owner: Any, release: Release, agency: tuple[Organization, Any]
) -> None:
    link, token = create_share(actor(owner), org, CreateShare(release.pk, 7))
    buyer, officer = agency
    revoke_share(actor(owner), org, RevokeShare(link.pk))
    for candidate in (token, token[:-4] + "AAAA"):
        with pytest.raises(InputError, match="unknown, expired or revoked"):
            add_from_share(actor(officer), buyer, AddFromShare(f"/share/{candidate}/"), hosts=HOSTS)
    assert not VendorPackage.objects.for_org(buyer).exists()


@pytest.mark.parametrize("role", ["reviewer", "auditor"])
def test_a_role_without_vendor_upload_cannot_import(
    *,
    org: Organization,
    owner: Any,
    release: Release,
    agency: tuple[Organization, Any],
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    role: str,
) -> None:
    token = _share(org, release, owner)
    buyer, _ = agency
    who = member_of(buyer, role)
    with pytest.raises(Forbidden):
        add_from_share(actor(who), buyer, AddFromShare(f"/share/{token}/"), hosts=HOSTS)
    page = client_of(who).post(
        reverse("vendor_from_link", kwargs={"org": buyer.slug}), {"link": f"/share/{token}/"}
    )
    assert page.status_code == 403
    # An outsider naming the agency gets "not found".
    outsider = client_of(owner).post(
        reverse("vendor_from_link", kwargs={"org": buyer.slug}), {"link": f"/share/{token}/"}
    )
    assert outsider.status_code == 404
    assert not VendorPackage.objects.for_org(buyer).exists()
