"""What every page shares: the organization from the URL, checked against the signed-in member.

A non-member gets 404 for any page of an organization, the same as for one that does not exist, so
nothing leaks about other organizations; a member whose role lacks the permission gets 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from securable.errors import NotFoundError
from securable.web.orgs.models import Membership, Organization
from securable.web.service import Actor, Forbidden, authorize


def actor_of(request: HttpRequest) -> Actor:
    return Actor(user=request.user, credential="session", request_id=getattr(request, "request_id", ""))


OrgView = Callable[Concatenate[HttpRequest, Organization, Membership, ...], HttpResponse]


def org_page(permission: str) -> Callable[[OrgView], Callable[..., HttpResponse]]:
    """Resolve ``<org>`` from the URL and require ``permission``; the view gets (request, org, member)."""

    def wrap(view: OrgView) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def inner(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
            organization = Organization.objects.filter(slug=org).first()
            if organization is None:
                raise Http404("no such organization")
            try:
                member = authorize(actor_of(request), organization, permission)
            except NotFoundError as err:
                raise Http404("no such organization") from err
            except Forbidden as err:
                return render(
                    request, "forbidden.html", {"org": organization, "message": err.message}, status=403
                )
            if organization.mfa_required:
                from securable.web.orgs.services import has_second_factor

                if not has_second_factor(request.user):
                    return render(request, "orgs/mfa_required.html", {"org": organization}, status=403)
            request.organization = organization  # for the switcher
            return view(request, organization, member, *args, **kwargs)

        return inner

    return wrap
