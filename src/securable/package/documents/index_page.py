"""``index.html``: the page a customer opens first, linking every document and file of the package.

It is made from the file list alone (titles of HTML files are read from their ``<title>``), so a
new generator's files appear here without changes. Accessibility: one ``h1`` and ``h2`` per group,
real lists and links whose text names the document and its format, ``lang`` set, a skip link, no
scripts, and the documents' stylesheet (:mod:`securable.rendering.stylesheet`), whose colours pass
WCAG AA contrast in light and dark mode.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from securable.package.context import Gap, PackageContext
from securable.package.documents.wording import long_date
from securable.package.manifest import MANIFEST, SIGNATURE

INDEX = "index.html"

# (group title, test on the package path); the first group that matches takes the file.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("Documents", "docs/"),
    ("Fact sheet", "factsheet"),
    ("Machine-readable files", "machine/"),
    ("Machine-readable files", ".well-known/"),
)
_OTHER = "Other files"

_FORMATS = {
    ".html": "web page",
    ".pdf": "PDF",
    ".png": "PNG image",
    ".svg": "SVG image",
    ".json": "JSON",
    ".txt": "text",
    ".xml": "XML",
    ".csv": "CSV",
}

# What well-known machine-readable files are, for readers who do not know the file names.
_KNOWN = (
    ("security.txt", "security.txt (RFC 9116): where to report vulnerabilities"),
    ("sbom-summary", "Summary of the software bill of materials"),
    (".cdx.json", "Software bill of materials (CycloneDX JSON)"),
    (".cdx.xml", "Software bill of materials (CycloneDX XML)"),
    (".spdx.json", "Software bill of materials (SPDX JSON)"),
    ("mud", "Manufacturer Usage Description (RFC 8520): the network access the device needs"),
    ("component-definition", "OSCAL component definition: the device's security capabilities"),
    ("sp800-213a.oscal", "NIST SP 800-213A catalog (OSCAL), referenced by the component definition"),
    ("nistir-8259a.oscal", "NISTIR 8259A core baseline (OSCAL profile)"),
    ("nistir-8259b.oscal", "NISTIR 8259B non-technical baseline (OSCAL profile)"),
    ("vex", "Vulnerability status (VEX)"),
    ("product.json", "The product description and its assessment as JSON"),
)

# Checking the package without Securable: OpenSSL 3, jq and coreutils. The public key is saved as
# public.pem beside the package folder (inside it, it would be a file the manifest does not list) and
# the commands run in the package folder. tests/test_package_verify_recipe.py runs these very lines.
KEY_FILE = "../public.pem"
RECIPE = (
    f"openssl pkey -pubin -in {KEY_FILE} -outform DER | tail -c 32 | sha256sum",
    "openssl base64 -d -A -in manifest.sig -out ../manifest.sig.bin",
    f"openssl pkeyutl -verify -pubin -inkey {KEY_FILE} -rawin -in manifest.json -sigfile ../manifest.sig.bin",
    """jq -r '.files[] | "\\(.sha256)  \\(.path)"' manifest.json | sha256sum --check --strict""",
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One list item: a document or file, its other renderings, and what it says it is."""

    href: str
    label: str
    name: str
    format: str
    others: tuple[tuple[str, str], ...]  # (href, format) of the other renderings
    description: str | None


def render_index(
    ctx: PackageContext,
    files: Mapping[str, bytes],
    gaps: Iterable[Gap],
    key_fingerprint: str | None,
) -> bytes:
    """The landing page for ``files`` (package path -> content); deterministic for the same input."""
    from securable.package.documents.templating import render

    info = ctx.product.product
    name = (info.name if info else None) or "this device"
    version = info.version if info else None
    manufacturer = info.manufacturer if info else None
    shown_gaps = list(gaps)
    page = render(
        "index.html.j2",
        title=f"{name} {version}".strip() if version else name,
        manufacturer=manufacturer.rstrip(".") if manufacturer else None,
        date=long_date(ctx.date),
        groups=_grouped(files),
        gaps=shown_gaps,
        count=f"{len(shown_gaps)} topic{'s' if len(shown_gaps) != 1 else ''}",
        manifest=MANIFEST,
        signature=SIGNATURE,
        key_fingerprint=key_fingerprint,
        fingerprint_hex=(key_fingerprint or "").removeprefix("sha256:"),
        recipe=RECIPE,
        key_sources=_key_sources(ctx),
    )
    return page.encode("utf-8")


def _key_sources(ctx: PackageContext) -> list[str]:
    """Where the product description says customers reach the manufacturer: where to ask for the key."""
    info = ctx.product.product
    found = [ctx.documentation_url, (info.security_contact if info else None) or ""]
    return [place for place in dict.fromkeys(found) if place]


def _grouped(files: Mapping[str, bytes]) -> list[tuple[str, list[Entry]]]:
    """Links by group; renderings of one document (``x.html``, ``x.pdf``) share one list item."""
    stems: dict[tuple[str, str], list[str]] = {}
    for path in sorted(files):
        group = next((g for g, prefix in _GROUPS if path.startswith(prefix)), _OTHER)
        stem = posixpath.splitext(path)[0]
        if group == _OTHER or group.startswith("Machine"):
            stem = path  # machine-readable files are each their own item
        stems.setdefault((group, stem), []).append(path)
    order = [g for g, _ in _GROUPS] + [_OTHER]
    groups: dict[str, list[Entry]] = {}
    for (group, _), paths in sorted(stems.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        groups.setdefault(group, []).append(_item(paths, files))
    return list(groups.items())


def _item(paths: list[str], files: Mapping[str, bytes]) -> Entry:
    # The HTML rendering leads: its <title> names the document and its meta description says who it
    # is for (two documents may share a title). Other renderings follow as links whose text says
    # the format, so a screen reader announces "PDF, 84 KB" and not "click here".
    paths = sorted(paths, key=lambda p: (not p.endswith(".html"), p))
    lead = paths[0]
    head = files[lead][:8192].decode("utf-8", "replace") if lead.endswith(".html") else ""
    label = _between(head, "<title>", "</title>") or _describe(lead)
    description = _between(head, '<meta name="description" content="', '"')
    return Entry(
        href=_href(lead),
        label=label,
        name=posixpath.basename(lead),
        format=_format(lead, files),
        others=tuple((_href(p), _format(p, files)) for p in paths[1:]),
        description=description if description and description != label else None,
    )


def _describe(path: str) -> str:
    name = posixpath.basename(path)
    return next((text for needle, text in _KNOWN if needle in name), name)


def _format(path: str, files: Mapping[str, bytes]) -> str:
    kind = _FORMATS.get(posixpath.splitext(path)[1].lower(), "file")
    return f"{kind}, {_size(len(files[path]))}"


def _size(n: int) -> str:
    if n < 1024:
        return "1 byte" if n == 1 else f"{n} bytes"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _href(path: str) -> str:
    from urllib.parse import quote

    return quote(path)


def _between(text: str, start: str, end: str) -> str | None:
    """The unescaped text between the first ``start`` and the next ``end``, if any."""
    i = text.find(start)
    j = text.find(end, i + len(start)) if i >= 0 else -1
    return (html.unescape(text[i + len(start) : j]).strip() or None) if j >= 0 else None
