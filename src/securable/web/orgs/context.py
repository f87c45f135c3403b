"""Template context: the signed-in user's organizations, for the switcher in every page's header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from securable.web.orgs.models import Membership


def organizations(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    mine = (
        Membership.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("organization__name")
        .values_list("organization__slug", "organization__name", "role")
    )
    return {"my_orgs": list(mine[:100]), "current_org": getattr(request, "organization", None)}
