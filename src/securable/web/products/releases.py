"""Releases: a customer package of one product version, with separation of duties.

One member (``product.edit``) requests a release of a version; another member with ``package.sign``
approves it, and the author of a request can never approve it, whatever their role (an owner has
every permission, and still needs a second person). Approval queues the build
(``securable.web.jobs``): the core builds the package (``securable.api.package``) and signs it with
the organization's key held by the server (made on the first approval). Built packages are shared
through public links: an unguessable token stored hashed, expiring and revocable.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from securable.errors import InputError, NotFoundError, SecurableError
from securable.web import jobs
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Organization
from securable.web.products import keys
from securable.web.products.models import Product, ProductVersion, Release, ShareLink
from securable.web.service import Actor, Conflict, Forbidden, authorize

log = logging.getLogger(__name__)

MAX_SBOM = 16 * 1024 * 1024
MAX_SHARE_DAYS = 90
TOKEN_PREFIX = "sec_share_"


@dataclass(frozen=True)
class RequestRelease:
    product: str  # slug
    version: int
    sbom: bytes | None = None  # the file the description's software_inventory.sbom names
    why: str = ""


@dataclass(frozen=True)
class ApproveRelease:
    release: int
    why: str = ""


@dataclass(frozen=True)
class CreateShare:
    release: int
    days: int = 30


@dataclass(frozen=True)
class RevokeShare:
    share: int


def _release(organization: Organization, pk: int, *, lock: bool = False) -> Release:
    query = Release.objects.for_org(organization).filter(pk=pk)
    found = (query.select_for_update() if lock else query).select_related("product", "version").first()
    if found is None:
        raise NotFoundError("no such release")
    return found


def request_release(actor: Actor, organization: Organization, command: RequestRelease) -> Release:
    authorize(actor, organization, "product.edit")
    if command.sbom is not None and len(command.sbom) > MAX_SBOM:
        raise InputError(f"the SBOM is larger than {MAX_SBOM // 1024 // 1024} MiB")
    with transaction.atomic():
        authorize(actor, organization, "product.edit")
        product = Product.objects.for_org(organization).filter(slug=command.product).first()
        if product is None:
            raise NotFoundError("no such product")
        version = ProductVersion.objects.for_org(organization).filter(product=product, number=command.version)
        found = version.first()
        if found is None:
            raise NotFoundError("no such version")
        release = Release(
            organization=organization,
            product=product,
            version=found,
            requested_by=person_for(actor.user),
            sbom=command.sbom,
        )
        release.save(force_insert=True)
        append(
            actor,
            organization,
            "release.request",
            target=("release", str(release.pk)),
            after={"product": product.slug, "version": found.number, "sha256": found.sha256},
            why=command.why,
        )
    return release


def approve_release(actor: Actor, organization: Organization, command: ApproveRelease) -> Release:
    """Approve another member's request and queue the build; the requester can never approve it."""
    authorize(actor, organization, "package.sign")
    with transaction.atomic():
        authorize(actor, organization, "package.sign")
        release = _release(organization, command.release, lock=True)
        approver = person_for(actor.user)
        if release.requested_by_id == approver.pk:
            raise Forbidden(
                "you requested this release, so you cannot approve it",
                hint="another member with package.sign approves it (separation of duties)",
            )
        if release.state != Release.State.REQUESTED:
            raise Conflict(f"the release is {release.state}, not waiting for approval")
        # One key per organization: approvals of two releases at once must not both make one.
        Organization.objects.select_for_update().filter(pk=organization.pk).exists()
        if keys.current_key(organization) is None:
            key = keys.make_key(organization)
            key.save(force_insert=True)
            append(
                actor,
                organization,
                "key.create",
                target=("signing-key", key.fingerprint),
                after={"fingerprint": key.fingerprint},
            )
        release.approved_by = approver
        release.approved = timezone.now()
        release.state = Release.State.BUILDING
        release.save(update_fields=["approved_by", "approved", "state"])
        append(
            actor,
            organization,
            "release.approve",
            target=("release", str(release.pk)),
            before={"state": "requested"},
            after={"state": "building", "version": release.version.number},
            why=command.why,
        )
        jobs.enqueue("release.build", release_id=release.pk)
    return release


def build_release(release_id: int) -> None:
    """The job: build and sign the package of an approved release; records success or failure."""
    from securable.web.orgs.models import Organization as Org

    release = Release._base_manager.select_related("version", "product").filter(pk=release_id).first()
    if release is None or release.state != Release.State.BUILDING:
        return  # gone, or done by an earlier run of the same job
    organization = Org.objects.get(pk=release.organization_id)
    try:
        package, fingerprint = _build(organization, release)
    except SecurableError as err:
        record_outcome(organization, release, error=err.render())
    except Exception:  # a bug: the release says so instead of staying "building" forever
        log.exception("building release %s failed", release_id)
        record_outcome(organization, release, error="the build failed unexpectedly; see the server log")
    else:
        record_outcome(organization, release, package=package, fingerprint=fingerprint)


