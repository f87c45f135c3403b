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
from securable.web.products.models import Product
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor

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
)


def test_every_url_of_the_workspace_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    named = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    org_pages = {n for n in named if n not in ("home",)}
    covered = {"products", "product", "product_yaml", "product_import", "members", "members_change", "audit"}
    covered |= {"audit_export", "audit_checkpoints", "tokens", "org", "org_mfa"}
    assert org_pages == covered  # a new page must be added to ENDPOINTS above


@pytest.fixture
def world(
    org: Organization, owner: Any, make_user: Callable[[str], Any]
) -> tuple[Organization, Organization, str]:
    """Our organization (``org``) with a product, and a foreign one with its own product."""
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="ours"))
    founder = make_user("founder@foreign.example")
    foreign = create_organization(actor(founder), CreateOrganization("foreign", "Foreign", "agency"))
    import_product(actor(founder), foreign, ImportProduct(CAMERA.read_bytes(), slug="theirs"))
    return org, foreign, "theirs"


def _request(
    endpoint: Endpoint, who: Any, org: Organization, product: str, *, token: str | None, target: Any = None
) -> Any:
    path = endpoint.path.format(org=org.slug, product=product)
    if endpoint.api:
        client = Client()
        headers = {"Authorization": f"Bearer {token}"}
        if endpoint.method == "post":
            return client.post(path, CAMERA.read_bytes(), content_type="application/yaml", headers=headers)
        return client.get(path, headers=headers)
    client = Client()
    client.force_login(who)
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
