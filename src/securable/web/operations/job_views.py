"""Pages of the device register's background jobs: a confirmed import, a bulk status change, and the
job's own page, which polls with htmx until the job is done (a refresh link without JavaScript)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from securable.operations import register
from securable.web.orgs.models import Membership, Organization
from securable.web.pages import actor_of, org_page

from . import job_services as js
from .job_models import DeviceJob
from .views import _run, _text


@org_page("device.manage")
@require_POST
def devices_status_bulk(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    tags = [t.strip() for t in request.POST.getlist("asset_tags")[: js.MAX_SELECTED + 1]]
    return _run(
        request,
        org,
        lambda: js.queue_status(
            actor_of(request), org, tags, _text(request, "status", 40), _text(request, "why")
        ),
        lambda job: redirect("device_job", org=org.slug, job=job.pk),
    )


@org_page("device.view")
@require_GET
def device_job(request: HttpRequest, org: Organization, member: Membership, job: int) -> HttpResponse:
    found = DeviceJob.objects.for_org(org).defer("content").filter(pk=job).first()
    if found is None:
        raise Http404("no such job")
    return render(
        request,
        "operations/device_job.html",
        {"org": org, "job": found, "errors": found.error_list()[:1000], "statuses": register.STATUSES},
    )
