"""API of the maker's side: questions, posture diff and releases, through the same services as the
pages (permissions, separation of duties, audit), scoped to the token's organization."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from securable import api as core
from securable.web.api.tokens import CreateToken, create_token
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products.models import Product, ProductVersion, Release
from securable.web.products.releases import RequestRelease, request_release
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor
from .test_web_api import assert_error, call
from .test_web_questions import open_product
from .test_web_releases import SBOM, _no_pdf, jobs_done  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(org: Organization, owner: Any) -> Product:
    return import_product(actor(owner), org, ImportProduct(open_product(), slug="open")).product


@pytest.fixture
def foreign(make_user: Callable[[str], Any]) -> Organization:
    founder = make_user("founder@elsewhere.example")
    other = create_organization(actor(founder), CreateOrganization("elsewhere", "Elsewhere", "maker"))
    import_product(actor(founder), other, ImportProduct(open_product(), slug="theirs"))
    return other


def _actions(org: Organization) -> list[str]:
    return [json.loads(e.payload)["action"] for e in AuditEvent.objects.for_org(org).order_by("seq")]


def _status(raw: bytes, question: str) -> str:
    states = core.questions(core.Document("securable.yaml", raw)).states
    return next(str(s.status) for s in states if s.question == question)


def test_questions_are_listed_answered_and_marked_not_applicable(
    org: Organization, product: Product, token_for: Callable[[Organization, str], str]
) -> None:
    token = token_for(org, "editor")
    listed = call("get", "/products/open/questions", token)
    assert listed.status_code == 200, listed.content
    body = listed.json()
    expected = core.questions(core.Document("securable.yaml", open_product())).states
    assert [q["id"] for q in body["items"]] == [s.question for s in expected]
    assert body["total"] == len(expected)
    where = next(q for q in body["items"] if q["id"] == "Q3.1-4")
    assert where["status"] == "open"
    assert "use_cases[0].where" in where["missing"]
    answered = call(
        "post",
        "/products/open/questions/Q3.1-4/answer",
        token,
        data={"base": 1, "place": "use_cases[0].where", "text": "Europe", "why": "from CI"},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    assert answered.json()["version"] == 2
    marked = call(
        "post",
        "/products/open/questions/Q3.1-2/not-applicable",
        token,
        data={"base": 2, "reason": "sold to people only"},
        content_type="application/json",
    )
    assert marked.status_code == 201, marked.content
    latest = ProductVersion.objects.for_org(org).get(product=product, number=3)
    assert _status(bytes(latest.content), "Q3.1-4") == "answered"
    assert _status(bytes(latest.content), "Q3.1-2") == "not-applicable"
    assert _actions(org)[-2:] == ["question.answer", "question.not-applicable"]
    again = call("get", "/products/open/questions", token).json()
    assert again["version"] == 3
    assert again["answered"] == body["answered"] + 2
    # The same place again from a stale base: refused, the answer stays.
    stale = call(
        "post",
        "/products/open/questions/Q3.1-4/answer",
        token,
        data={"base": 1, "place": "use_cases[0].where", "text": "Asia"},
        content_type="application/json",
    )
    assert_error(stale, 409, "conflict")
    bad = call(
        "post",
        "/products/open/questions/Q9.9-9/answer",
        token,
        data={"base": 3, "place": "x", "text": "y"},
        content_type="application/json",
    )
    assert_error(bad, 400, "invalid_input")


def test_a_read_only_role_or_token_cannot_answer(
    org: Organization,
    owner: Any,
    product: Product,
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
) -> None:
    data = {"base": 1, "place": "use_cases[0].where", "text": "Europe"}
    # The owner's own token, with the auditor role: the token's role caps what it may do.
    for token in (token_for(org, "auditor"), token_for(org, "reviewer")):
        assert call("get", "/products/open/questions", token).status_code == 200
        refused = call(
            "post",
            "/products/open/questions/Q3.1-4/answer",
            token,
            data=data,
            content_type="application/json",
        )
        assert_error(refused, 403, "forbidden")
    assert Product.objects.for_org(org).get().latest_number == 1


def test_another_organizations_product_is_not_found(
    org: Organization, product: Product, foreign: Organization, token_for: Callable[[Organization, str], str]
) -> None:
    token = token_for(org, "owner")
    for path in ("/products/theirs/questions", "/products/theirs/diff"):
        assert_error(call("get", path, token), 404, "not_found")
    sent = call(
        "post",
        "/products/theirs/questions/Q3.1-4/answer",
        token,
        data={"base": 1, "place": "use_cases[0].where", "text": "Europe"},
        content_type="application/json",
    )
    assert_error(sent, 404, "not_found")
    assert Product.objects.for_org(foreign).get().latest_number == 1


def test_posture_diff_between_two_versions(
    org: Organization, product: Product, token_for: Callable[[Organization, str], str]
) -> None:
    token = token_for(org, "editor")
    call(
        "post",
        "/products/open/questions/Q3.1-4/answer",
        token,
        data={"base": 1, "place": "use_cases[0].where", "text": "Europe"},
        content_type="application/json",
    )
    found = call("get", "/products/open/diff", token)
    assert found.status_code == 200, found.content
    diff = found.json()
    assert (diff["old"], diff["new"]) == (1, 2)
    assert not diff["unchanged"]
    assert any(f["place"].startswith("use_cases[0].where") for f in diff["fields"])
    assert {"question": "Q3.1-4", "before": "open", "after": "answered"} in diff["questions"]
    same = call("get", "/products/open/diff?old=2&new=2", token).json()
    assert same["unchanged"]
    assert same["fields"] == same["questions"] == []
    assert_error(call("get", "/products/open/diff?old=7", token), 404, "not_found")


def test_release_requested_approved_by_another_built_and_downloaded(
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
    jobs_done: Callable[[], Any],  # noqa: F811  (the releases tests' fixture)
) -> None:
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="cam"))
    writer = token_for(org, "editor")  # made by the owner: the owner is the requester
    sent = call(
        "post",
        "/releases",
        writer,
        data={"product": "cam", "version": 1, "sbom": SBOM.read_text(encoding="utf-8"), "why": "2.0"},
        content_type="application/json",
    )
    assert sent.status_code == 201, sent.content
    release = sent.json()
    assert release["state"] == "requested"
    # The requester never approves their own release, even as owner with a signing token.
    own = call(
        "post",
        f"/releases/{release['id']}/approve",
        token_for(org, "owner"),
        data={},
        content_type="application/json",
    )
    assert_error(own, 403, "forbidden")
    # A second owner's token with the reviewer role: another person, who may sign.
    signer = create_token(actor(member_of(org, "owner")), org, CreateToken("signer", "reviewer"))[1]
    with jobs_done():
        approved = call(
            "post", f"/releases/{release['id']}/approve", signer, data={}, content_type="application/json"
        )
    assert approved.status_code == 200, approved.content
    status = call("get", f"/releases/{release['id']}", writer).json()
    assert status["state"] == "built", status["error"]
    assert status["key_fingerprint"]
    got = call("get", f"/releases/{release['id']}/package.zip", token_for(org, "auditor"))
    assert got.status_code == 200
    assert got["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        assert "manifest.json" in archive.namelist()
    assert got.content == bytes(Release.objects.for_org(org).get().package)
    listed = call("get", "/releases", writer).json()
    assert [r["id"] for r in listed["items"]] == [release["id"]]
    steps = [a for a in _actions(org) if a.startswith(("release.", "key."))]
    assert steps == ["release.request", "key.create", "release.approve", "release.built"]
    # Requesting needs product.edit: a reviewer token is refused; an unknown version is not found.
    refused = call(
        "post", "/releases", signer, data={"product": "cam", "version": 1}, content_type="application/json"
    )
    assert_error(refused, 403, "forbidden")
    missing = call(
        "post", "/releases", writer, data={"product": "cam", "version": 9}, content_type="application/json"
    )
    assert_error(missing, 404, "not_found")


def test_foreign_and_unbuilt_releases_are_not_found(
    org: Organization,
    owner: Any,
    foreign: Organization,
    token_for: Callable[[Organization, str], str],
) -> None:
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="cam"))
    founder = Membership.objects.get(organization=foreign, role="owner").user
    theirs = request_release(actor(founder), foreign, RequestRelease("theirs", 1, None))
    ours = request_release(actor(owner), org, RequestRelease("cam", 1, None))
    token = token_for(org, "owner")
    for path in (
        f"/releases/{theirs.pk}",
        f"/releases/{theirs.pk}/package.zip",
        f"/releases/{ours.pk}/package.zip",
    ):
        assert_error(call("get", path, token), 404, "not_found")
    approve = call("post", f"/releases/{theirs.pk}/approve", token, data={}, content_type="application/json")
    assert_error(approve, 404, "not_found")
    assert Release.objects.for_org(foreign).get().state == "requested"


def test_release_list_stays_within_a_query_budget(
    org: Organization,
    owner: Any,
    token_for: Callable[[Organization, str], str],
    django_assert_max_num_queries: Any,
) -> None:
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="cam"))
    for _ in range(55):
        request_release(actor(owner), org, RequestRelease("cam", 1, None))
    token = token_for(org, "auditor")
    call("get", "/releases", token)  # the token's first use records it
    with django_assert_max_num_queries(3):
        page = call("get", "/releases", token).json()
    assert len(page["items"]) == 50
    rest = call("get", f"/releases?cursor={page['next_cursor']}", token).json()
    assert len(rest["items"]) == 5
    assert rest["next_cursor"] is None
    ids = [r["id"] for r in page["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 55
