"""API of the agency's side: requirement sets, vendor packages (upload, share link), evaluations and
devices, through the same services as the pages, scoped to the token's organization."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from securable import api as core
from securable.operations.register import DeviceRow
from securable.web.agency.models import Evaluation, RequirementSet, VendorPackage
from securable.web.agency.services import UploadPackage, upload_package
from securable.web.audit.models import AuditEvent
from securable.web.operations import services as operations
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products.models import Release
from securable.web.products.releases import CreateShare, create_share

from .agency_world import Packages, approved_set, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import actor
from .test_web_api import assert_error, call
from .test_web_releases import _no_pdf, built, camera, jobs_done  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(make_user: Callable[[str], Any]) -> Organization:
    officer = make_user("officer@agency.example")
    return create_organization(actor(officer), CreateOrganization("agency", "Agency", "agency"))


def _founder(org: Organization) -> Any:
    return Membership.objects.get(organization=org, role="owner").user


def _actions(org: Organization) -> list[str]:
    return [json.loads(e.payload)["action"] for e in AuditEvent.objects.for_org(org).order_by("seq")]


def _upload(token: str, packages: Packages, name: str = "Aerolume", data: bytes | None = None) -> Any:
    return call(
        "post",
        "/vendor-packages",
        token,
        data={
            "name": name,
            "why": "tender 7",
            "package": SimpleUploadedFile("aerolume.zip", packages.sensor if data is None else data),
            "key": SimpleUploadedFile("aerolume.pem", packages.public_key),
        },
    )


def test_requirement_sets_created_listed_and_exported(
    agency: Organization, token_for: Callable[[Organization, str], str]
) -> None:
    token = token_for(agency, "editor")
    made = call(
        "post",
        "/requirement-sets",
        token,
        data={"name": "Sensors", "baseline": "low", "why": "building sensors"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "draft"
    expected = core.requirements(baseline="low")
    assert made.json()["counts"]["technical"] == len(expected.requirements.technical)
    listed = call("get", "/requirement-sets", token).json()
    assert listed["items"] == [{"slug": "sensors", "name": "Sensors", "latest_version": 1, "status": "draft"}]
    exported = call("get", "/requirement-sets/sensors/requirements.json", token)
    assert exported.status_code == 200
    assert exported.content.decode() == expected.report("oscal")
    assert_error(
        call("get", "/requirement-sets/sensors/requirements.json?version=4", token), 404, "not_found"
    )
    again = call(
        "post",
        "/requirement-sets",
        token,
        data={"name": "Sensors", "baseline": "low"},
        content_type="application/json",
    )
    assert_error(again, 409, "conflict")
    unknown = call(
        "post",
        "/requirement-sets",
        token,
        data={"name": "Odd", "baseline": "extreme"},
        content_type="application/json",
    )
    assert_error(unknown, 400, "invalid_input")
    assert _actions(agency)[-1] == "requirements.create"


def test_packages_uploaded_verified_listed_and_shown(
    agency: Organization, token_for: Callable[[Organization, str], str], packages: Packages
) -> None:
    token = token_for(agency, "editor")
    sent = _upload(token, packages)
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["status"] == "verified"
    assert body["key_fingerprint"] == packages.fingerprint
    assert body["verification"]["signature"] == "valid"
    tampered = _upload(token, packages, "Tampered", packages.tampered)
    assert tampered.status_code == 201
    assert tampered.json()["status"] == "failed"
    listed = call("get", "/vendor-packages", token).json()
    assert [(p["name"], p["status"]) for p in listed["items"]] == [
        ("Aerolume", "verified"),
        ("Tampered", "failed"),
    ]
    shown = call("get", f"/vendor-packages/{body['id']}", token_for(agency, "auditor")).json()
    assert shown["verification"] == VendorPackage.objects.for_org(agency).get(pk=body["id"]).verification
    assert [a for a in _actions(agency) if a.startswith("vendor.")] == ["vendor.upload", "vendor.upload"]
    not_zip = _upload(token, packages, "Junk", b"not a zip at all")
    assert_error(not_zip, 400, "invalid_input")


def test_evaluations_run_listed_and_read_with_the_summary(
    agency: Organization,
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
    packages: Packages,
) -> None:
    officer = _founder(agency)
    version = approved_set(agency, officer, member_of(agency, "reviewer"))
    token = token_for(agency, "editor")
    good = _upload(token, packages).json()["id"]
    bad = _upload(token, packages, "Tampered", packages.tampered).json()["id"]
    data = {"requirements": "sensors", "version": version.number, "packages": [good]}
    ran = call("post", "/evaluations", token, data=data, content_type="application/json")
    assert ran.status_code == 201, ran.content
    body = ran.json()
    stored = Evaluation.objects.for_org(agency).get()
    assert body["result"] == stored.result
    assert body["packages"] == [good]
    assert [s["vendor"] for s in body["result"]["summaries"]] == ["Aerolume"]
    assert body["result"]["summaries"][0]["bottom_line"]
    shown = call("get", f"/evaluations/{body['id']}", token_for(agency, "auditor")).json()
    assert shown == body
    listed = call("get", "/evaluations", token).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]
    refused = call(
        "post", "/evaluations", token, data=data | {"packages": [bad]}, content_type="application/json"
    )
    assert_error(refused, 409, "conflict")
    draft = call(
        "post",
        "/requirement-sets",
        token,
        data={"name": "Draft", "baseline": "low"},
        content_type="application/json",
    )
    assert draft.status_code == 201
    unapproved = call(
        "post",
        "/evaluations",
        token,
        data=data | {"requirements": "draft", "version": 1},
        content_type="application/json",
    )
    assert_error(unapproved, 409, "conflict")
    # An auditor reads, but does not run: the token's role caps the owner's rights.
    capped = call(
        "post", "/evaluations", token_for(agency, "auditor"), data=data, content_type="application/json"
    )
    assert_error(capped, 403, "forbidden")
    assert Evaluation.objects.for_org(agency).count() == 1


@pytest.fixture
def release(request: pytest.FixtureRequest) -> Release:
    """A built release of the maker ("org"): the releases tests' fixture, under a name of this module."""
    found: Release = request.getfixturevalue("built")
    return found