def _build(organization: Organization, release: Release) -> tuple[bytes, str]:
    from securable import api
    from securable.product import parse_product

    key = keys.current_key(organization)  # the one current when the build runs: it records which
    if key is None:
        raise SecurableError("the organization has no current signing key")
    work = Path(tempfile.mkdtemp(prefix="securable-release-"))
    try:
        folder = work / "product"
        folder.mkdir()
        content = bytes(release.version.content)
        (folder / "securable.yaml").write_bytes(content)
        if release.sbom is not None:
            described = parse_product(content.decode("utf-8"), filename="securable.yaml")
            inventory = described.composition and described.composition.software_inventory
            if inventory and inventory.sbom:
                target = (folder / inventory.sbom).resolve()
                if not target.is_relative_to(folder.resolve()):
                    raise InputError("the SBOM path of the description leaves its folder")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bytes(release.sbom))
        (work / "key").mkdir(mode=0o700)
        private = work / "key" / "private.pem"
        keys.write_private(key, organization, private)
        built = api.package(
            folder / "securable.yaml",
            work / "out",
            today=timezone.now().date(),
            key=private,
            pdf=getattr(settings, "PACKAGE_PDF", True),
        )
        private.unlink()  # at once: the sealed copy in the database is the only one kept
        return _zip(work / "out", built.package.files), key.fingerprint
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _zip(folder: Path, files: tuple[str, ...]) -> bytes:
    """The package as a zip, entries in order with a fixed time: the same folder, the same bytes."""
    names = sorted({*files, *(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (folder / name).read_bytes())
    return buffer.getvalue()


def record_outcome(
    organization: Organization,
    release: Release,
    *,
    package: bytes | None = None,
    fingerprint: str = "",
    error: str = "",
) -> None:
    with transaction.atomic():
        release.package = package
        release.package_sha256 = hashlib.sha256(package).hexdigest() if package is not None else ""
        release.key_fingerprint = fingerprint
        release.error = error[:4000]
        release.state = Release.State.BUILT if package is not None else Release.State.FAILED
        release.save(update_fields=["package", "package_sha256", "key_fingerprint", "error", "state"])
        append(
            None,
            organization,
            "release.built" if package is not None else "release.failed",
            target=("release", str(release.pk)),
            after={"sha256": release.package_sha256, "key": fingerprint}
            if package
            else {"error": error[:500]},
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_share(actor: Actor, organization: Organization, command: CreateShare) -> tuple[ShareLink, str]:
    """A public link to a built release; the token is returned once and stored only hashed."""
    authorize(actor, organization, "package.sign")
    if not 1 <= command.days <= MAX_SHARE_DAYS:
        raise InputError(f"a share link lasts 1 to {MAX_SHARE_DAYS} days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        authorize(actor, organization, "package.sign")
        release = _release(organization, command.release)
        if release.state != Release.State.BUILT:
            raise Conflict("only a built release can be shared")
        link = ShareLink(
            organization=organization,
            release=release,
            token_hash=_token_hash(token),
            prefix=token[len(TOKEN_PREFIX) :][:8],
            created_by=person_for(actor.user),
            expires=timezone.now() + timedelta(days=command.days),
        )
        link.save(force_insert=True)
        append(
            actor,
            organization,
            "share.create",
            target=("release", str(release.pk)),
            after={"share": link.prefix, "expires": link.expires.isoformat()},
        )
    return link, token


def revoke_share(actor: Actor, organization: Organization, command: RevokeShare) -> ShareLink:
    authorize(actor, organization, "package.sign")
    with transaction.atomic():
        authorize(actor, organization, "package.sign")
        link = ShareLink.objects.for_org(organization).select_for_update().filter(pk=command.share).first()
        if link is None:
            raise NotFoundError("no such share link")
        if link.revoked is None:
            link.revoked = timezone.now()
            link.save(update_fields=["revoked"])
            append(
                actor,
                organization,
                "share.revoke",
                target=("release", str(link.release_id)),
                after={"share": link.prefix},
            )
    return link


def shared(token: str) -> Release:
    """The release a public link opens; NotFoundError for an unknown, revoked or expired link."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        raise NotFoundError("no such link")
    link = ShareLink._base_manager.filter(token_hash=_token_hash(token)).select_related("release").first()
    if link is None or link.revoked is not None or link.expires <= timezone.now():
        raise NotFoundError("no such link")
    release: Release = link.release
    if release.state != Release.State.BUILT:
        raise NotFoundError("no such link")
    return release


def record_download(token: str, release: Release) -> None:
    """An audit event for a public download (who is unknown: the link's prefix stands for them)."""
    from securable.web.orgs.models import Organization as Org

    with transaction.atomic():
        append(
            None,
            Org.objects.get(pk=release.organization_id),
            "share.download",
            target=("release", str(release.pk)),
            after={"share": token[len(TOKEN_PREFIX) :][:8]},
        )
