"""Pages of reviews (with the trigger events that open them) and of reports for auditors.

Views parse the form, call one service and render; the services decide and record.
"""

from __future__ import annotations

import json
from datetime import datetime, time

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from securable.errors import InputError, NotFoundError
from securable.operations import advisory as adv
from securable.operations import report as rp
from securable.operations import reviews as rv
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.pages import actor_of, org_page
from securable.web.paging import newest_first

from . import report_services
from . import review_services as rs
from .models import Device
from .review_models import Advisory, Review
from .views import MAX_FIELD, _day, _run, _text, _when

STATES = ("open", "completed")


@org_page("device.view")
@require_GET
def reviews(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    query = Review.objects.for_org(org).select_related("device", "assignee")
    state = request.GET.get("state", "open")[:20]
    if state in STATES:
        query = query.filter(state=state)
    try:
        page = newest_first(query, request.GET.get("cursor"), field="number")
    except InputError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return render(
        request,
        "operations/reviews.html",
        {
            "org": org,
            "rows": page.rows,
            "state": state,
            "states": STATES,
            "today": timezone.now().date(),
            "next_cursor": page.next_cursor,
            "advisories": Advisory.objects.for_org(org)
            .defer("content", "findings")
            .order_by("-created")[:10],
            "severities": rv.SEVERITIES,
            "can_trigger": allows(member.role, "review.trigger"),
            "actions": ("FPN-SEED-6.A1", "FPN-SEED-6.A2"),
        },
    )


@org_page("device.view")
@require_GET
def review(request: HttpRequest, org: Organization, member: Membership, number: int) -> HttpResponse:
    found = (
        Review.objects.for_org(org)
        .select_related("device", "maintenance", "advisory", "incident", "assignee", "completed_by")
        .defer("advisory__content")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise Http404("no such review")
    return render(
        request,
        "operations/review.html",
        {
            "org": org,
            "review": found,
            "today": timezone.now().date(),
            "outcomes": rv.OUTCOMES,
            "can_complete": found.state == "open" and allows(member.role, "review.complete"),
            "actions": rv.ACTIONS[found.kind],
        },
    )


@org_page("review.complete")
@require_POST
def review_complete(request: HttpRequest, org: Organization, member: Membership, number: int) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: rs.complete_review(
            actor_of(request), org, number, _text(request, "outcome", 40), _text(request, "note", MAX_FIELD)
        ),
        lambda r: redirect("review", org=org.slug, number=r.number),
    )


@org_page("review.trigger")
@require_POST
def incident_record(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> Review:
        command = rs.RecordIncident(
            summary=_text(request, "summary", MAX_FIELD),
            severity=_text(request, "severity", 20),
            occurred=_when(_text(request, "occurred", 40), "when it happened"),
            asset_tag=_text(request, "asset_tag", 200),
        )
        return rs.record_incident(actor_of(request), org, command)

    return _run(request, org, change, lambda r: redirect("review", org=org.slug, number=r.number))


@org_page("review.trigger")
@require_POST
def advisory_upload(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > adv.MAX_BYTES:
        message = "choose a CSAF, OpenVEX or CycloneDX VEX file of at most 5 MiB"
        return render(request, "error.html", {"org": org, "message": message}, status=400)
    content = upload.read(adv.MAX_BYTES + 1)
    name = (upload.name or "advisory.json")[:200]
    return _run(
        request,
        org,
        lambda: rs.upload_advisory(actor_of(request), org, content, name),
        lambda result: render(
            request,
            "operations/advisory.html",
            {
                "org": org,
                "advisory": result.advisory,
                "findings": json.loads(result.advisory.findings)[:500],
                "reviews": result.reviews,
            },
        ),
    )


# -- Reports ---------------------------------------------------------------------------------------

REPORTS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@org_page("audit.view")
@require_GET
def reports(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    systems = (
        Device.objects.for_org(org).exclude(system="").order_by("system").values_list("system", flat=True)
    )
    return render(
        request,
        "operations/reports.html",
        {"org": org, "systems": list(systems.distinct()[:500]), "formats": list(REPORTS)},
    )


def _scope(request: HttpRequest, org: Organization) -> rp.Scope:
    tag = request.GET.get("device", "")[:200].strip()
    system = request.GET.get("system", "")[:200].strip()
    start = _day(request.GET.get("start", "")[:20], "start")
    end = _day(request.GET.get("end", "")[:20], "end")
    devices: frozenset[str] | None = None
    title = f"{org.name}: operations report"
    if tag:
        if not Device.objects.for_org(org).filter(asset_tag=tag).exists():
            raise NotFoundError("no such device")
        devices, title = frozenset({tag}), f"{org.name}: device {tag}"
    elif system:
        devices = frozenset(
            Device.objects.for_org(org).filter(system=system).values_list("asset_tag", flat=True)
        )
        if not devices:
            raise NotFoundError("no such system")
        title = f"{org.name}: system {system}"
    zone = timezone.get_current_timezone()
    return rp.Scope(
        title,
        devices,
        datetime.combine(start, time.min, zone) if start else None,
        datetime.combine(end, time.min, zone) if end else None,  # the end day itself is excluded
    )


@org_page("audit.view")
@require_GET
def report(request: HttpRequest, org: Organization, member: Membership, fmt: str) -> HttpResponse:
    if fmt not in REPORTS:
        raise Http404("no such format")
    return _run(
        request,
        org,
        lambda: report_services.build_report(actor_of(request), org, _scope(request, org)),
        lambda built: _report_response(org, built, fmt),
    )


def _report_response(org: Organization, built: rp.Report, fmt: str) -> HttpResponse:
    body: str | bytes
    if fmt == "html":
        body = rp.to_html(built)
    elif fmt == "csv":
        body = rp.to_csv(built)
    else:
        body = rp.to_pdf(built)
    response = HttpResponse(body, content_type=REPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-report.{fmt}"'
    return response
