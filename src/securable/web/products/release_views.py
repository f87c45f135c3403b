"""Pages of releases: request (on the product page), the organization's releases with approval,
download and share links, the public key, and the public share pages (no sign-in)."""

from __future__ import annotations

import mimetypes
import zipfile
from io import BytesIO

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from securable.errors import NotFoundError, SecurableError
from securable.web.audit.record import person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.pages import actor_of, org_page
from securable.web.products import keys
from securable.web.products import releases as services
from securable.web.products.models import Release, ShareLink, SigningKey
from securable.web.reauth import sensitive
from securable.web.service import Forbidden

PAGE = 50
# Package files are the core's output about user-written text: served sandboxed, with their own
# inline styles allowed and nothing else (no script, no requests, no forms).
PACKAGE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _problem(request: HttpRequest, org: Organization, err: SecurableError) -> HttpResponse:
    status = 404 if isinstance(err, NotFoundError) else 403 if isinstance(err, Forbidden) else 400
    if status == 403:
        return render(request, "forbidden.html", {"org": org, "message": err.message}, status=403)
    return render(request, "error.html", {"org": org, "message": err.render()}, status=status)


@org_page("product.view")
@require_GET
def releases(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    query = Release.objects.for_org(org).select_related("product", "version", "requested_by", "approved_by")
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 19:
        query = query.filter(pk__lt=int(before))
    rows = list(query.defer("package", "sbom").order_by("-id")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    shares: dict[int, list[ShareLink]] = {}
    for link in ShareLink.objects.for_org(org).filter(release__in=rows, revoked=None).order_by("id"):
        shares.setdefault(link.release_id, []).append(link)
    me = person_for(request.user).pk
    signing_keys = list(
        SigningKey.objects.for_org(org)
        .order_by("-created", "-id")
        .values("fingerprint", "created", "retired")
    )
    context = {
        "org": org,
        "rows": [(r, shares.get(r.pk, []), r.requested_by_id != me) for r in rows],
        "next": rows[-1].pk if more else None,
        "can_sign": allows(member.role, "package.sign"),
        "signing_keys": [k | {"hex": _hex(k["fingerprint"])} for k in signing_keys],
        "can_rotate": allows(member.role, "key.rotate"),
        "secret": request.session.pop("share_secret", ""),
    }
    response = render(request, "products/releases.html", context)
    response["Cache-Control"] = "no-store"  # may show a share link once
    return response


@org_page("product.edit")
@require_POST
def release_request(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    upload = request.FILES.get("sbom")
    if upload is not None and (upload.size is None or upload.size > services.MAX_SBOM):
        return render(
            request, "error.html", {"org": org, "message": "the SBOM is larger than 16 MiB"}, status=400
        )
    try:
        number = int(request.POST.get("version", ""))
    except ValueError:
        return render(request, "error.html", {"org": org, "message": "choose a version"}, status=400)
    command = services.RequestRelease(
        product=request.POST.get("product", "")[:80],
        version=number,
        sbom=upload.read(services.MAX_SBOM + 1) if upload is not None else None,
        why=request.POST.get("why", "")[:500],
    )
    try:
        services.request_release(actor_of(request), org, command)
    except SecurableError as err:
        return _problem(request, org, err)
    return redirect("releases", org=org.slug)


def _pk(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise Http404("no such release")
    return int(text)


@org_page("package.sign")
@require_POST
@sensitive()
def release_approve(
    request: HttpRequest, org: Organization, member: Membership, release: str
) -> HttpResponse:
    command = services.ApproveRelease(_pk(release), request.POST.get("why", "")[:500])
    try:
        services.approve_release(actor_of(request), org, command)
    except SecurableError as err:
        return _problem(request, org, err)
    return redirect("releases", org=org.slug)


@org_page("product.view")
@require_GET
def release_zip(request: HttpRequest, org: Organization, member: Membership, release: str) -> HttpResponse:
    found = Release.objects.for_org(org).filter(pk=_pk(release), state=Release.State.BUILT).first()
    if found is None:
        raise Http404("no such release")
    return _zip_response(found)


def _zip_response(release: Release) -> HttpResponse:
    response = HttpResponse(bytes(release.package), content_type="application/zip")
    name = f"{release.product.slug}-v{release.version.number}-release{release.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@org_page("package.sign")
@require_POST
@sensitive()
def share_create(request: HttpRequest, org: Organization, member: Membership, release: str) -> HttpResponse:
    try:
        days = int(request.POST.get("days", "30"))
        _, token = services.create_share(actor_of(request), org, services.CreateShare(_pk(release), days))
    except ValueError:
        return render(
            request, "error.html", {"org": org, "message": "days must be a whole number"}, status=400
        )
    except SecurableError as err:
        return _problem(request, org, err)
    # Shown once, on the next page only (after the redirect), never stored in clear.
    request.session["share_secret"] = request.build_absolute_uri(f"/share/{token}/")
    return redirect("releases", org=org.slug)


@org_page("package.sign")
@require_POST
def share_revoke(request: HttpRequest, org: Organization, member: Membership, share: str) -> HttpResponse:
    try:
        services.revoke_share(actor_of(request), org, services.RevokeShare(_pk(share)))
    except SecurableError as err:
        return _problem(request, org, err)
    return redirect("releases", org=org.slug)


def _hex(fingerprint: str) -> str:
    """The fingerprint as it appears in a key's download address (``sha256:`` left out)."""
    return fingerprint.removeprefix("sha256:")


def _pem(org: Organization, key: SigningKey | None, name: str) -> HttpResponse:
    if key is None:
        raise Http404("no such signing key (the first is made when the first release is approved)")
    response = HttpResponse(key.public_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-{name}.pub.pem"'
    return response


@org_page("product.view")
@require_GET
def signing_key(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """The current key's public half."""
    return _pem(org, keys.current_key(org), "signing-key")


@org_page("product.view")
@require_GET
def signing_key_by_fingerprint(
    request: HttpRequest, org: Organization, member: Membership, fingerprint: str
) -> HttpResponse:
    """Any key's public half, retired ones too: packages they signed must still verify."""
    if len(fingerprint) != 64 or not all(c in "0123456789abcdef" for c in fingerprint):
        raise Http404("no such signing key")
    key = SigningKey.objects.for_org(org).filter(fingerprint=f"sha256:{fingerprint}").first()
    return _pem(org, key, f"signing-key-{fingerprint[:12]}")


@org_page("key.rotate")
@require_POST
@sensitive()
def signing_key_rotate(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    try:
        keys.rotate_key(actor_of(request), org, keys.RotateKey(request.POST.get("why", "")[:500]))
    except SecurableError as err:
        return _problem(request, org, err)
    return redirect("releases", org=org.slug)


# ---- public share links: no sign-in, read-only ---------------------------------------------------


def _shared(token: str) -> Release:
    try:
        return services.shared(token)
    except NotFoundError as err:
        raise Http404("no such link") from err


@require_GET
def shared_zip(request: HttpRequest, token: str) -> HttpResponse:
    release = _shared(token)
    services.record_download(token, release)
    return _zip_response(release)


@require_GET
def shared_file(request: HttpRequest, token: str, path: str = "index.html") -> HttpResponse:
    """A file of the shared package (its index by default), read from the stored zip."""
    release = _shared(token)
    with zipfile.ZipFile(BytesIO(bytes(release.package))) as archive:
        if path not in archive.namelist():
            raise Http404("no such file in the package")
        data = archive.read(path)
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith((".json", ".txt")):
        kind = "application/json" if path.endswith(".json") else "text/plain"
    response = HttpResponse(data, content_type=f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
    response["Content-Security-Policy"] = PACKAGE_CSP
    response["Cache-Control"] = "no-store"  # a revoked link stops working at once
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response
