"""Authorization matrix of the API's maker and agency endpoints, generated from the role table:
every role x every endpoint, with a token of the role. Own organization: allowed exactly when the
role has the permission (else 403). Another organization's objects, named by id: 404 when the role
could see such objects, else 403 (the permission is checked before anything is looked up), and
never their content or a change to them. (A slug always names the token's own organization's.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from securable.web.agency.models import Evaluation, RequirementVersion, VendorPackage
from securable.web.agency.services import CreateRequirementSet, create_requirement_set
from securable.web.audit.record import person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import ROLES, allows
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products import keys
from securable.web.products.models import Release
from securable.web.products.releases import RequestRelease, record_outcome, request_release
from securable.web.products.services import ImportProduct, import_product

from .agency_world import Packages, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import CAMERA, actor
from .test_web_matrix import ENDPOINTS as BASE_ENDPOINTS
from .test_web_questions import open_product

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@dataclass(frozen=True)
class Call:
    permission: str
    method: str
    path: str  # {release}, {built}, {package} and {evaluation} are filled in; "ours" names slugs
    ok: int = 200
    body: str = ""  # JSON; or "upload" for the vendor package form
    foreign: bool = True  # names an object, so a foreign one can be tried


CALLS = (
    Call("product.view", "get", "/products/open/questions"),
    Call(
        "product.edit",
        "post",
        "/products/open/questions/Q3.1-2/answer",
        201,
        '{"base": 1, "place": "customers.organizations", "text": "banks"}',
    ),
    Call(
        "product.edit",
        "post",
        "/products/open/questions/Q3.1-2/not-applicable",
        201,
        '{"base": 1, "reason": "people only"}',
    ),
    Call("product.view", "get", "/products/ours/diff"),
    Call("product.view", "get", "/releases", foreign=False),
    Call("product.edit", "post", "/releases", 201, '{"product": "ours", "version": 1}', foreign=False),
    Call("product.view", "get", "/releases/{release}"),
    Call("package.sign", "post", "/releases/{release}/approve", 200, "{}"),
    Call("product.view", "get", "/releases/{built}/package.zip"),
    Call("agency.view", "get", "/requirement-sets", foreign=False),
    Call(
        "requirements.edit",
        "post",
        "/requirement-sets",
        201,
        '{"name": "New", "baseline": "low"}',
        foreign=False,
    ),
    Call("agency.view", "get", "/requirement-sets/ours/requirements.json"),
    Call("agency.view", "get", "/vendor-packages", foreign=False),
    Call("vendor.upload", "post", "/vendor-packages", 201, "upload", foreign=False),
    # A link elsewhere is refused (400) once the permission allowed the call at all.
    Call(
        "vendor.upload",
        "post",
        "/vendor-packages/from-link",
        400,
        '{"link": "https://example.com/share/sec_share_abcdefghijklmnopqrstuvwxyz/"}',
        foreign=False,
    ),
    Call("agency.view", "get", "/vendor-packages/{package}"),
    Call("agency.view", "get", "/evaluations", foreign=False),
    Call(
        "vendor.evaluate",
        "post",
        "/evaluations",
        201,
        '{"requirements": "ours", "version": 1, "packages": [{package}]}',
    ),
    Call("agency.view", "get", "/evaluations/{evaluation}"),
    Call("device.view", "get", "/devices", foreign=False),
)


_PARAMETERS = {
    "{release}": "{release_id}",
    "{built}": "{release_id}",
    "{package}": "{package_id}",
    "{evaluation}": "{evaluation_id}",
    "ours": "{slug}",
    "open": "{slug}",
    "{product}": "{slug}",
    "Q3.1-2": "{question}",
}


def _template(path: str) -> str:
    """The OpenAPI path of a call: ids and slugs as the parameters the document names."""
    return "/".join(_PARAMETERS.get(part, part) for part in path.split("/"))


def test_every_api_endpoint_is_in_a_matrix() -> None:
    from securable.web.api.v1 import api

    document = api.get_openapi_schema(path_prefix=V1)
    listed = {(method, path) for path, item in document["paths"].items() for method in item}
    covered = {(c.method, V1 + _template(c.path)) for c in CALLS}
    covered |= {(e.method, _template(e.path)) for e in BASE_ENDPOINTS if e.api}  # test_web_matrix
    assert listed == covered  # a new endpoint must be added to CALLS above


def _furnish(org: Organization, founder: Any, second: Any, packages: Packages) -> dict[str, int]:
    """Products "ours" and "open", a release waiting (requested by ``second``, so the founder may
    approve it), a built one, an approved requirement set "ours", a verified package and an
    evaluation (stored as rows: the matrix checks who may call, the API tests what calls do)."""
    import_product(actor(founder), org, ImportProduct(CAMERA.read_bytes(), slug="ours"))
    import_product(actor(founder), org, ImportProduct(open_product(), slug="open"))
    waiting = request_release(actor(second), org, RequestRelease("ours", 1))
    done = request_release(actor(founder), org, RequestRelease("ours", 1))
    key = keys.make_key(org)
    key.save()
    done.state = Release.State.BUILDING
    done.save(update_fields=["state"])
    record_outcome(org, done, package=b"PK\x05\x06" + bytes(18), fingerprint=key.fingerprint)
    version = create_requirement_set(actor(founder), org, CreateRequirementSet("Ours", baseline="low"))
    RequirementVersion.objects.for_org(org).filter(pk=version.pk).update(
        status="approved", approver=person_for(second)
    )
    package = VendorPackage(
        organization=org,
        name="Acme",
        filename="acme.zip",
        archive=packages.sensor,
        sha256="0" * 64,
        public_key=packages.public_key.decode(),
        key_fingerprint=packages.fingerprint,
        status="verified",
        uploader=person_for(founder),
    )
    package.save()
    evaluation = Evaluation(
        organization=org, name="Ours v1: Acme", requirements=version, result={}, author=package.uploader
    )
    evaluation.save()
    return {"release": waiting.pk, "built": done.pk, "package": package.pk, "evaluation": evaluation.pk}


@pytest.fixture
def world(
    org: Organization,
    owner: Any,
    make_user: Callable[[str], Any],
    member_of: Callable[[Organization, str], Any],
    packages: Packages,
) -> tuple[Organization, dict[str, int], Organization, dict[str, int]]:
    ours = _furnish(org, owner, member_of(org, "editor"), packages)
    founder = make_user("founder@foreign.example")
    foreign = create_organization(actor(founder), CreateOrganization("foreign", "Foreign", "agency"))
    theirs = _furnish(foreign, founder, member_of(foreign, "editor"), packages)
    return org, ours, foreign, theirs


def _send(call: Call, token: str, ids: dict[str, int], packages: Packages) -> Any:
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    path = V1 + call.path.format(**ids)
    if call.method == "get":
        return client.get(path, headers=headers)
    if call.body == "upload":
        data = {
            "name": "Vendor",
            "package": SimpleUploadedFile("p.zip", packages.sensor),
            "key": SimpleUploadedFile("k.pem", packages.public_key),
        }
        return client.post(path, data, headers=headers)
    body = call.body.replace("{package}", str(ids["package"]))
    return client.post(path, json.loads(body), content_type="application/json", headers=headers)


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
@pytest.mark.parametrize("role", list(ROLES))
def test_api_matrix(
    *,
    world: tuple[Organization, dict[str, int], Organization, dict[str, int]],
    token_for: Callable[[Organization, str], str],
    packages: Packages,
    role: str,
    call: Call,
) -> None:
    ours, our_ids, foreign, their_ids = world
    token = token_for(ours, role)
    allowed = allows(role, call.permission)
    own = _send(call, token, our_ids, packages)
    assert own.status_code == (call.ok if allowed else 403), (role, call.path, own.content[:300])
    if not call.foreign:
        return
    # Another organization's objects under their ids (and its slugs, which are the same here).
    counts = (
        Release.objects.for_org(foreign).filter(state="requested").count(),
        Evaluation.objects.for_org(foreign).count(),
        Membership.objects.filter(organization=foreign).count(),
    )
    away = _send(call, token, their_ids, packages)
    if allowed and "ours" not in call.path and "open" not in call.path:
        assert away.status_code == 404, (role, call.path, away.status_code)
    elif not allowed:
        assert away.status_code == 403, (role, call.path, away.status_code)
    assert b"Foreign" not in away.content
    assert b"sec_share_" not in away.content
    assert (
        Release.objects.for_org(foreign).filter(state="requested").count(),
        Evaluation.objects.for_org(foreign).count(),
        Membership.objects.filter(organization=foreign).count(),
    ) == counts
