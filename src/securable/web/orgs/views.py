"""Pages: the start page (my organizations, found one) and an organization's members."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from securable.errors import SecurableError
from securable.web.orgs import services
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import PERMISSIONS, ROLE_HELP, ROLES, allows
from securable.web.pages import actor_of, org_page
from securable.web.reauth import sensitive


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        command = services.CreateOrganization(
            slug=request.POST.get("slug", ""),
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", ""),
        )
        try:
            org = services.create_organization(actor_of(request), command)
        except SecurableError as err:
            error = err.render()
        else:
            return redirect("products", org=org.slug)
    return render(
        request,
        "orgs/home.html",
        {"error": error, "kinds": Organization.Kind.values},
        status=400 if error else 200,
    )


@org_page("product.view")
@require_http_methods(["GET"])
def members(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    rows = (
        Membership.objects.filter(organization=org)
        .select_related("user", "user__audit_person")
        .order_by("user__email")
    )
    return render(
        request,
        "orgs/members.html",
        {
            "org": org,
            "member": member,
            "rows": rows,
            "roles": [(r, ROLE_HELP[r], sorted(ROLES[r])) for r in ROLES],
            "permissions": PERMISSIONS,
            "can_manage": allows(member.role, "member.manage"),
        },
    )


@org_page("member.manage")
@require_POST
@sensitive(when=lambda request: request.POST.get("action") in ("role", "remove"))
def members_change(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    actor = actor_of(request)
    action = request.POST.get("action", "")
    try:
        if action == "add":
            services.add_member(
                actor, org, services.AddMember(request.POST.get("email", ""), request.POST.get("role", ""))
            )
        elif action == "role":
            services.change_role(
                actor, org, services.ChangeRole(request.POST.get("person", ""), request.POST.get("role", ""))
            )
        elif action == "remove":
            services.remove_member(actor, org, services.RemoveMember(request.POST.get("person", "")))
        else:
            return HttpResponse("unknown action", status=400, content_type="text/plain")
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return redirect("members", org=org.slug)


@org_page("member.manage")
@require_POST
@sensitive()
def mfa_setting(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    command = services.SetMfaRequired(request.POST.get("required") == "1", request.POST.get("why", "")[:500])
    try:
        services.set_mfa_required(actor_of(request), org, command)
    except SecurableError as err:
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    return redirect("members", org=org.slug)
