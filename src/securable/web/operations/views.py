"""Pages of agency operations: the device register, maintenance records, personnel and tools.

Views parse the form, call one service and render; the services decide and record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from securable.errors import InputError, NotFoundError, SecurableError
from securable.operations import maintenance as m
from securable.operations import policy, register
from securable.operations.actions import seed_actions
from securable.web.audit.record import person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import ROLES, allows
from securable.web.pages import actor_of, org_page
from securable.web.paging import keyset, newest_first
from securable.web.service import Forbidden

from . import job_services as js
from . import services as s
from .models import Acknowledgement, Alert, Device, Maintenance, PolicyVersion, Technician, Tool

MAX_FIELD = 2000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(request: HttpRequest, name: str, limit: int = 500) -> str:
    return request.POST.get(name, "")[:limit]


def _when(value: str, what: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip()[:40])
    except ValueError as err:
        raise InputError(f"{what}: not a date and time", hint="use the form's date picker") from err
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _day(value: str, what: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:20]) if value.strip() else None
    except ValueError as err:
        raise InputError(f"{what}: not a date", hint="write it as YYYY-MM-DD") from err


def _run(
    request: HttpRequest, org: Organization, change: Callable[[], Any], then: Callable[[Any], HttpResponse]
) -> HttpResponse:
    """Call one service; its refusals become the error page with the right status."""
    try:
        result = change()
    except Forbidden as err:
        return render(request, "forbidden.html", {"org": org, "message": err.message}, status=403)
    except NotFoundError as err:
        raise Http404(err.message) from err
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return then(result)


def _labels() -> dict[str, str]:
    return {a.id: a.text for a in seed_actions()}


# -- Device register ---------------------------------------------------------------------------


@org_page("device.view")
@require_GET
def devices(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        page = keyset(Device.objects.for_org(org), request.GET.get("cursor"), key="asset_tag")
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    today = timezone.now().date()
    return render(
        request,
        "operations/devices.html",
        {
            "org": org,
            "rows": [(d, register.warnings(d.row(), today)) for d in page.rows],
            "next_cursor": page.next_cursor,
            "can_manage": allows(member.role, "device.manage"),
            "statuses": register.STATUSES,
            "columns": register.COLUMNS,
            "actions": register.ACTIONS,
        },
    )


def _row_from(request: HttpRequest) -> register.DeviceRow:
    return register.DeviceRow(
        asset_tag=_text(request, "asset_tag", 200).strip(),
        serial=_text(request, "serial", 200).strip(),
        location=_text(request, "location", 200).strip(),
        system=_text(request, "system", 200).strip(),
        owner=_text(request, "owner", 200).strip(),
        status=_text(request, "status", 40) or "in service",
        device_type=_text(request, "device_type", 200).strip(),
        vendor=_text(request, "vendor", 200).strip(),
        product=_text(request, "product", 200).strip(),
        version=_text(request, "version", 200).strip(),
        support_end=_day(_text(request, "support_end", 20), "support end"),
        end_of_life=_day(_text(request, "end_of_life", 20), "end of life"),
    )


@org_page("device.manage")
@require_POST
def device_add(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: s.add_device(actor_of(request), org, _row_from(request), _text(request, "why")),
        lambda d: redirect("device", org=org.slug, tag=d.asset_tag),
    )


@org_page("device.manage")
@require_POST
def devices_import(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > register.MAX_BYTES:
        message = "choose a CSV or XLSX file of at most 5 MiB"
        return render(request, "error.html", {"org": org, "message": message}, status=400)
    command = s.ImportDevices(
        content=upload.read(register.MAX_BYTES + 1),
        filename=(upload.name or "devices.csv")[:200],
        dry_run=request.POST.get("apply") != "1",
        why=_text(request, "why"),
    )
    if not command.dry_run:
        # Stored and run as a background job (securable.web.jobs); its page shows the outcome.
        return _run(
            request,
            org,
            lambda: js.queue_import(actor_of(request), org, command.content, command.filename, command.why),
            lambda job: redirect("device_job", org=org.slug, job=job.pk),
        )
    return _run(
        request,
        org,
        lambda: s.import_devices(actor_of(request), org, command),
        lambda result: render(
            request,
            "operations/import.html",
            {"org": org, "result": result, "filename": command.filename, "dry_run": command.dry_run},
            status=200 if not result.errors else 400,
        ),
    )


@org_page("device.view")
@require_GET
def devices_csv(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    rows = (d.row() for d in Device.objects.for_org(org).order_by("asset_tag").iterator(chunk_size=2000))
    response = HttpResponse(register.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-devices.csv"'
    return response


@org_page("device.view")
@require_GET
def devices_xlsx(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    rows = (d.row() for d in Device.objects.for_org(org).order_by("asset_tag").iterator(chunk_size=2000))
    response = HttpResponse(register.to_xlsx(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-devices.xlsx"'
    return response


def _device_of(org: Organization, tag: str) -> Device:
    found = Device.objects.for_org(org).filter(asset_tag=tag).first()
    if found is None:
        raise Http404("no such device")
    return found


@org_page("device.view")
@require_GET
def device(request: HttpRequest, org: Organization, member: Membership, tag: str) -> HttpResponse:
    item = _device_of(org, tag)
    return render(
        request,
        "operations/device.html",
        {
            "org": org,
            "device": item,
            "warnings": register.warnings(item.row(), timezone.now().date()),
            "records": Maintenance.objects.for_org(org).filter(device=item).order_by("-number")[:100],
            "alerts": Alert.objects.for_org(org).filter(device=item).order_by("-raised")[:50],
            "technicians": Technician.objects.for_org(org).order_by("name")[:500],
            "statuses": register.STATUSES,
            "wheres": [w.value for w in m.Where],
            "bys": [b.value for b in m.By],
            "can_manage": allows(member.role, "device.manage"),
            "can_request": allows(member.role, "maintenance.request"),
            "actions": register.ACTIONS,
        },
    )


@org_page("device.manage")
@require_POST
def device_status(request: HttpRequest, org: Organization, member: Membership, tag: str) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: s.set_status(
            actor_of(request), org, tag, _text(request, "status", 40), _text(request, "why")
        ),
        lambda d: redirect("device", org=org.slug, tag=d.asset_tag),
    )


# -- Maintenance ------------------------------------------------------------------------------------


@org_page("device.view")
@require_GET
def maintenance_list(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    query = (
        Maintenance.objects.for_org(org).select_related("device").defer("data")
    )  # the list needs no record body
    state = request.GET.get("state", "")
    if state in {x.value for x in m.State}:
        query = query.filter(state=state)
    try:
        page = newest_first(query, request.GET.get("cursor"), field="number")
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return render(
        request,
        "operations/maintenance_list.html",
        {
            "org": org,
            "rows": page.rows,
            "state": state,
            "states": [x.value for x in m.State],
            "next_cursor": page.next_cursor,
            "open_alerts": Alert.objects.for_org(org)
            .filter(resolved=None)
            .select_related("device", "maintenance")[:50],
        },
    )


@org_page("maintenance.request")
@require_POST
def maintenance_request(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> Maintenance:
        try:
            technician = int(_text(request, "technician", 20))
            corrects = int(_text(request, "corrects", 20)) if _text(request, "corrects", 20) else None
        except ValueError as err:
            raise InputError("choose a technician from the list") from err
        command = s.RequestMaintenance(
            asset_tag=_text(request, "asset_tag", 200),
            where=_text(request, "where", 20),
            by=_text(request, "by", 20),
            reason=_text(request, "reason", MAX_FIELD),
            technician=technician,
            corrects=corrects,
        )
        return s.request_maintenance(actor_of(request), org, command)

    return _run(request, org, change, lambda row: redirect("maintenance", org=org.slug, number=row.number))


def _maintenance_of(org: Organization, number: int) -> Maintenance:
    found = (
        Maintenance.objects.for_org(org).select_related("device", "corrects").filter(number=number).first()
    )
    if found is None:
        raise Http404("no such maintenance record")
    return found


@org_page("device.view")
@require_GET
def maintenance(request: HttpRequest, org: Organization, member: Membership, number: int) -> HttpResponse:
    row = _maintenance_of(org, number)
    record = row.record()
    technicians = {str(t.pk): t for t in Technician.objects.for_org(org).order_by("name")[:500]}
    steps = [
        name
        for name, states in m.ALLOWED.items()
        if record.state in states and allows(member.role, m.PERMISSION[name])
    ]
    if record.where is not m.Where.OFFSITE:
        steps = [x for x in steps if x not in ("attest", "ship")]
    labels = _labels()
    return render(
        request,
        "operations/maintenance.html",
        {
            "org": org,
            "row": row,
            "record": record,
            "actions": [(a, labels.get(a, "")) for a in record.actions],
            "technicians": technicians,
            "technician": technicians.get(record.technician),
            "steps": steps,
            "tools": sorted(s.approved_tools(org)),
            "checklist": s.policy_for(org).checklist,
            "removal_days": s.policy_for(org).removal_days,
            # Through the record's own relations: their foreign-key indexes, not a scan of the
            # organization's records (the planner would pick the organization's index).
            "evidence": row.evidence.values("name", "sha256", "created")[:20],
            "corrections": row.corrections.values_list("number", flat=True)[:20],
            "can_correct": record.state in m.FINAL and allows(member.role, "maintenance.request"),
        },
    )


def _session(request: HttpRequest) -> m.RemoteSession | None:
    tool = _text(request, "session_tool", 200).strip()
    if not tool:
        return None
    return m.RemoteSession(
        tool,
        _when(_text(request, "session_started", 40), "session start"),
        _when(_text(request, "session_ended", 40), "session end"),
        _text(request, "session_connection", 500),
    )


def _command(request: HttpRequest, name: str) -> s.StepCommand:
    match name:
        case "approve":
            return s.Approve(_text(request, "note", MAX_FIELD))
        case "reject":
            return s.Reject(_text(request, "note", MAX_FIELD))
        case "attest":
            upload = request.FILES.get("evidence")
            if upload is None or upload.size is None or upload.size > s.MAX_EVIDENCE:
                raise InputError("attach the evidence file (at most 5 MiB)", hint="e.g. the wipe tool's log")
            return s.Attest(
                _text(request, "method"),
                _text(request, "by", 200),
                _when(_text(request, "when", 40), "removal time"),
                (upload.name or "evidence")[:200],
                upload.read(s.MAX_EVIDENCE + 1),
            )
        case "ship":
            return s.Ship()
        case "receive":
            return s.Receive()
        case "perform":
            try:
                technician = int(_text(request, "technician", 20))
                escort = int(_text(request, "escort", 20)) if _text(request, "escort", 20) else None
            except ValueError as err:
                raise InputError("choose the technician (and escort) from the list") from err
            return s.Perform(
                technician,
                escort,
                _when(_text(request, "when", 40), "when"),
                _text(request, "what", MAX_FIELD),
                tuple(t[:200] for t in request.POST.getlist("tools")[:50]),
                _session(request),
            )
        case "verify":
            checked = set(request.POST.getlist("check"))
            return s.Verify(
                {item: item in checked for item in s.POLICY.checklist}, _text(request, "note", MAX_FIELD)
            )
        case "close":
            return s.Close()
    raise Http404("no such step")


@org_page("device.view")  # the step's own permission is checked by the service
@require_POST
def maintenance_step(
    request: HttpRequest, org: Organization, member: Membership, number: int, step: str
) -> HttpResponse:
    if step not in m.PERMISSION or step == "request":
        raise Http404("no such step")
    return _run(
        request,
        org,
        lambda: s.step(actor_of(request), org, number, _command(request, step)),
        lambda row: redirect("maintenance", org=org.slug, number=row.number),
    )


# -- Personnel and tools ---------------------------------------------------------------------------


@org_page("device.view")
@require_GET
def personnel(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    today = timezone.now().date()
    people = list(
        Technician.objects.for_org(org).order_by("name", "pk").prefetch_related("authorizations")[:500]
    )
    return render(
        request,
        "operations/personnel.html",
        {
            "org": org,
            "people": people,
            "today": today,
            "kinds": s.KINDS,
            "can_manage": allows(member.role, "personnel.manage"),
            "actions": ("FPN-SEED-4.A1", "FPN-SEED-5.A1", "FPN-SEED-8.A1", "FPN-SEED-8.A2"),
        },
    )


@org_page("personnel.manage")
@require_POST
def personnel_add(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: s.add_technician(
            actor_of(request),
            org,
            _text(request, "name", 200),
            _text(request, "company", 200),
            _text(request, "kind", 20),
        ),
        lambda _: redirect("personnel", org=org.slug),
    )


@org_page("personnel.manage")
@require_POST
def personnel_grant(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> Any:
        try:
            technician = int(_text(request, "technician", 20))
        except ValueError as err:
            raise InputError("choose a person from the list") from err
        expires = _day(_text(request, "expires", 20), "expires")
        if expires is None:
            raise InputError("give the day the authorization expires")
        return s.grant(
            actor_of(request),
            org,
            technician,
            expires=expires,
            unescorted=request.POST.get("unescorted") == "1",
            device_types=_text(request, "device_types"),
        )

    return _run(request, org, change, lambda _: redirect("personnel", org=org.slug))


@org_page("device.view")
@require_GET
def tools(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return render(
        request,
        "operations/tools.html",
        {
            "org": org,
            "tools": Tool.objects.for_org(org)
            .select_related("proposed_by", "approved_by")
            .order_by("name")[:500],
            "can_propose": allows(member.role, "maintenance.perform"),
            "can_approve": allows(member.role, "tools.approve"),
            "actions": ("FPN-SEED-7.A1", "FPN-SEED-7.A2"),
        },
    )


@org_page("maintenance.perform")
@require_POST
def tool_propose(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: s.propose_tool(
            actor_of(request), org, _text(request, "name", 200), _text(request, "purpose")
        ),
        lambda _: redirect("tools", org=org.slug),
    )


@org_page("tools.approve")
@require_POST
def tool_approve(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> Any:
        try:
            tool = int(_text(request, "tool", 20))
        except ValueError as err:
            raise NotFoundError("no such tool") from err
        return s.approve_tool(actor_of(request), org, tool)

    return _run(request, org, change, lambda _: redirect("tools", org=org.slug))


# -- Policies and procedures -----------------------------------------------------------------------


@org_page("device.view")
@require_GET
def policies(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    versions = list(
        PolicyVersion.objects.for_org(org).select_related("author", "approved_by").order_by("-number")[:50]
    )
    current = next((v for v in versions if v.approved is not None), None)
    missing: list[Membership] = []
    acknowledged = asked = False
    if current is not None:
        done = set(
            Acknowledgement.objects.for_org(org)
            .filter(version=current)
            .values_list("person__user_id", flat=True)
        )
        members = (
            Membership.objects.filter(organization=org, role__in=current.roles())
            .select_related("user")
            .order_by("role", "user__email")
        )
        missing = [x for x in members if x.user_id not in done]
        acknowledged = member.user_id in done
        asked = member.role in current.roles()
    latest = versions[0] if versions else None
    defaults = s.parameters_of(latest) if latest else policy.Parameters(agency=org.name)
    return render(
        request,
        "operations/policies.html",
        {
            "org": org,
            "versions": versions,
            "current": current,
            "documents": policy.from_json(json.loads(current.documents)) if current else (),
            "missing": missing,
            "acknowledged": acknowledged,
            "asked": asked,
            "member_role": member.role,
            "defaults": defaults,
            "default_ack_roles": latest.roles() if latest else tuple(ROLES),
            "roles": policy.ROLE_NAMES,
            "can_edit": allows(member.role, "policy.edit"),
            "can_approve": allows(member.role, "policy.approve"),
            "me": person_for(member.user).pk,
        },
    )


@org_page("policy.edit")
@require_POST
def policy_draft(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    def change() -> PolicyVersion:
        try:
            removal_days = int(_text(request, "removal_days", 10))
            review_months = int(_text(request, "review_months", 10))
        except ValueError as err:
            raise InputError("days and months are whole numbers") from err
        parameters = policy.Parameters(
            agency=_text(request, "agency", 200).strip(),
            removal_days=removal_days,
            review_months=review_months,
            approver_role=_text(request, "approver_role", 20),
            documentation_roles=tuple(r[:20] for r in request.POST.getlist("documentation_roles")[:10]),
        )
        # No role ticked keeps the default: every role is asked to acknowledge.
        applies_to = [r[:20] for r in request.POST.getlist("ack_roles")[:10]] or None
        return s.draft_policy(actor_of(request), org, parameters, applies_to)

    return _run(request, org, change, lambda _: redirect("policies", org=org.slug))


def _number(request: HttpRequest) -> int:
    try:
        return int(_text(request, "number", 20))
    except ValueError as err:
        raise NotFoundError("no such policy version") from err


@org_page("policy.approve")
@require_POST
def policy_approve(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: s.approve_policy(actor_of(request), org, _number(request)),
        lambda _: redirect("policies", org=org.slug),
    )


@org_page("device.view")
@require_POST
def policy_acknowledge(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    return _run(
        request,
        org,
        lambda: s.acknowledge(actor_of(request), org, _number(request)),
        lambda _: redirect("policies", org=org.slug),
    )


EXPORTS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": DOCX,
    "oscal.json": "application/json",
}


@org_page("device.view")
@require_GET
def policy_export(
    request: HttpRequest, org: Organization, member: Membership, number: int, fmt: str
) -> HttpResponse:
    version = (
        PolicyVersion.objects.for_org(org)
        .select_related("author", "approved_by")
        .filter(number=number)
        .first()
    )
    if version is None or fmt not in EXPORTS:
        raise Http404("no such policy version")
    documents = policy.from_json(json.loads(version.documents))
    issue = policy.Issue(
        agency=s.parameters_of(version).agency,
        version=version.number,
        author=version.author.name,
        approver=version.approved_by.name if version.approved_by else "",
        approved=version.approved,
        drafted=version.created,
    )
    body: str | bytes
    if fmt == "html":
        body = policy.to_html(documents, issue)
    elif fmt == "pdf":
        body = policy.to_pdf(documents, issue)
    elif fmt == "docx":
        body = policy.to_docx(documents, issue)
    else:
        body = json.dumps(policy.to_oscal(documents, issue), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-policies-v{number}.{fmt}"'
    return response
