"""API of the agency's side: requirement sets (list, create from a baseline, export), vendor packages
(upload a zip with the vendor's key, add from a share link of this workspace, list, detail with the
verification) and evaluations (run, list, the core's JSON report).

The same service functions as the pages make every change, so verification on arrival, the second
person's approval and the audit events are the same whichever door a change comes through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from securable.errors import InputError, NotFoundError
from securable.web.agency import services
from securable.web.agency.archive import MAX_ARCHIVE
from securable.web.agency.models import Evaluation, RequirementSet, RequirementVersion, VendorPackage
from securable.web.api.common import CHANGE_ERRORS, ERRORS, caller
from securable.web.paging import keyset
from securable.web.service import authorize

router = Router(tags=["agency"])


class RequirementSetOut(Schema):
    slug: str
    name: str
    latest_version: int
    status: str | None  # of the latest version: draft or approved


class RequirementSetPage(Schema):
    items: list[RequirementSetOut]
    next_cursor: str | None


class RequirementSetIn(Schema):
    name: str
    baseline: str  # low, moderate, high or privacy
    why: str = ""


class RequirementVersionOut(Schema):
    slug: str
    name: str
    version: int
    status: str
    baseline: str
    counts: dict[str, int]


class PackageOut(Schema):
    id: int
    name: str
    filename: str
    status: str  # verified or failed
    key_fingerprint: str
    sha256: str
    created: datetime


class PackageDetailOut(PackageOut):
    verification: dict[str, Any]  # the core's verification report


class PackagePage(Schema):
    items: list[PackageOut]
    next_cursor: str | None


class FromLinkIn(Schema):
    link: str  # https://<this workspace>/share/sec_share_.../
    name: str = ""
    why: str = ""


class EvaluationIn(Schema):
    requirements: str  # the requirement set's slug
    version: int  # an approved version of it
    packages: list[int]  # verified vendor packages, in the order to compare them
    why: str = ""


class EvaluationOut(Schema):
    id: int
    name: str
    failed: bool
    created: datetime


class EvaluationDetailOut(EvaluationOut):
    requirements: str
    version: int
    packages: list[int]
    result: dict[str, Any]  # the core's JSON evaluation (evaluation.schema.json)


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    next_cursor: str | None


# ---- requirement sets -----------------------------------------------------------------------------


@router.get(
    "/requirement-sets",
    response={200: RequirementSetPage, **ERRORS},
    summary="Requirement sets (keyset pages)",
)
def list_requirement_sets(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "agency.view")
    org = token.organization
    latest = RequirementVersion.objects.for_org(org).filter(
        requirement_set=OuterRef("pk"), number=OuterRef("latest_number")
    )
    query = RequirementSet.objects.for_org(org).annotate(status=Subquery(latest.values("status")[:1]))
    page = keyset(query, cursor)
    items = [
        {"slug": s.slug, "name": s.name, "latest_version": s.latest_number, "status": s.status}
        for s in page.rows
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@router.post(
    "/requirement-sets",
    response={201: RequirementVersionOut, **CHANGE_ERRORS},
    summary="Derive a requirement set from an SP 800-53B baseline; its first version is a draft",
)
def create_requirement_set(request: HttpRequest, body: RequirementSetIn) -> Status[dict[str, Any]]:
    actor, token = caller(request)
    command = services.CreateRequirementSet(
        name=body.name[:200], baseline=body.baseline[:20], why=body.why[:500]
    )
    version = services.create_requirement_set(actor, token.organization, command)
    item = version.requirement_set
    return Status(
        201,
        {
            "slug": item.slug,
            "name": item.name,
            "version": version.number,
            "status": version.status,
            "baseline": version.baseline,
            "counts": version.counts,
        },
    )


@router.get(
    "/requirement-sets/{slug}/requirements.json",
    response={200: None, **ERRORS},
    summary="A version's requirements as the OSCAL profile `securable evaluate` reads (latest by default)",
    openapi_extra={"responses": {200: {"description": "OSCAL profile", "content": {"application/json": {}}}}},
)
def export_requirements(request: HttpRequest, slug: str, version: int | None = None) -> HttpResponse:
    actor, token = caller(request)
    authorize(actor, token.organization, "agency.view")
    item = RequirementSet.objects.for_org(token.organization).filter(slug=slug).first()
    if item is None:
        raise NotFoundError("no such requirement set")
    number = version if version is not None else item.latest_number
    found = (
        RequirementVersion.objects.for_org(token.organization)
        .filter(requirement_set=item, number=number)
        .only("export")
        .first()
    )
    if found is None:
        raise NotFoundError(f"requirement set {slug!r} has no version {number}")
    response = HttpResponse(found.export.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{item.slug}-v{number}-requirements.json"'
    return response


# ---- vendor packages ------------------------------------------------------------------------------


def _package_out(package: VendorPackage) -> dict[str, Any]:
    return {
        "id": package.pk,
        "name": package.name,
        "filename": package.filename,
        "status": package.status,
        "key_fingerprint": package.key_fingerprint,
        "sha256": package.sha256,
        "created": package.created,
    }


@router.get(
    "/vendor-packages", response={200: PackagePage, **ERRORS}, summary="Vendor packages (keyset pages)"
)
def list_packages(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "agency.view")
    query = VendorPackage.objects.for_org(token.organization).only(
        "name", "filename", "status", "key_fingerprint", "sha256", "created"
    )
    page = keyset(query, cursor)
    return {"items": [_package_out(p) for p in page.rows], "next_cursor": page.next_cursor}


def _read(upload: UploadedFile, what: str, limit: int) -> bytes:
    if upload.size is None or upload.size > limit:
        raise InputError(f"the {what} is larger than {limit // 1024} KiB")
    return upload.read(limit + 1)


@router.post(
    "/vendor-packages",
    response={201: PackageDetailOut, **CHANGE_ERRORS},
    summary="Upload a vendor's package (a zip of its folder) and public key; verified on arrival",
)
def upload_package(
    request: HttpRequest,
    name: Form[str],
    package: File[UploadedFile],
    key: File[UploadedFile],
    why: Form[str] = "",
) -> Status[dict[str, Any]]:
    actor, token = caller(request)
    command = services.UploadPackage(
        name=name[:200],
        archive=_read(package, "package", MAX_ARCHIVE),
        public_key=_read(key, "public key", services.MAX_KEY),
        filename=package.name or "package.zip",
        why=why[:500],
    )
    stored = services.upload_package(actor, token.organization, command)
    return Status(201, _package_out(stored) | {"verification": stored.verification})


@router.post(
    "/vendor-packages/from-link",
    response={201: PackageDetailOut, **CHANGE_ERRORS},
    summary="Add a package a maker of this workspace shares by link; looked up here, never fetched",
)
def add_from_link(request: HttpRequest, body: FromLinkIn) -> Status[dict[str, Any]]:
    from securable.web.agency.shared import MAX_LINK, AddFromShare, add_from_share

    actor, token = caller(request)
    command = AddFromShare(link=body.link[: MAX_LINK + 1], name=body.name[:200], why=body.why[:500])
    stored = add_from_share(actor, token.organization, command, hosts=frozenset({request.get_host()}))
    return Status(201, _package_out(stored) | {"verification": stored.verification})


@router.get(
    "/vendor-packages/{package_id}",
    response={200: PackageDetailOut, **ERRORS},
    summary="A vendor package with the core's verification report",
)
def get_package(request: HttpRequest, package_id: int) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "agency.view")
    found = VendorPackage.objects.for_org(token.organization).defer("archive").filter(pk=package_id).first()
    if found is None:
        raise NotFoundError("no such vendor package")
    return _package_out(found) | {"verification": found.verification}


# ---- evaluations ----------------------------------------------------------------------------------


@router.get("/evaluations", response={200: EvaluationPage, **ERRORS}, summary="Evaluations (keyset pages)")
def list_evaluations(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "agency.view")
    page = keyset(Evaluation.objects.for_org(token.organization).only("name", "failed", "created"), cursor)
    items = [{"id": e.pk, "name": e.name, "failed": e.failed, "created": e.created} for e in page.rows]
    return {"items": items, "next_cursor": page.next_cursor}


def _evaluation_out(found: Evaluation) -> dict[str, Any]:
    return {
        "id": found.pk,
        "name": found.name,
        "failed": found.failed,
        "created": found.created,
        "requirements": found.requirements.requirement_set.slug,
        "version": found.requirements.number,
        "packages": sorted(p.pk for p in found.packages.all()),
        "result": found.result,
    }


@router.post(
    "/evaluations",
    response={201: EvaluationDetailOut, **CHANGE_ERRORS},
    summary="Evaluate verified vendor packages against an approved requirement set version",
)
def run_evaluation(request: HttpRequest, body: EvaluationIn) -> Status[dict[str, Any]]:
    actor, token = caller(request)
    command = services.RunEvaluation(
        slug=body.requirements[:80],
        number=body.version,
        packages=tuple(body.packages[: services.MAX_VENDORS + 1]),
        why=body.why[:500],
    )
    found = services.run_evaluation(actor, token.organization, command)
    return Status(201, _evaluation_out(found))


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationDetailOut, **ERRORS},
    summary="An evaluation with the core's JSON report (bottom line, summaries, side by side)",
)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "agency.view")
    found = (
        Evaluation.objects.for_org(token.organization)
        .select_related("requirements__requirement_set")
        .defer("requirements__export", "requirements__report", "requirements__profile")
        .filter(pk=evaluation_id)
        .first()
    )
    if found is None:
        raise NotFoundError("no such evaluation")
    return _evaluation_out(found)
