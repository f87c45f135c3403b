"""Pages of the agency's side: requirement sets, vendor packages, evaluations. Each reads through
organization-scoped queries and changes only through ``securable.web.agency.services``."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from securable.errors import InputError, NotFoundError, SecurableError
from securable.web.agency import present, services
from securable.web.agency.archive import MAX_ARCHIVE
from securable.web.agency.engine import MAX_PROFILE
from securable.web.agency.models import Evaluation, RequirementSet, RequirementVersion, VendorPackage
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.pages import actor_of, org_page
from securable.web.paging import keyset
from securable.web.service import Conflict, Forbidden

CHOICES = 200  # at most this many versions and packages offered in the evaluation form


def _failed(request: HttpRequest, org: Organization, err: SecurableError) -> HttpResponse:
    if isinstance(err, NotFoundError):
        raise Http404(err.message) from err
    if isinstance(err, Forbidden):
        return render(request, "forbidden.html", {"org": org, "message": err.message}, status=403)
    status = 409 if isinstance(err, Conflict) else 400
    return render(request, "error.html", {"org": org, "message": err.render()}, status=status)


def _upload(request: HttpRequest, field: str, limit: int) -> bytes | None:
    """The bytes of an uploaded file, or None; larger than ``limit`` is an error, read no further."""
    upload = request.FILES.get(field)
    if upload is None:
        return None
    if upload.size is None or upload.size > limit:
        raise InputError(f"the {field} file is larger than {limit // 2**20} MiB")
    return upload.read(limit + 1)


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as err:
        raise Http404("no such version") from err


# ---- requirement sets -----------------------------------------------------------------------------


@org_page("agency.view")
@require_GET
def requirement_sets(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    latest = RequirementVersion.objects.for_org(org).filter(
        requirement_set=OuterRef("pk"), number=OuterRef("latest_number")
    )
    query = RequirementSet.objects.for_org(org).annotate(status=Subquery(latest.values("status")[:1]))
    try:
        page = keyset(query, request.GET.get("cursor"))
    except SecurableError as err:
        return _failed(request, org, err)
    return render(
        request,
        "agency/requirement_sets.html",
        {
            "org": org,
            "page": page,
            "baselines": services.BASELINES,
            "can_edit": allows(member.role, "requirements.edit"),
        },
    )


@org_page("requirements.edit")
@require_POST
def requirement_set_create(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        profile = _upload(request, "profile", MAX_PROFILE)
        upload = request.FILES.get("profile")
        command = services.CreateRequirementSet(
            name=request.POST.get("name", "")[:200],
            baseline="" if profile is not None else request.POST.get("baseline", "")[:20],
            profile=profile,
            profile_name=(upload.name or "profile.json") if upload is not None else "profile.json",
            why=request.POST.get("why", "")[:500],
        )
        version = services.create_requirement_set(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err)
    return redirect("requirement_set", org=org.slug, slug=version.requirement_set.slug)


def _version(org: Organization, slug: str, number: str | None) -> tuple[RequirementSet, RequirementVersion]:
    item = RequirementSet.objects.for_org(org).filter(slug=slug).first()
    if item is None:
        raise Http404("no such requirement set")
    wanted = _number(number) if number else item.latest_number
    version = (
        RequirementVersion.objects.for_org(org)
        .select_related("author", "approver")
        .filter(requirement_set=item, number=wanted)
        .first()
    )
    if version is None:
        raise Http404("no such version")
    return item, version


@org_page("agency.view")
@require_GET
def requirement_set(request: HttpRequest, org: Organization, member: Membership, slug: str) -> HttpResponse:
    item, version = _version(org, slug, request.GET.get("version"))
    versions = (
        RequirementVersion.objects.for_org(org)
        .filter(requirement_set=item)
        .order_by("-number")
        .values("number", "status", "created", "counts")[:100]
    )
    latest = version.number == item.latest_number
    return render(
        request,
        "agency/requirement_set.html",
        {
            "org": org,
            "item": item,
            "version": version,
            "versions": versions,
            "view": present.requirements(version.report),
            "latest": latest,
            "can_edit": latest and allows(member.role, "requirements.edit"),
            "can_approve": latest
            and version.status == RequirementVersion.Status.DRAFT
            and allows(member.role, "requirements.approve"),
            "own_version": version.author.user_id == request.user.pk,
        },
    )


@org_page("requirements.edit")
@require_POST
def requirement_set_tailor(
    request: HttpRequest, org: Organization, member: Membership, slug: str
) -> HttpResponse:
    command = services.TailorRequirements(
        slug=slug,
        based_on=_number(request.POST.get("based_on")),
        action=request.POST.get("action", "")[:10],
        reason=request.POST.get("reason", "")[: services.MAX_REASON + 1],
        ref=request.POST.get("ref", "")[:101],
        step=_number(request.POST.get("step", "-1")),
    )
    try:
        version = services.tailor_requirement_set(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err)
    return redirect("requirement_set", org=org.slug, slug=version.requirement_set.slug)


@org_page("requirements.approve")
@require_POST
def requirement_set_approve(
    request: HttpRequest, org: Organization, member: Membership, slug: str
) -> HttpResponse:
    command = services.ApproveRequirements(
        slug=slug, number=_number(request.POST.get("number")), why=request.POST.get("why", "")[:500]
    )
    try:
        services.approve_requirement_set(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err)
    return redirect("requirement_set", org=org.slug, slug=slug)


@org_page("agency.view")
@require_GET
def requirement_set_export(
    request: HttpRequest, org: Organization, member: Membership, slug: str
) -> HttpResponse:
    item, version = _version(org, slug, request.GET.get("version"))
    response = HttpResponse(version.export.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="{item.slug}-v{version.number}-requirements.json"'
    )
    return response


# ---- vendor packages ------------------------------------------------------------------------------


@org_page("agency.view")
@require_GET
def vendor_packages(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    query = VendorPackage.objects.for_org(org).only(
        "name", "status", "key_fingerprint", "filename", "created"
    )
    try:
        page = keyset(query, request.GET.get("cursor"))
    except SecurableError as err:
        return _failed(request, org, err)
    return render(
        request,
        "agency/vendor_packages.html",
        {
            "org": org,
            "page": page,
            "can_upload": allows(member.role, "vendor.upload"),
            "max_mib": MAX_ARCHIVE // 2**20,
        },
    )


@org_page("vendor.upload")
@require_POST
def vendor_upload(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        archive = _upload(request, "package", MAX_ARCHIVE)
        key = _upload(request, "key", services.MAX_KEY)
        if archive is None or key is None:
            raise InputError("choose the package (a zip of its folder) and the vendor's public key")
        upload = request.FILES["package"]
        command = services.UploadPackage(
            name=request.POST.get("name", "")[:200],
            archive=archive,
            public_key=key,
            filename=upload.name or "package.zip",
            why=request.POST.get("why", "")[:500],
        )
        package = services.upload_package(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err)
    return redirect("vendor_package", org=org.slug, pk=package.pk)


@org_page("vendor.upload")
@require_POST
def vendor_from_link(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    from securable.web.agency.shared import MAX_LINK, AddFromShare, add_from_share

    command = AddFromShare(
        link=request.POST.get("link", "")[: MAX_LINK + 1],
        name=request.POST.get("name", "")[:200],
        why=request.POST.get("why", "")[:500],
    )
    try:
        package = add_from_share(actor_of(request), org, command, hosts=frozenset({request.get_host()}))
    except SecurableError as err:
        return _failed(request, org, err)
    return redirect("vendor_package", org=org.slug, pk=package.pk)


@org_page("agency.view")
@require_GET
def vendor_package(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    package = (
        VendorPackage.objects.for_org(org).defer("archive").select_related("uploader").filter(pk=pk).first()
    )
    if package is None:
        raise Http404("no such vendor package")
    return render(request, "agency/vendor_package.html", {"org": org, "package": package})


# ---- evaluations ----------------------------------------------------------------------------------


@org_page("agency.view")
@require_GET
def evaluations(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        page = keyset(
            Evaluation.objects.for_org(org).only("name", "failed", "created"), request.GET.get("cursor")
        )
    except SecurableError as err:
        return _failed(request, org, err)
    can_run = allows(member.role, "vendor.evaluate")
    approved = packages = None
    if can_run:
        approved = list(
            RequirementVersion.objects.for_org(org)
            .filter(status=RequirementVersion.Status.APPROVED)
            .order_by("requirement_set__name", "-number")
            .values("requirement_set__slug", "requirement_set__name", "number")[:CHOICES]
        )
        packages = list(
            VendorPackage.objects.for_org(org)
            .filter(status=VendorPackage.Status.VERIFIED)
            .order_by("name", "pk")
            .values("pk", "name", "filename", "key_fingerprint")[:CHOICES]
        )
    return render(
        request,
        "agency/evaluations.html",
        {"org": org, "page": page, "can_run": can_run, "approved": approved, "packages": packages},
    )


@org_page("vendor.evaluate")
@require_POST
def evaluation_run(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    slug, _, number = request.POST.get("requirements", "")[:200].rpartition(":")
    try:
        ids = tuple(int(p) for p in request.POST.getlist("packages")[: services.MAX_VENDORS + 1])
    except ValueError as err:
        raise Http404("no such vendor package") from err
    command = services.RunEvaluation(
        slug=slug, number=_number(number), packages=ids, why=request.POST.get("why", "")[:500]
    )
    try:
        found = services.run_evaluation(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err)
    return redirect("evaluation", org=org.slug, pk=found.pk)


@org_page("agency.view")
@require_GET
def evaluation(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    found = (
        Evaluation.objects.for_org(org)
        .select_related("requirements__requirement_set", "author")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("no such evaluation")
    packages = found.packages.order_by("name").values("pk", "name", "filename", "key_fingerprint", "status")
    return render(
        request,
        "agency/evaluation.html",
        {"org": org, "evaluation": found, "packages": packages, "view": present.evaluation(found.result)},
    )


@org_page("agency.view")
@require_GET
def evaluation_export(
    request: HttpRequest, org: Organization, member: Membership, pk: int, fmt: str
) -> HttpResponse:
    from securable.web.agency.downloads import evaluation_file

    try:
        found = evaluation_file(actor_of(request), org, pk, fmt)
    except SecurableError as err:
        return _failed(request, org, err)
    response = HttpResponse(found.data, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
