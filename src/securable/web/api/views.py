"""Page: an organization's API tokens (create, revoke)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from securable.errors import SecurableError
from securable.web.api.models import ApiToken
from securable.web.api.tokens import CreateToken, RevokeToken, create_token, revoke_token
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import ROLES
from securable.web.pages import actor_of, org_page
from securable.web.reauth import sensitive


@org_page("token.manage")
@require_http_methods(["GET", "POST"])
@sensitive(when=lambda request: request.POST.get("action") != "revoke")  # revoking only takes away
def tokens(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    secret = ""
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                revoke_token(actor_of(request), org, RevokeToken(request.POST.get("prefix", "")))
                return redirect("tokens", org=org.slug)
            days = int(request.POST.get("days", "90") or 0)
            _, secret = create_token(
                actor_of(request),
                org,
                CreateToken(request.POST.get("name", ""), request.POST.get("role", ""), days),
            )
        except ValueError:
            error = "days must be a whole number"
        except SecurableError as err:
            error = err.render()
    rows = ApiToken.objects.for_org(org).filter(revoked=None).order_by("-created")[:100]
    grantable = [r for r in ROLES if ROLES[r] <= ROLES[member.role]]
    response = render(
        request,
        "api/tokens.html",
        {"org": org, "rows": rows, "secret": secret, "error": error, "roles": grantable},
        status=400 if error else 200,
    )
    response["Cache-Control"] = "no-store"  # the page may show a token's secret once
    return response