def test_a_package_from_a_share_link_through_the_api(
    org: Organization,
    owner: Any,
    release: Release,
    agency: Organization,
    token_for: Callable[[Organization, str], str],
) -> None:
    _, secret = create_share(actor(owner), org, CreateShare(release.pk, 7))
    token = token_for(agency, "editor")
    added = call(
        "post",
        "/vendor-packages/from-link",
        token,
        data={"link": f"http://testserver/share/{secret}/"},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assert added.json()["status"] == "verified"
    assert added.json()["name"] == org.name
    elsewhere = call(
        "post",
        "/vendor-packages/from-link",
        token,
        data={"link": f"https://example.org/share/{secret}/"},
        content_type="application/json",
    )
    error = assert_error(elsewhere, 400, "invalid_input")
    assert "only share links of this workspace" in error["message"]
    capped = call(
        "post",
        "/vendor-packages/from-link",
        token_for(agency, "reviewer"),
        data={"link": f"/share/{secret}/"},
        content_type="application/json",
    )
    assert_error(capped, 403, "forbidden")
    assert VendorPackage.objects.for_org(agency).count() == 1


def test_another_organizations_agency_objects_are_not_found(
    agency: Organization,
    make_user: Callable[[str], Any],
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
    packages: Packages,
) -> None:
    stranger = make_user("founder@other.example")
    other = create_organization(actor(stranger), CreateOrganization("other", "Other", "agency"))
    version = approved_set(other, stranger, member_of(other, "reviewer"))
    theirs = upload_package(
        actor(stranger), other, UploadPackage("Theirs", packages.sensor, packages.public_key)
    )
    from securable.web.agency.services import RunEvaluation, run_evaluation

    evaluation = run_evaluation(
        actor(stranger), other, RunEvaluation("sensors", version.number, (theirs.pk,))
    )
    token = token_for(agency, "owner")
    for path in (
        f"/vendor-packages/{theirs.pk}",
        f"/evaluations/{evaluation.pk}",
        "/requirement-sets/sensors/requirements.json",
    ):
        assert_error(call("get", path, token), 404, "not_found")
    for path in ("/requirement-sets", "/vendor-packages", "/evaluations", "/devices"):
        assert call("get", path, token).json()["items"] == []
    run = call(
        "post",
        "/evaluations",
        token,
        data={"requirements": "sensors", "version": version.number, "packages": [theirs.pk]},
        content_type="application/json",
    )
    assert_error(run, 404, "not_found")
    assert Evaluation.objects.for_org(other).count() == 1


def test_devices_are_listed_in_keyset_pages(
    agency: Organization, token_for: Callable[[Organization, str], str]
) -> None:
    officer = _founder(agency)
    for i in range(53):
        operations.add_device(
            actor(officer), agency, DeviceRow(f"CAM-{i:03}", f"SN{i}", device_type="camera")
        )
    token = token_for(agency, "auditor")
    first = call("get", "/devices", token).json()
    assert len(first["items"]) == 50
    rest = call("get", f"/devices?cursor={first['next_cursor']}", token).json()
    tags = [d["asset_tag"] for d in first["items"] + rest["items"]]
    assert tags == [f"CAM-{i:03}" for i in range(53)]
    assert rest["next_cursor"] is None
    assert_error(call("get", "/devices?cursor=%%%", token), 400, "invalid_input")


def test_a_maker_role_without_agency_permissions_is_refused(
    agency: Organization,
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
    packages: Packages,
) -> None:
    """Reviewers read the agency's records but upload nothing and create no requirement sets."""
    token = token_for(agency, "reviewer")
    assert call("get", "/vendor-packages", token).status_code == 200
    assert_error(_upload(token, packages), 403, "forbidden")
    made = call(
        "post",
        "/requirement-sets",
        token,
        data={"name": "Sensors", "baseline": "low"},
        content_type="application/json",
    )
    assert_error(made, 403, "forbidden")
    assert not RequirementSet.objects.for_org(agency).exists()
    assert not VendorPackage.objects.for_org(agency).exists()


@pytest.mark.parametrize("path", ["/requirement-sets", "/vendor-packages", "/evaluations", "/devices"])
def test_agency_lists_stay_within_a_query_budget(
    *,
    agency: Organization,
    member_of: Callable[[Organization, str], Any],
    token_for: Callable[[Organization, str], str],
    packages: Packages,
    django_assert_max_num_queries: Any,
    path: str,
) -> None:
    officer = _founder(agency)
    version = approved_set(agency, officer, member_of(agency, "reviewer"))
    package = upload_package(actor(officer), agency, UploadPackage("A", packages.sensor, packages.public_key))
    # Many rows made in bulk (the services are slow per row and not what is measured here).
    RequirementSet.objects.for_org(agency).bulk_create(
        [
            RequirementSet(organization=agency, slug=f"s{i:03}", name=f"S {i:03}", latest_number=0)
            for i in range(55)
        ]
    )
    VendorPackage.objects.for_org(agency).bulk_create(
        [
            VendorPackage(
                organization=agency,
                name=f"V {i:03}",
                filename="v.zip",
                archive=b"",
                sha256="0" * 64,
                public_key="",
                status="failed",
                uploader=package.uploader,
            )
            for i in range(55)
        ]
    )
    Evaluation.objects.for_org(agency).bulk_create(
        [
            Evaluation(
                organization=agency,
                name=f"E {i:03}",
                requirements=version,
                result={},
                author=package.uploader,
            )
            for i in range(55)
        ]
    )
    for i in range(55):
        operations.add_device(actor(officer), agency, DeviceRow(f"D-{i:03}", "SN", device_type="camera"))
    token = token_for(agency, "auditor")
    call("get", path, token)  # the token's first use records it
    # The token (with its organization and user), the membership, the page: whatever the page size.
    with django_assert_max_num_queries(3):
        page = call("get", path, token).json()
    assert len(page["items"]) == 50
    assert page["next_cursor"]
