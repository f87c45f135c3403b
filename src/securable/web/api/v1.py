"""REST API version 1 (django-ninja): products for CI, the audit chain for auditors.

A token belongs to one organization, so no organization appears in the URLs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from securable.errors import NotFoundError, SecurableError
from securable.web.api import agency, devices, maker
from securable.web.api.common import ERRORS
from securable.web.api.errors import error_response, from_securable
from securable.web.api.models import ApiToken
from securable.web.api.tokens import actor_for, check_bearer
from securable.web.products.models import Product, ProductVersion
from securable.web.service import Actor, authorize

MAX_UPLOAD = 1024 * 1024 + 1  # the core refuses YAML over 1 MiB; read one byte more to tell


class Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return check_bearer(token)


api = NinjaAPI(
    title="Securable workspace API",
    version="1",
    urls_namespace="api-v1",
    auth=Bearer(),
    docs_url=None,  # the interactive docs page loads scripts from a CDN; the document is at /openapi.json
    description="One organization's products, questionnaire, releases, requirement sets, vendor packages, "
    "evaluations, devices and audit trail, for CI and auditors. Errors always have "
    'the shape {"error": {"code", "message", "hint"}}.',
)
# The maker's questionnaire, diff and releases; the agency's requirements, vendor packages,
# evaluations and devices: each in its own module, all under /api/v1 with the same token.
api.add_router("", maker.router)
api.add_router("", agency.router)
api.add_router("", devices.router)


def _actor(request: HttpRequest) -> tuple[Actor, ApiToken]:
    token: ApiToken = request.auth
    return actor_for(token, getattr(request, "request_id", "")), token


class VersionOut(Schema):
    number: int
    label: str
    sha256: str
    created: datetime


class ProductOut(Schema):
    slug: str
    name: str
    latest_version: int


class ProductDetailOut(ProductOut):
    versions: list[VersionOut]


class ProductPage(Schema):
    items: list[ProductOut]
    next_cursor: str | None


@api.exception_handler(SecurableError)
def _securable(request: HttpRequest, exc: SecurableError) -> HttpResponse:
    return from_securable(exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = error_response(
        401, "unauthorized", "a valid API token is required", "send Authorization: Bearer <token>"
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    where = "; ".join(
        ".".join(str(p) for p in e.get("loc", ())) + ": " + e.get("msg", "") for e in exc.errors
    )
    return error_response(422, "invalid_request", f"the request is not valid: {where}")


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def _404(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", "no such object")


def _product(actor: Actor, token: ApiToken, slug: str) -> Product:
    product = Product.objects.for_org(token.organization).filter(slug=slug).first()
    if product is None:
        raise NotFoundError(f"no product {slug!r}")
    return product


@api.get("/products", response={200: ProductPage, **ERRORS}, summary="List products (keyset pages)")
def list_products(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    from securable.web.paging import keyset

    actor, token = _actor(request)
    authorize(actor, token.organization, "product.view")
    page = keyset(Product.objects.for_org(token.organization), cursor)
    items = [{"slug": p.slug, "name": p.name, "latest_version": p.latest_number} for p in page.rows]
    return {"items": items, "next_cursor": page.next_cursor}


@api.get(
    "/products/{slug}", response={200: ProductDetailOut, **ERRORS}, summary="One product and its versions"
)
def get_product(request: HttpRequest, slug: str) -> dict[str, Any]:
    actor, token = _actor(request)
    authorize(actor, token.organization, "product.view")
    product = _product(actor, token, slug)
    versions = (
        ProductVersion.objects.for_org(token.organization)
        .filter(product=product)
        .order_by("-number")
        .values("number", "label", "sha256", "created")
    )
    return {
        "slug": product.slug,
        "name": product.name,
        "latest_version": product.latest_number,
        "versions": list(versions),
    }


@api.get(
    "/products/{slug}/securable.yaml",
    response={200: None, **ERRORS},
    summary="A version's product description, byte for byte as uploaded (latest by default)",
    openapi_extra={"responses": {200: {"description": "the YAML", "content": {"application/yaml": {}}}}},
)
def export_product(request: HttpRequest, slug: str, version: int | None = None) -> HttpResponse:
    actor, token = _actor(request)
    authorize(actor, token.organization, "product.view")
    product = _product(actor, token, slug)
    number = version if version is not None else product.latest_number
    found = ProductVersion.objects.for_org(token.organization).filter(product=product, number=number).first()
    if found is None:
        raise NotFoundError(f"product {slug!r} has no version {number}")
    return HttpResponse(bytes(found.content), content_type="application/yaml")


@api.post(
    "/products/{slug}/versions",
    response={201: VersionOut, **ERRORS},
    summary="Upload a product description (securable.yaml) as a new version; makes the product if new",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}}
    },
)
def upload_version(request: HttpRequest, slug: str) -> Status[dict[str, Any]]:
    from securable.errors import InputError
    from securable.web.products.services import ImportProduct, import_product

    actor, token = _actor(request)
    body = request.read(MAX_UPLOAD)
    if len(body) >= MAX_UPLOAD:
        raise InputError("the product description is larger than 1 MiB")
    version = import_product(actor, token.organization, ImportProduct(content=body, slug=slug))
    return Status(
        201,
        {
            "number": version.number,
            "label": version.label,
            "sha256": version.sha256,
            "created": version.created,
        },
    )


@api.get(
    "/audit",
    response={200: None, **ERRORS},
    summary="The organization's audit chain as JSON Lines (check it with `securable audit verify`)",
    openapi_extra={"responses": {200: {"description": "JSON Lines", "content": {"application/jsonl": {}}}}},
)
def export_audit(request: HttpRequest) -> StreamingHttpResponse:
    from securable.web.audit.export import export_lines

    actor, token = _actor(request)
    authorize(actor, token.organization, "audit.view")
    return StreamingHttpResponse(export_lines(token.organization), content_type="application/jsonl")


# Routers kept in modules of their own, mounted last: they use the schemas and helpers above.
from securable.web.api.audit_api import router as _audit_router  # noqa: E402

api.add_router("/audit", _audit_router)
