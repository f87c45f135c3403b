"""Pages: products list, import, a product's detail with its assessment, and YAML export."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from securable.errors import SecurableError
from securable.web import core
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.pages import actor_of, org_page
from securable.web.paging import keyset
from securable.web.products.models import Product, ProductVersion
from securable.web.products.services import ImportProduct, import_product

MAX_UPLOAD = 1024 * 1024  # the core's cap for a product description


@org_page("product.view")
@require_GET
def products(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        page = keyset(Product.objects.for_org(org), request.GET.get("cursor"))
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return render(
        request,
        "products/list.html",
        {"org": org, "page": page, "can_edit": allows(member.role, "product.edit")},
    )


@org_page("product.edit")
@require_POST
def product_import(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return render(
            request, "error.html", {"org": org, "message": "choose a securable.yaml to import"}, status=400
        )
    if upload.size is None or upload.size > MAX_UPLOAD:
        return render(
            request, "error.html", {"org": org, "message": "the file is larger than 1 MiB"}, status=400
        )
    command = ImportProduct(
        content=upload.read(MAX_UPLOAD + 1),
        slug=request.POST.get("slug", ""),
        filename=(upload.name or "securable.yaml")[:200],
        why=request.POST.get("why", "")[:500],
    )
    try:
        version = import_product(actor_of(request), org, command)
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return redirect("product", org=org.slug, product=version.product.slug)


def version_of(org: Organization, slug: str, number: str | None) -> tuple[Product, ProductVersion]:
    product = Product.objects.for_org(org).filter(slug=slug).first()
    if product is None:
        raise Http404("no such product")
    try:
        wanted = int(number) if number else product.latest_number
    except ValueError as err:
        raise Http404("no such version") from err
    version = ProductVersion.objects.for_org(org).filter(product=product, number=wanted).first()
    if version is None:
        raise Http404("no such version")
    return product, version


@org_page("product.view")
@require_GET
def product(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    item, version = version_of(org, product, request.GET.get("version"))
    versions = (
        ProductVersion.objects.for_org(org)
        .filter(product=item)
        .order_by("-number")
        .values("number", "label", "created", "sha256")[:100]
    )
    summary = None
    problem = ""
    try:
        summary = core.assess(bytes(version.content), today=timezone.now().date())
    except SecurableError as err:  # a version accepted by an older core may not pass a newer one
        problem = err.render()
    return render(
        request,
        "products/detail.html",
        {
            "org": org,
            "product": item,
            "version": version,
            "versions": versions,
            "summary": summary,
            "problem": problem,
            "can_edit": allows(member.role, "product.edit"),
        },
    )


@org_page("product.view")
@require_GET
def product_yaml(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    item, version = version_of(org, product, request.GET.get("version"))
    response = HttpResponse(bytes(version.content), content_type="application/yaml")
    response["Content-Disposition"] = f'attachment; filename="{item.slug}-v{version.number}.securable.yaml"'
    return response


@org_page("product.view")
@require_GET
def product_redirect(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return redirect("products", org=org.slug)
