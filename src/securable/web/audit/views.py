"""Pages: the audit log of an organization and its JSON Lines export."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from securable.web.audit.export import export_lines
from securable.web.audit.models import AuditEvent, Person
from securable.web.orgs.models import Membership, Organization
from securable.web.pages import org_page

SHOWN = 100


@org_page("audit.view")
@require_GET
def audit(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    rows = list(
        AuditEvent.objects.for_org(org).order_by("-seq").values_list("seq", "hash", "payload")[:SHOWN]
    )
    events = [(seq, digest, json.loads(payload)) for seq, digest, payload in rows]
    ids = {e["actor"] for _, _, e in events if e.get("actor")}
    # Names come from the people table, outside the chain; an erased person shows as their id.
    names = {str(p): n for p, n in Person.objects.filter(public_id__in=ids).values_list("public_id", "email")}
    return render(request, "audit/list.html", {"org": org, "events": events, "names": names})


@org_page("audit.view")
@require_GET
def audit_export(request: HttpRequest, org: Organization, member: Membership) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export_lines(org), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-audit.jsonl"'
    return response


@org_page("audit.view")
@require_GET
def checkpoints_export(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    from securable.web.audit.checkpoints import checkpoint_lines

    response = HttpResponse("".join(checkpoint_lines(org)), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-audit-checkpoints.jsonl"'
    return response
