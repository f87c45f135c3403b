"""The authorization matrix of the agency's pages, generated from the role table like
``test_web_matrix.py``: every role x every agency page x own/foreign organization. Own: allowed
exactly when the role has the permission (else 403). Foreign: always 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from securable.web.agency.models import Evaluation, VendorPackage
from securable.web.agency.services import (
    CreateRequirementSet,
    RunEvaluation,
    UploadPackage,
    create_requirement_set,
    run_evaluation,
    upload_package,
)
from securable.web.orgs.models import Organization
from securable.web.orgs.roles import ROLES, allows
from securable.web.orgs.services import CreateOrganization, create_organization

from .agency_world import Packages, approved_set, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import actor

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    name: str  # the URL name
    permission: str
    method: str
    path: str  # {org}, {package} and {evaluation} are filled in
    allowed: tuple[int, ...] = (200, 302)  # the answers that mean "let through"

    def data(self, ids: dict[str, int], packages: Packages) -> dict[str, Any]:
        if self.name == "requirement_set_create":
            return {"name": "Another", "baseline": "low"}
        if self.name == "requirement_set_tailor":
            return {"based_on": "1", "action": "drop", "ref": "DI-1", "reason": "isolated network"}
        if self.name == "requirement_set_approve":
            return {"number": "1"}
        if self.name == "vendor_upload":
            return {
                "name": "Vendor",
                "package": SimpleUploadedFile("p.zip", packages.sensor),
                "key": SimpleUploadedFile("k.pem", packages.public_key),
            }
        if self.name == "vendor_from_link":
            # Refused as a link of another host: the permission check comes first either way.
            return {"link": "https://example.com/share/sec_share_abcdefghijklmnopqrstuvwxyz/"}
        if self.name == "evaluation_run":
            return {"requirements": "ours:1", "packages": [ids["package"]]}
        return {}


A = "/o/{org}/agency/"
PAGES = (
    Page("requirement_sets", "agency.view", "get", A + "requirements/"),
    Page("requirement_set_create", "requirements.edit", "post", A + "requirements/new"),
    Page("requirement_set", "agency.view", "get", A + "requirements/ours/"),
    Page("requirement_set_tailor", "requirements.edit", "post", A + "requirements/draft/tailor"),
    Page("requirement_set_approve", "requirements.approve", "post", A + "requirements/draft/approve"),
    Page("requirement_set_export", "agency.view", "get", A + "requirements/ours/requirements.json"),
    Page("vendor_packages", "agency.view", "get", A + "vendors/"),
    Page("vendor_upload", "vendor.upload", "post", A + "vendors/upload"),
    Page("vendor_from_link", "vendor.upload", "post", A + "vendors/from-link", (400,)),
    Page("vendor_package", "agency.view", "get", A + "vendors/{package}/"),
    Page("evaluations", "agency.view", "get", A + "evaluations/"),
    Page("evaluation_run", "vendor.evaluate", "post", A + "evaluations/run"),
    Page("evaluation", "agency.view", "get", A + "evaluations/{evaluation}/"),
    Page("evaluation_export", "agency.view", "get", A + "evaluations/{evaluation}/evaluation.csv"),
)
NAMES = frozenset(p.name for p in PAGES)  # test_web_matrix checks every URL is covered somewhere


def _furnish(org: Organization, founder: Any, second: Any, packages: Packages) -> dict[str, int]:
    """An approved set "ours" with a verified package and an evaluation, and a draft set "draft"."""
    approved_set(org, founder, second, name="Ours")
    create_requirement_set(actor(founder), org, CreateRequirementSet("Draft", baseline="low"))
    package = upload_package(actor(founder), org, UploadPackage("Acme", packages.sensor, packages.public_key))
    evaluation = run_evaluation(actor(founder), org, RunEvaluation("ours", 1, (package.pk,)))
    return {"package": package.pk, "evaluation": evaluation.pk}


@pytest.fixture
def world(
    org: Organization,
    owner: Any,
    make_user: Callable[[str], Any],
    member_of: Callable[[Organization, str], Any],
    packages: Packages,
) -> tuple[Organization, dict[str, int], Organization, dict[str, int]]:
    ours = _furnish(org, owner, member_of(org, "reviewer"), packages)
    founder = make_user("founder@foreign.example")
    foreign = create_organization(actor(founder), CreateOrganization("foreign", "Foreign", "agency"))
    theirs = _furnish(foreign, founder, member_of(foreign, "reviewer"), packages)
    return org, ours, foreign, theirs


def _request(page: Page, who: Any, org: Organization, ids: dict[str, int], packages: Packages) -> Any:
    client = Client()
    client.force_login(who)
    path = page.path.format(org=org.slug, **ids)
    if page.method == "post":
        return client.post(path, page.data(ids, packages))
    return client.get(path)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("role", list(ROLES))
def test_agency_matrix(
    *,
    world: tuple[Organization, dict[str, int], Organization, dict[str, int]],
    member_of: Callable[[Organization, str], Any],
    packages: Packages,
    role: str,
    page: Page,
) -> None:
    ours, our_ids, foreign, their_ids = world
    who = member_of(ours, role)
    own = _request(page, who, ours, our_ids, packages)
    if allows(role, page.permission):
        assert own.status_code in page.allowed, (role, page.name, own.status_code)
    else:
        assert own.status_code == 403, (role, page.name, own.status_code)

    counts = (VendorPackage.objects.for_org(foreign).count(), Evaluation.objects.for_org(foreign).count())
    away = _request(page, who, foreign, their_ids, packages)
    assert away.status_code == 404, (role, page.name, away.status_code)
    assert b"Foreign" not in away.content
    assert (
        VendorPackage.objects.for_org(foreign).count(),
        Evaluation.objects.for_org(foreign).count(),
    ) == counts


@pytest.mark.parametrize("role", list(ROLES))
def test_another_organizations_objects_are_not_found_from_ones_own(
    world: tuple[Organization, dict[str, int], Organization, dict[str, int]],
    member_of: Callable[[Organization, str], Any],
    role: str,
) -> None:
    """A member naming a foreign package or evaluation under their own organization: 404, not 403."""
    ours, _, _, theirs = world
    client = Client()
    client.force_login(member_of(ours, role))
    for path in (A + "vendors/{package}/", A + "evaluations/{evaluation}/"):
        assert client.get(path.format(org=ours.slug, **theirs)).status_code == 404
    if allows(role, "vendor.evaluate"):
        sent = client.post(
            A.format(org=ours.slug) + "evaluations/run",
            {"requirements": "ours:1", "packages": [theirs["package"]]},
        )
        assert sent.status_code == 404
