"""Query budgets: every page and API read answers in a fixed number of queries, however many rows.

The data set has more rows of every kind than one page shows (products, versions, members, tokens,
audit events), so a query per row (an N+1) would blow the budget by dozens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from securable.web.api.models import ApiToken
from securable.web.audit.checkpoints import make_checkpoints
from securable.web.audit.record import person_for
from securable.web.orgs.models import Organization
from securable.web.products.models import Product
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor

pytestmark = pytest.mark.django_db

# Session, user, organization, membership and the switcher frame every signed-in page; downloads
# have no switcher. The number is the whole budget of the request.
PAGES = {
    "home": ("/", 3),  # session, user, switcher
    "products": ("/o/{org}/products/", 5 + 1),
    "products next page": ("/o/{org}/products/?cursor={cursor}", 5 + 1),
    "product": ("/o/{org}/products/acme-homecam-2/", 5 + 3),  # product, version, versions
    "product old version": ("/o/{org}/products/acme-homecam-2/?version=2", 5 + 3),
    "product yaml": ("/o/{org}/products/acme-homecam-2/securable.yaml", 4 + 2),
    "members": ("/o/{org}/members/", 5 + 1),
    "audit": ("/o/{org}/audit/", 5 + 2),  # events, then the names of the people they cite
    "audit export": ("/o/{org}/audit.jsonl", 4 + 1),
    "audit checkpoints": ("/o/{org}/audit-checkpoints.jsonl", 4 + 1),
    "tokens": ("/o/{org}/tokens/", 5 + 1),
}
# The token (with its organization and user) and the membership frame every API call.
API_FRAME = 2
API = {
    "api products": ("/products", 1),
    "api products next page": ("/products?cursor={cursor}", 1),
    "api product": ("/products/acme-homecam-2", 2),
    "api yaml": ("/products/acme-homecam-2/securable.yaml", 2),
    "api audit": ("/audit", 1),
    "api audit checkpoints": ("/audit/checkpoints", 1),
}


@pytest.fixture
def crowded(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
) -> tuple[Organization, str]:
    """More of everything than a page shows; returns the organization and an auditor's API token."""
    for _ in range(6):
        import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes()))
    Product.objects.for_org(org).bulk_create(
        [Product(organization=org, slug=f"p{i:03}", name=f"P {i:03}", latest_number=1) for i in range(130)]
    )
    for i in range(24):
        member_of(org, ("editor", "reviewer", "auditor")[i % 3])
    for _ in range(12):
        token_for(org, "auditor")
    ApiToken.objects.for_org(org).update(last_used=None)
    person_for(owner)
    key = Ed25519PrivateKey.generate()
    for day in range(1, 8):
        make_checkpoints(key, dt.date(2026, 1, day))
    assert Product.objects.for_org(org).count() > 100
    return org, token_for(org, "owner")


def _cursor(listing: Callable[[str], str]) -> str:
    import re

    found = re.search(r'cursor=([A-Za-z0-9_%-]+)"?', listing(""))
    assert found is not None, "the first page has a next page"
    return found.group(1)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_within_budget(
    crowded: tuple[Organization, str],
    owner: Any,
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
    name: str,
) -> None:
    org, _ = crowded
    client = client_of(owner)
    client.get("/")  # the session's first request stamps it (then written once a minute at most)
    cursor = _cursor(lambda _: client.get(f"/o/{org.slug}/products/").content.decode())
    path, budget = PAGES[name]
    url = path.format(org=org.slug, cursor=cursor)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body


@pytest.mark.parametrize("name", list(API))
def test_api_within_budget(
    crowded: tuple[Organization, str], django_assert_max_num_queries: Any, name: str
) -> None:
    _, token = crowded
    headers = {"Authorization": f"Bearer {token}"}
    client = Client()
    client.get("/api/v1/products", headers=headers)  # the token's first use is recorded once

    def listing(_: str) -> str:
        import json

        return f'cursor={json.loads(client.get("/api/v1/products", headers=headers).content)["next_cursor"]}"'

    cursor = _cursor(listing)
    path, own = API[name]
    with django_assert_max_num_queries(API_FRAME + own):
        response = client.get("/api/v1" + path.format(cursor=cursor), headers=headers)
        assert response.status_code == 200, (name, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body
