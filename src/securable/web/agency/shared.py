"""Adding a vendor package from a share link a maker organization of this workspace published.

The link is looked up in this workspace's own database, never fetched: only a link to this
workspace's own ``/share/<token>/`` paths is accepted (no other host, scheme, port or path), so a
pasted address can never make the server reach out to another machine. The package is then added
exactly as an upload is, verified on arrival with the maker's published signing key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from securable.errors import InputError, NotFoundError
from securable.web.agency.models import VendorPackage
from securable.web.agency.services import UploadPackage, upload_package
from securable.web.orgs.models import Organization
from securable.web.service import Actor, authorize

MAX_LINK = 500
# /share/<token>/ optionally followed by one of the files the share pages serve.
_PATH = re.compile(r"/share/(sec_share_[A-Za-z0-9_-]{20,80})/(?:[A-Za-z0-9._/-]{0,200})?")
REFUSED_HINT = (
    "paste a share link of this workspace (https://<this address>/share/sec_share_.../); for a package "
    "from anywhere else, download it and upload the zip with the vendor's public key"
)


@dataclass(frozen=True)
class AddFromShare:
    link: str
    name: str = ""  # the vendor as evaluations name it; the maker organization's name by default
    why: str = ""


def token_of(link: str, hosts: frozenset[str]) -> str:
    """The share token of ``link``, a URL on one of ``hosts`` (this workspace's) or a bare path."""
    text = link.strip()
    if not text or len(text) > MAX_LINK or not text.isprintable():
        raise InputError("paste the share link", hint=REFUSED_HINT)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as err:
        raise InputError("this is not a share link of this workspace", hint=REFUSED_HINT) from err
    if parts.scheme or parts.netloc:
        host = (parts.hostname or "") + (f":{port}" if port is not None else "")
        if parts.scheme not in ("http", "https") or parts.username or parts.password or host not in hosts:
            raise InputError(
                f"only share links of this workspace are accepted, not links to {parts.netloc[:100]!r}",
                hint=REFUSED_HINT,
            )
    match = _PATH.fullmatch(parts.path)
    if match is None or parts.query or ".." in parts.path:
        raise InputError("this is not a share link of this workspace", hint=REFUSED_HINT)
    return match.group(1)


def add_from_share(
    actor: Actor, organization: Organization, command: AddFromShare, *, hosts: frozenset[str]
) -> VendorPackage:
    from securable.web.products.models import SigningKey
    from securable.web.products.releases import record_download, shared

    authorize(actor, organization, "vendor.upload")
    token = token_of(command.link, hosts)
    try:
        release = shared(token)
    except NotFoundError as err:
        raise InputError(
            "the share link is unknown, expired or revoked", hint="ask the maker for a current link"
        ) from err
    # Publishing the link is how the maker hands the package and its signing key across
    # organizations; reading them here is not a scoped query of the agency's own data.
    maker = Organization.objects.get(pk=release.organization_id)
    key = SigningKey._base_manager.filter(organization_id=release.organization_id).first()
    if key is None or release.package is None:
        raise InputError("the shared release has no package signed by its maker")
    name = command.name.strip() or maker.name
    filename = f"{release.product.slug}-v{release.version.number}.zip"
    why = command.why.strip() or f"added from a share link of {maker.name}"
    package = upload_package(
        actor,
        organization,
        UploadPackage(name, bytes(release.package), key.public_pem.encode("ascii"), filename, why),
    )
    record_download(token, release)  # the maker's audit log shows the link was used
    return package
