"""Authorization matrix, generated from the role table: every role x every page and API endpoint x
the member's own organization and a foreign one. Own: allowed exactly when the role has the
permission (else 403). Foreign: always 404, whatever the role, so nothing leaks across organizations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES, allows
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products import keys
from securable.web.products.models import Product, Release, ShareLink, SigningKey
from securable.web.products.releases import (
    CreateShare,
    RequestRelease,
    create_share,
    record_outcome,
    request_release,
)
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor, signed_in
from .test_web_matrix_agency import NAMES as AGENCY_PAGES
from .test_web_operations import URL_NAMES as OPERATIONS_URLS
from .test_web_questions import open_product
from .test_web_reviews import URL_NAMES as REVIEW_URLS

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    permission: str
    method: str
    path: str  # {org} and {product} are filled in
    api: bool = False

    def data(self, who: Any) -> dict[str, Any]:
        if self.name == "product import":
            return {"file": SimpleUploadedFile("securable.yaml", CAMERA.read_bytes())}
        if self.name == "member add":
            return {"action": "add", "email": who.email, "role": "auditor"}
        if self.name == "question answer":  # an open question of the product "open"
            return {"question": "Q3.1-2", "place": "customers.organizations", "text": "banks", "base": "1"}
        if self.name == "question comment":
            return {"question": "Q3.1-2", "text": "who else buys it?"}
        if self.name == "question assign":
            return {"question": "Q3.1-2", "assignee": ""}
        if self.name == "release request":
            return {"product": "ours", "version": "1"}
        if self.name == "share create":
            return {"days": "7"}
        if self.name == "signing key rotate":
            return {"why": "yearly rotation"}
        if self.name == "mfa setting":  # turning it off: turning it on needs the actor's own factor
            return {"required": "0"}
        if self.name == "token create":  # a role every role that may create tokens can grant
            return {"action": "create", "name": "ci", "role": "editor", "days": "7"}
        return {}


ENDPOINTS = (
    Endpoint("products", "product.view", "get", "/o/{org}/products/"),
    Endpoint("product", "product.view", "get", "/o/{org}/products/{product}/"),
    Endpoint("product yaml", "product.view", "get", "/o/{org}/products/{product}/securable.yaml"),
    Endpoint("product import", "product.edit", "post", "/o/{org}/products/import"),
    Endpoint("questions", "product.view", "get", "/o/{org}/products/open/questions/"),
    Endpoint("question answer", "product.edit", "post", "/o/{org}/products/open/answer"),
    Endpoint("question comment", "product.comment", "post", "/o/{org}/products/open/comment"),
    Endpoint("question assign", "product.edit", "post", "/o/{org}/products/open/assign"),
    Endpoint("my questions", "product.view", "get", "/o/{org}/my-questions/"),
    Endpoint("product diff", "product.view", "get", "/o/{org}/products/open/diff"),
    Endpoint("product coverage", "product.view", "get", "/o/{org}/products/{product}/coverage"),
    Endpoint("product findings", "product.view", "get", "/o/{org}/products/{product}/findings"),
    Endpoint("releases", "product.view", "get", "/o/{org}/releases/"),
    Endpoint("release request", "product.edit", "post", "/o/{org}/releases/request"),
    Endpoint("release approve", "package.sign", "post", "/o/{org}/releases/{release}/approve"),
    Endpoint("release zip", "product.view", "get", "/o/{org}/releases/{built}/package.zip"),
    Endpoint("share create", "package.sign", "post", "/o/{org}/releases/{built}/share"),
    Endpoint("share revoke", "package.sign", "post", "/o/{org}/shares/{share}/revoke"),
    Endpoint("signing key", "product.view", "get", "/o/{org}/signing-key.pem"),
    Endpoint("signing key by fingerprint", "product.view", "get", "/o/{org}/signing-keys/{key}.pem"),
    Endpoint("signing key rotate", "key.rotate", "post", "/o/{org}/signing-key/rotate"),
    Endpoint("members", "product.view", "get", "/o/{org}/members/"),
    Endpoint("member add", "member.manage", "post", "/o/{org}/members/change"),
    Endpoint("mfa setting", "member.manage", "post", "/o/{org}/settings/mfa"),
    Endpoint("audit", "audit.view", "get", "/o/{org}/audit/"),
    Endpoint("audit export", "audit.view", "get", "/o/{org}/audit.jsonl"),
    Endpoint("audit checkpoints", "audit.view", "get", "/o/{org}/audit-checkpoints.jsonl"),
    Endpoint("tokens", "token.manage", "get", "/o/{org}/tokens/"),
    Endpoint("token create", "token.manage", "post", "/o/{org}/tokens/"),
    Endpoint("api products", "product.view", "get", "/api/v1/products", api=True),
    Endpoint("api product", "product.view", "get", "/api/v1/products/{product}", api=True),
    Endpoint("api yaml", "product.view", "get", "/api/v1/products/{product}/securable.yaml", api=True),
    Endpoint("api upload", "product.edit", "post", "/api/v1/products/{product}/versions", api=True),
    Endpoint("api audit", "audit.view", "get", "/api/v1/audit", api=True),
    Endpoint("api audit checkpoints", "audit.view", "get", "/api/v1/audit/checkpoints", api=True),
)


def test_every_url_of_the_workspace_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    named = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    org_pages = {n for n in named if n not in ("home",)}
    covered = {"products", "product", "product_yaml", "product_import", "members", "members_change", "audit"}
    covered |= {"audit_export", "audit_checkpoints", "tokens", "org", "org_mfa"}
    covered |= AGENCY_PAGES  # test_web_matrix_agency.py
    covered |= {"product_questions", "product_answer", "product_comment", "product_assign", "my_questions"}
    covered |= {"product_coverage", "product_findings"}
    covered |= {"product_diff", "releases", "release_request", "release_approve", "release_zip"}
    covered |= {"share_create", "share_revoke", "signing_key", "signing_key_pem", "signing_key_rotate"}
    covered |= {"shared_index", "shared_zip", "shared_file"}  # public pages: test_web_releases
    covered |= OPERATIONS_URLS  # their own matrix, generated from the same role table
    covered |= REVIEW_URLS  # test_web_reviews.py, likewise
    assert org_pages == covered  # a new page must be added to ENDPOINTS above


@pytest.fixture
def world(
    org: Organization, owner: Any, make_user: Callable[[str], Any]
) -> tuple[Organization, Organization, str]:
    """Our organization (``org``) with a product, and a foreign one with its own product."""
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="ours"))
    import_product(actor(owner), org, ImportProduct(open_product(), slug="open"))  # questions open
    _releases(owner, org, "ours")
    founder = make_user("founder@foreign.example")
    foreign = create_organization(actor(founder), CreateOrganization("foreign", "Foreign", "agency"))
    import_product(actor(founder), foreign, ImportProduct(CAMERA.read_bytes(), slug="theirs"))
    _releases(founder, foreign, "theirs")
    return org, foreign, "theirs"


def _releases(founder: Any, org: Organization, product: str) -> None:
    """A release waiting for approval, and one built (its package a stand-in) with a share link."""
    who = actor(founder)
    request_release(who, org, RequestRelease(product, 1))
    done = request_release(who, org, RequestRelease(product, 1))
    key = keys.make_key(org)
    key.save()
    done.state = Release.State.BUILDING
    done.save(update_fields=["state"])
    record_outcome(org, done, package=b"PK\x05\x06" + bytes(18), fingerprint=key.fingerprint)  # an empty zip
    create_share(who, org, CreateShare(done.pk, 7))


def _ids(org: Organization) -> dict[str, int]:
    made = Release.objects.for_org(org).order_by("pk")
    share = ShareLink.objects.for_org(org).get()
    key = SigningKey.objects.for_org(org).get()
    return {"release": made[0].pk, "built": made[1].pk, "share": share.pk, "key": key.fingerprint[7:]}


def _request(
    endpoint: Endpoint, who: Any, org: Organization, product: str, *, token: str | None, target: Any = None
) -> Any:
    path = endpoint.path.format(org=org.slug, product=product, **_ids(org))
    if endpoint.api:
        client = Client()
        headers = {"Authorization": f"Bearer {token}"}
        if endpoint.method == "post":
            return client.post(path, CAMERA.read_bytes(), content_type="application/yaml", headers=headers)
        return client.get(path, headers=headers)
    client = signed_in(who)  # freshly re-authenticated: sensitive actions are tested, not deferred
    if endpoint.method == "post":
        return client.post(path, endpoint.data(target))
    return client.get(path)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("role", list(ROLES))
def test_matrix(
    *,
    world: tuple[Organization, Organization, str],
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
    make_user: Callable[[str], Any],
    role: str,
    endpoint: Endpoint,
) -> None:
    ours, foreign, their_product = world
    who = member_of(ours, role)
    token = token_for(ours, role) if endpoint.api else None
    target = make_user(f"new-{role}@maker.example")  # someone to add, for "member add"

    own = _request(endpoint, who, ours, "ours", token=token, target=target)
    expected_ok = allows(role, endpoint.permission)
    if expected_ok:
        assert own.status_code in (200, 201, 302), (role, endpoint.name, own.status_code)
    else:
        assert own.status_code == 403, (role, endpoint.name, own.status_code)

    # Foreign: pages of another organization; for the API (a token knows one organization only),
    # another organization's product. Always "not found".
    if endpoint.api:
        if "{product}" not in endpoint.path:
            return  # no way to name another organization's data: nothing to leak
        if endpoint.method == "post":
            # Uploading under a name another organization uses files it in the token's own
            # organization: the foreign product is untouched.
            _request(endpoint, who, ours, their_product, token=token)
            theirs = Product.objects.for_org(foreign).get(slug=their_product)
            assert theirs.latest_number == 1
            return
        away = _request(endpoint, who, ours, their_product, token=token)
    else:
        away = _request(endpoint, who, foreign, their_product, token=token, target=target)
    expected_foreign = 403 if endpoint.api and not expected_ok else 404
    assert away.status_code == expected_foreign, (role, endpoint.name, away.status_code)
    assert b"Foreign" not in away.content
