"""Pages: sign-up, organizations, product import/export and assessment, headers, CSRF, sessions."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from securable.web.orgs.models import Membership, Organization
from securable.web.products.models import Product
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, PASSWORD, ROOT, actor

pytestmark = pytest.mark.django_db


class _Inline(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes, event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag} {n}=" for n in names if n == "style" or n.startswith("on")]


def assert_csp_clean(html: str) -> None:
    parser = _Inline()
    parser.feed(html)
    assert parser.found == []


def upload(client: Client, org: Organization, content: bytes, **extra: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("securable.yaml", content, content_type="application/yaml")
    return client.post(reverse("product_import", kwargs={"org": org.slug}), {"file": file, **extra})


def test_sign_up_found_an_organization_and_import_a_product() -> None:
    client = Client()
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert_csp_clean(page.content.decode())
    done = client.post(
        "/accounts/signup/", {"email": "lead@maker.example", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert done.status_code == 302
    home = client.get("/")
    assert b"Found an organization" in home.content
    made = client.post("/", {"name": "Maker Inc.", "slug": "maker", "kind": "maker"})
    assert made.status_code == 302
    org = Organization.objects.get(slug="maker")
    imported = upload(client, org, CAMERA.read_bytes(), why="first")
    assert imported.status_code == 302
    detail = client.get(imported["Location"])
    html = detail.content.decode()
    assert "Acme HomeCam 2" in html
    assert "Findings (" in html
    assert "NISTIR 8259 questions" in html
    assert_csp_clean(html)


def test_export_returns_the_imported_bytes_exactly(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    for example in sorted(ROOT.glob("examples/*/securable.yaml")):
        raw = example.read_bytes()
        version = import_product(actor(owner), org, ImportProduct(raw, slug=example.parent.name))
        url = reverse("product_yaml", kwargs={"org": org.slug, "product": version.product.slug})
        response = client_of(owner).get(url, {"version": version.number})
        assert response.status_code == 200
        assert response.content == raw, example


def test_a_bad_upload_is_refused_with_the_core_message(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)
    response = upload(client, org, b"securable: 1\nproduct: [unclosed\n")
    assert response.status_code == 400
    assert "securable.yaml" in response.content.decode()
    too_big = upload(client, org, b"#" * (1024 * 1024 + 10))
    assert too_big.status_code == 400
    assert not Product.objects.for_org(org).exists()


def test_products_list_is_keyset_paginated_within_a_query_budget(
    org: Organization, owner: Any, client_of: Callable[[Any], Client], django_assert_max_num_queries: Any
) -> None:
    Product.objects.for_org(org).bulk_create(
        [
            Product(organization=org, slug=f"p{i:03}", name=f"Product {i:03}", latest_number=1)
            for i in range(120)
        ]
    )
    client = client_of(owner)
    url = reverse("products", kwargs={"org": org.slug})
    client.get("/")  # the session's first request stamps it (written once a minute at most)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        # Session and user, organization, membership, switcher, the page of rows: the same for any page.
        with django_assert_max_num_queries(6):
            response = client.get(url, {"cursor": cursor} if cursor else {})
        assert response.status_code == 200
        html = response.content.decode()
        seen += re.findall(r">(Product \d{3})</a>", html)
        pages += 1
        found = re.search(r'rel="next" href="\?cursor=([^"]+)"', html)
        if not found:
            break
        cursor = found.group(1)
    assert pages == 3
    assert seen == [f"Product {i:03}" for i in range(120)]
    assert client.get(url, {"cursor": "garbage!"}).status_code == 400


def test_foreign_organizations_are_not_found(
    org: Organization, make_user: Callable[[str], Any], client_of: Callable[[Any], Client]
) -> None:
    stranger = client_of(make_user("stranger@elsewhere.example"))
    for name in ("products", "members", "audit", "tokens", "audit_export"):
        assert stranger.get(reverse(name, kwargs={"org": org.slug})).status_code == 404
    assert stranger.get(reverse("products", kwargs={"org": "no-such-org"})).status_code == 404


def test_pages_need_a_signed_in_user(org: Organization) -> None:
    response = Client().get(reverse("products", kwargs={"org": org.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_security_headers(owner: Any, client_of: Callable[[Any], Client]) -> None:
    response = client_of(owner).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_unsafe_requests_need_the_csrf_token(owner: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    refused = client.post("/", {"name": "Evil", "slug": "evil", "kind": "maker"})
    assert refused.status_code == 403
    page = client.get("/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    accepted = client.post(
        "/", {"name": "Fine", "slug": "fine", "kind": "maker", "csrfmiddlewaretoken": token.group(1)}
    )
    assert accepted.status_code == 302


@pytest.mark.parametrize(
    ("started_ago", "seen_ago", "kept"), [(60, 60, True), (3600, 3600, False), (13 * 3600, 10, False)]
)
def test_idle_and_absolute_session_timeouts(
    org: Organization, owner: Any, started_ago: int, seen_ago: int, kept: bool
) -> None:
    client = Client()
    client.force_login(owner)
    session = client.session
    now = int(time.time())
    session["securable_started"] = now - started_ago
    session["securable_seen"] = now - seen_ago
    session.save()
    response = client.get(reverse("products", kwargs={"org": org.slug}))
    assert (response.status_code == 200) is kept


def test_members_page_lists_roles_and_lets_owners_change_them(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    editor = member_of(org, "editor")
    client = client_of(owner)
    page = client.get(reverse("members", kwargs={"org": org.slug})).content.decode()
    assert editor.email in page
    assert "requirements.approve" in page
    person = str(editor.audit_person.public_id)
    url = reverse("members_change", kwargs={"org": org.slug})
    assert client.post(url, {"action": "role", "person": person, "role": "auditor"}).status_code == 302
    assert Membership.objects.get(user=editor, organization=org).role == "auditor"
    assert (
        client_of(editor).post(url, {"action": "role", "person": person, "role": "owner"}).status_code == 403
    )


def test_audit_page_names_people_from_outside_the_chain(
    org: Organization, owner: Any, client_of: Callable[[Any], Client]
) -> None:
    page = client_of(owner).get(reverse("audit", kwargs={"org": org.slug})).content.decode()
    assert "organization.create" in page
    assert owner.email in page


def test_detail_members_and_audit_pages_stay_within_a_query_budget(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(3):
        import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes()))
    for role in ("editor", "reviewer", "auditor", "editor"):
        member_of(org, role)
    client = client_of(owner)
    client.get("/")  # the session's first request stamps it
    pages = [
        reverse("product", kwargs={"org": org.slug, "product": "acme-homecam-2"}),
        reverse("members", kwargs={"org": org.slug}),
        reverse("audit", kwargs={"org": org.slug}),
    ]
    for url in pages:
        # Session, user, organization, membership, switcher, then at most 3 for the page itself,
        # however many versions, members or events there are.
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
