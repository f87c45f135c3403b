"""Pages of the vendor documentation vault, devices from vendor packages, requests to manufacturers
and third-party oversight. Views parse the form, call one service and render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from securable.errors import InputError, NotFoundError, SecurableError
from securable.operations import oversight, requests, vault
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.pages import actor_of, org_page
from securable.web.paging import keyset, newest_first

from . import vendor_services as vs
from .vendor_models import DocumentRequest, Provider, VendorDocument
from .views import MAX_FIELD, _day, _run, _text


def _int(request: HttpRequest, name: str, what: str) -> int:
    try:
        return int(_text(request, name, 20))
    except ValueError as err:
        raise NotFoundError(f"no such {what}") from err


def _on(request: HttpRequest, name: str) -> date:
    return _day(_text(request, name, 20), name.replace("_", " ")) or timezone.now().date()


# -- Vendor documentation vault -----------------------------------------------------------------


@org_page("docs.view")
@require_GET
def vault_list(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def page() -> dict[str, Any]:
        vs.authorize_documents(actor_of(request), org)
        query = VendorDocument.objects.for_org(org).defer("content").select_related("uploaded_by")
        product = request.GET.get("product", "")[:200]
        if product:
            query = query.filter(product=product)
        found = newest_first(query, request.GET.get("cursor"))
        return {
            "org": org,
            "rows": found.rows,
            "product": product,
            "next_cursor": found.next_cursor,
            "can_manage": allows(member.role, "docs.manage"),
            "roles": vs.documentation_roles(org),
            "max_mib": vault.MAX_DOCUMENT // 2**20,
            "actions": vault.ACTIONS,
        }

    return _run(request, org, page, lambda ctx: render(request, "operations/vault.html", ctx))


@org_page("docs.manage")
@require_POST
def vault_add(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > vault.MAX_DOCUMENT:
        message = f"choose a file of at most {vault.MAX_DOCUMENT // 2**20} MiB"
        return render(request, "error.html", {"org": org, "message": message}, status=400)
    command = vs.AddDocument(
        vendor=_text(request, "vendor", 200),
        product=_text(request, "product", 200),
        title=_text(request, "title", 200),
        filename=(upload.name or "document")[:500],
        content=upload.read(vault.MAX_DOCUMENT + 1),
    )
    return _run(
        request,
        org,
        lambda: vs.add_document(actor_of(request), org, command),
        lambda _: redirect("vault", org=org.slug),
    )


@org_page("docs.view")
@require_GET
def vault_document(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    def then(document: VendorDocument) -> HttpResponse:
        # The vendor's bytes are never rendered by the browser: always a download, type not sniffed.
        response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
        response["Content-Disposition"] = vault.attachment(document.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    return _run(request, org, lambda: vs.open_document(actor_of(request), org, pk), then)


# -- Devices from verified vendor packages ------------------------------------------------------


@org_page("device.manage")
@require_GET
def device_from_package_form(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    from securable.web.agency.models import VendorPackage

    packages = (
        VendorPackage.objects.for_org(org)
        .filter(status=VendorPackage.Status.VERIFIED)
        .only("pk", "name", "filename", "created")
        .order_by("name", "pk")[:200]
    )
    return render(request, "operations/device_from_package.html", {"org": org, "packages": packages})


@org_page("device.manage")
@require_POST
def device_from_package(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> Any:
        command = vs.DeviceFromPackage(
            package=_int(request, "package", "vendor package"),
            asset_tag=_text(request, "asset_tag", 200),
            serial=_text(request, "serial", 200),
            device_type=_text(request, "device_type", 200),
            location=_text(request, "location", 200),
            system=_text(request, "system", 200),
            owner=_text(request, "owner", 200),
            why=_text(request, "why"),
        )
        return vs.device_from_package(actor_of(request), org, command)

    return _run(request, org, change, lambda d: redirect("device", org=org.slug, tag=d.asset_tag))


# -- Documentation and parts requests -----------------------------------------------------------


def _request_form(org: Organization, draft: vs.NewRequest | None) -> dict[str, Any]:
    from securable.web.agency.models import Evaluation

    evaluations = [
        (e.pk, e.name, requests.vendors(e.result))
        for e in Evaluation.objects.for_org(org).only("pk", "name", "result").order_by("-pk")[:20]
    ]
    return {"evaluations": evaluations, "draft": draft, "kinds": requests.KINDS}


@org_page("device.view")
@require_GET
def request_list(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    query = DocumentRequest.objects.for_org(org).defer("asked")
    status = request.GET.get("status", "")
    if status in requests.STATUSES:
        query = query.filter(status=status)
    try:
        page = newest_first(query, request.GET.get("cursor"), field="number")
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    can_manage = allows(member.role, "docs.manage")
    return render(
        request,
        "operations/requests.html",
        {
            "org": org,
            "rows": page.rows,
            "status": status,
            "statuses": requests.STATUSES,
            "next_cursor": page.next_cursor,
            "can_manage": can_manage,
            "actions": requests.ACTIONS,
        }
        | (_request_form(org, None) if can_manage else {}),
    )


@org_page("docs.manage")
@require_GET
def request_draft(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def draft() -> vs.NewRequest:
        try:
            evaluation = int(request.GET.get("evaluation", "")[:20])
        except ValueError as err:
            raise NotFoundError("no such evaluation") from err
        return vs.draft_request(org, evaluation, request.GET.get("vendor", "")[:200])

    return _run(
        request,
        org,
        draft,
        lambda made: render(
            request,
            "operations/request_draft.html",
            {"org": org, "actions": requests.ACTIONS} | _request_form(org, made),
        ),
    )


@org_page("docs.manage")
@require_POST
def request_make(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> DocumentRequest:
        evaluation = _text(request, "evaluation", 20)
        try:
            evaluation_id = int(evaluation) if evaluation else None
        except ValueError as err:
            raise InputError("choose the evaluation from the list") from err
        command = vs.NewRequest(
            vendor=_text(request, "vendor", 200),
            product=_text(request, "product", 200),
            kind=_text(request, "kind", 20) or "documentation",
            subject=_text(request, "subject", 200),
            asked=_text(request, "asked", requests.MAX_TEXT),
            asked_on=_on(request, "asked_on"),
            evaluation=evaluation_id,
        )
        return vs.make_request(actor_of(request), org, command)

    return _run(request, org, change, lambda r: redirect("request", org=org.slug, number=r.number))


@org_page("device.view")
@require_GET
def request_detail(request: HttpRequest, org: Organization, member: Membership, number: int) -> HttpResponse:
    found = DocumentRequest.objects.for_org(org).select_related("author").filter(number=number).first()
    if found is None:
        raise Http404("no such request")
    return render(
        request,
        "operations/request.html",
        {
            "org": org,
            "row": found,
            "entries": found.entries.select_related("author").order_by("pk")[:200],
            "events": requests.EVENTS if found.status != "closed" else (),
            "can_manage": allows(member.role, "docs.manage"),
            "actions": requests.ACTIONS,
        },
    )


@org_page("docs.manage")
@require_POST
def request_entry(request: HttpRequest, org: Organization, member: Membership, number: int) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: vs.record_entry(
            actor_of(request),
            org,
            number,
            event=_text(request, "event", 20),
            text=_text(request, "text", MAX_FIELD * 5),
            on=_on(request, "on"),
        ),
        lambda _: redirect("request", org=org.slug, number=number),
    )


# -- Third-party oversight ------------------------------------------------------------------------


@org_page("device.view")
@require_GET
def providers(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        page = keyset(Provider.objects.for_org(org).defer("obligations"), request.GET.get("cursor"))
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    today = timezone.now().date()
    rows = [(p, oversight.next_audit(p.since, p.last_audit, p.audit_months, today)) for p in page.rows]
    return render(
        request,
        "operations/oversight.html",
        {
            "org": org,
            "rows": rows,
            "overdue": sum(1 for _, due in rows if due.overdue),
            "next_cursor": page.next_cursor,
            "can_manage": allows(member.role, "oversight.manage"),
            "kinds": oversight.KINDS,
            "today": today,
            "actions": oversight.ACTIONS,
        },
    )


@org_page("oversight.manage")
@require_POST
def provider_add(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> Provider:
        try:
            months = int(_text(request, "audit_months", 10))
        except ValueError as err:
            raise InputError("audit interval: a whole number of months") from err
        command = vs.NewProvider(
            name=_text(request, "name", 200),
            kind=_text(request, "kind", 20),
            services=_text(request, "services"),
            obligations=_text(request, "obligations", requests.MAX_TEXT),
            audit_months=months,
            since=_on(request, "since"),
        )
        return vs.add_provider(actor_of(request), org, command)

    return _run(request, org, change, lambda p: redirect("provider", org=org.slug, pk=p.pk))


@org_page("device.view")
@require_GET
def provider(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    found = Provider.objects.for_org(org).filter(pk=pk).first()
    if found is None:
        raise Http404("no such provider")
    today = timezone.now().date()
    return render(
        request,
        "operations/provider.html",
        {
            "org": org,
            "provider": found,
            "due": oversight.next_audit(found.since, found.last_audit, found.audit_months, today),
            "audits": found.audits.select_related("recorded_by").order_by("-done", "-pk")[:100],
            "outcomes": oversight.OUTCOMES,
            "can_manage": allows(member.role, "oversight.manage"),
            "today": today,
            "actions": oversight.ACTIONS,
        },
    )


@org_page("oversight.manage")
@require_POST
def provider_audit(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    def change() -> Any:
        done = _day(_text(request, "done", 20), "day of the audit")
        if done is None:
            raise InputError("give the day of the audit")
        return vs.record_audit(
            actor_of(request),
            org,
            pk,
            done=done,
            outcome=_text(request, "outcome", 20),
            findings=_text(request, "findings", requests.MAX_TEXT),
        )

    return _run(request, org, change, lambda _: redirect("provider", org=org.slug, pk=pk))
