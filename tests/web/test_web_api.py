"""The REST API: bearer tokens, products for CI, the audit export, one error shape, OpenAPI document."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from securable.cli import main
from securable.web.api.models import ApiToken
from securable.web.api.tokens import CreateToken, RevokeToken, create_token, revoke_token
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.products.models import Product
from securable.web.service import Forbidden

from .conftest import CAMERA, ROOT, actor

pytestmark = pytest.mark.django_db
OPENAPI = ROOT / "docs" / "openapi.json"
ERROR_KEYS = {"code", "message", "hint"}


def call(method: str, path: str, token: str | None, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return getattr(Client(), method)(f"/api/v1{path}", headers=headers, **kwargs)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return dict(body["error"])


def upload(token: str, slug: str, content: bytes) -> Any:
    return call("post", f"/products/{slug}/versions", token, data=content, content_type="application/yaml")


def test_ci_uploads_versions_and_reads_them_back(
    org: Organization, token_for: Callable[[Organization, str], str]
) -> None:
    token = token_for(org, "editor")
    raw = CAMERA.read_bytes()
    first = upload(token, "homecam", raw)
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1
    assert upload(token, "homecam", raw).json()["number"] == 2
    detail = call("get", "/products/homecam", token).json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    exported = call("get", "/products/homecam/securable.yaml?version=1", token)
    assert exported.content == raw
    event = json.loads(AuditEvent.objects.for_org(org).order_by("-seq").first().payload)
    assert event["action"] == "product.version"
    assert event["credential"].startswith("token:")


def test_products_are_listed_in_keyset_pages(
    org: Organization, token_for: Callable[[Organization, str], str]
) -> None:
    Product.objects.for_org(org).bulk_create(
        [Product(organization=org, slug=f"p{i:03}", name=f"P {i:03}", latest_number=1) for i in range(75)]
    )
    token = token_for(org, "auditor")
    names: list[str] = []
    cursor = ""
    for _ in range(5):
        page = call("get", "/products" + (f"?cursor={cursor}" if cursor else ""), token).json()
        names += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == [f"P {i:03}" for i in range(75)]
    assert_error(call("get", "/products?cursor=%%%", token), 400, "invalid_input")


def test_error_shape_is_the_same_for_every_error(
    org: Organization, token_for: Callable[[Organization, str], str]
) -> None:
    assert_error(call("get", "/products", None), 401, "unauthorized")
    assert_error(call("get", "/products", "sct_nope_nope"), 401, "unauthorized")
    auditor = token_for(org, "auditor")
    assert_error(upload(auditor, "x", CAMERA.read_bytes()), 403, "forbidden")
    assert_error(call("get", "/products/none", auditor), 404, "not_found")
    editor = token_for(org, "editor")
    bad = assert_error(upload(editor, "x", b"securable: 1\nproduct: 3\n"), 422, "invalid_document")
    assert "securable.yaml" in bad["message"]
    assert_error(upload(editor, "x", b"a" * (1024 * 1024 + 5)), 400, "invalid_input")
    assert_error(call("get", "/products/homecam/securable.yaml?version=abc", editor), 422, "invalid_request")
    assert_error(call("get", "/nowhere", editor), 404, "not_found")


def test_tokens_expire_are_revoked_and_record_their_last_use(org: Organization, owner: Any) -> None:
    token, secret = create_token(actor(owner), org, CreateToken("ci", "editor", days=30))
    stored = ApiToken.objects.for_org(org).get()
    assert secret not in (stored.digest, stored.prefix)
    assert stored.last_used is None
    assert call("get", "/products", secret).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used is not None
    ApiToken._base_manager.filter(pk=token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert_error(call("get", "/products", secret), 401, "unauthorized")
    _, second = create_token(actor(owner), org, CreateToken("ci2", "editor"))
    revoke_token(actor(owner), org, RevokeToken(second.split("_")[1]))
    assert_error(call("get", "/products", second), 401, "unauthorized")


def test_a_token_cannot_grant_more_than_its_maker_has(
    org: Organization, member_of: Callable[[Organization, str], Any]
) -> None:
    editor = member_of(org, "editor")
    with pytest.raises(Forbidden, match="cannot grant"):
        create_token(actor(editor), org, CreateToken("ci", "owner"))


def test_a_token_is_capped_by_its_makers_current_role(
    org: Organization, owner: Any, member_of: Callable[[Organization, str], Any]
) -> None:
    from securable.web.orgs.services import ChangeRole, change_role

    editor = member_of(org, "editor")
    _, secret = create_token(actor(editor), org, CreateToken("ci", "editor"))
    assert upload(secret, "cam", CAMERA.read_bytes()).status_code == 201
    change_role(actor(owner), org, ChangeRole(str(editor.audit_person.public_id), "auditor"))
    assert_error(upload(secret, "cam", CAMERA.read_bytes()), 403, "forbidden")


def test_audit_export_through_the_api_verifies(
    org: Organization, token_for: Callable[[Organization, str], str], tmp_path: Any
) -> None:
    token = token_for(org, "auditor")
    response = call("get", "/audit", token)
    assert response.status_code == 200
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b"".join(response.streaming_content))
    assert main(["audit", "verify", str(path)]) == 0
    assert_error(call("get", "/audit", token_for(org, "editor")), 403, "forbidden")


def test_openapi_document_is_committed() -> None:
    from securable.web.api.v1 import api

    current = json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True) + "\n"
    if os.environ.get("SECURABLE_REGEN_GOLDEN"):
        OPENAPI.write_text(current, encoding="utf-8")
    assert OPENAPI.read_text(encoding="utf-8") == current, (
        "the API changed: review it, then regenerate docs/openapi.json with SECURABLE_REGEN_GOLDEN=1"
    )


def test_api_list_stays_within_a_query_budget(
    org: Organization, token_for: Callable[[Organization, str], str], django_assert_max_num_queries: Any
) -> None:
    Product.objects.for_org(org).bulk_create(
        [Product(organization=org, slug=f"p{i:03}", name=f"P {i:03}", latest_number=1) for i in range(60)]
    )
    token = token_for(org, "auditor")
    call("get", "/products", token)  # the token's first use records it
    # The token (with its organization and user), the membership, the page: whatever the page size.
    with django_assert_max_num_queries(3):
        page = call("get", "/products", token).json()
    assert len(page["items"]) == 50
