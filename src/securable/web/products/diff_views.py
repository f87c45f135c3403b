"""The posture diff page: what changed between two versions of a product (``securable.api.diff``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from securable.errors import SecurableError
from securable.web.orgs.models import Membership, Organization
from securable.web.pages import org_page
from securable.web.products.models import ProductVersion
from securable.web.products.views import version_of


def _number(text: str | None, default: int) -> str:
    if not text:
        return str(default)
    if not text.isdigit() or len(text) > 9:
        raise Http404("no such version")
    return text


@org_page("product.view")
@require_GET
def diff(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    from securable import api

    item, new = version_of(org, product, request.GET.get("to"))
    wanted = _number(request.GET.get("from"), max(new.number - 1, 1))
    old = ProductVersion.objects.for_org(org).filter(product=item, number=int(wanted)).first()
    if old is None:
        raise Http404("no such version")
    versions = (
        ProductVersion.objects.for_org(org)
        .filter(product=item)
        .order_by("-number")
        .values_list("number", "label")[:100]
    )
    context = {"org": org, "product": item, "old": old, "new": new, "versions": list(versions)}
    try:
        result = api.diff(
            api.Document(f"v{old.number}.securable.yaml", bytes(old.content)),
            api.Document(f"v{new.number}.securable.yaml", bytes(new.content)),
            today=timezone.now().date(),
        )
    except SecurableError as err:  # a version an older core accepted may not load in this one
        return render(request, "products/diff.html", context | {"problem": err.render()}, status=200)
    return render(request, "products/diff.html", context | {"diff": result.diff})
