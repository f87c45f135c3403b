"""``.well-known/security.txt`` (RFC 9116): where and how to report vulnerabilities in the device.

What goes in, and from where in the product description:

* ``Contact``: ``product.security_contact`` first (the designated address), then the channels of
  ``support.vulnerability_reporting``, each as a URI: a bare email address becomes ``mailto:``, a phone
  number ``tel:``; web addresses must be ``https://`` (RFC 9116 section 2.5.3). Channels that are not
  addresses (in-app, postal) cannot be written as URIs and are left out.
* ``Expires``: a year after the package date, the RFC's recommended upper bound, but earlier when the
  manufacturer stops taking reports: at the end of life, unless the file says reports are accepted
  after it, and at the end of support when it says they are not accepted after that.
* ``Policy``: ``support.vulnerability_reporting.policy_url``.
* ``Canonical``: where RFC 9116 clients look (``/.well-known/security.txt`` at the root of the
  documentation host), and where this package copy is published (below the documentation URL).
* ``Preferred-Languages: en``: the product description has no language field; Securable writes every
  package document in English, so English reaches the people who wrote them.

Without any usable contact, or when reports are no longer accepted on the package date, no file is
written and a gap says why: a security.txt without a contact, or already expired, is invalid.

The file is written unsigned here; when the maker gives an OpenPGP key, the builder wraps it in a
cleartext signature (RFC 9116 section 2.3, :mod:`securable.package.openpgp`), which leaves every line
above as it is for parsers that ignore the signature.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from securable.package.context import Gap, PackageContext, Part
from securable.product.model import ContactChannel, Product
from securable.textsafety import field_value
from securable.uris import contact_problem

PATH = ".well-known/security.txt"
TOPIC = "security.txt"
LANGUAGES = ("en",)

_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s]+\.[^@\s]+$")
# RFC 3966 global numbers: "+" then digits with visual separators; spaces become "-" in the URI.
_PHONE = re.compile(r"^\+[0-9][0-9 ().-]*[0-9]$")
_REPORTING = ("support", "vulnerability_reporting")


def build_securitytxt(ctx: PackageContext) -> Part:
    product = ctx.product
    contacts, gaps = contact_uris(product)
    if not contacts:
        gaps.append(
            Gap(
                TOPIC,
                "No security.txt: the description gives no email address, https:// web form or phone "
                "number for reporting vulnerabilities.",
                ("Q4.2.2-4",),
                (*_REPORTING, "channels"),
            )
        )
        return Part(gaps=tuple(gaps))
    expires = expiry(product, ctx.date)
    if expires is None and ctx.date >= date.max:
        gaps.append(
            Gap(
                TOPIC,
                f"No security.txt: the package is dated {ctx.date.isoformat()}, the last day a date can "
                "name, so no Expires date can follow it.",
            )
        )
        return Part(gaps=tuple(gaps))
    if expires is None:
        gaps.append(
            Gap(
                TOPIC,
                f"No security.txt: on {ctx.date.isoformat()} vulnerability reports are no longer "
                "accepted (end of support or end of life has passed, and the description does not say "
                "reports are taken after it).",
                ("Q4.2.2-4",),
                (*_REPORTING, "accepted_after_end_of_life"),
            )
        )
        return Part(gaps=tuple(gaps))
    lines = [_header(product)]
    # Every value through field_value: a line break in one would start a field of its own.
    lines += [f"Contact: {field_value(uri)}" for uri in contacts]
    lines.append(f"Expires: {expires.isoformat()}T00:00:00Z")
    policy = _policy(product, gaps)
    if policy:
        lines.append(f"Policy: {field_value(policy)}")
    lines.append(f"Preferred-Languages: {', '.join(LANGUAGES)}")
    lines += [f"Canonical: {field_value(uri)}" for uri in canonical_uris(ctx.documentation_url)]
    return Part({PATH: ("\n".join(lines) + "\n").encode("utf-8")}, tuple(gaps))


EXPIRY_WARNING_DAYS = 30  # RFC 9116 clients ignore an expired file: warn while there is time to act


def expiry_problem(text: bytes, today: date) -> str | None:
    """``expired on …`` or ``expires on …, in N days`` when ``Expires`` has passed or is under
    :data:`EXPIRY_WARNING_DAYS` away on ``today``; None otherwise (or without an Expires field)."""
    expires = expires_of(text)
    if expires is None:
        return None
    left = (expires - today).days
    if left < 0:
        return f"expired on {expires.isoformat()}"
    if left < EXPIRY_WARNING_DAYS:
        return f"expires on {expires.isoformat()}, in {left} day{'s' if left != 1 else ''}"
    return None


def expires_of(text: bytes) -> date | None:
    """The day of a security.txt's ``Expires`` field (its first), or None when it has none."""
    for line in text.decode("utf-8", "replace").splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == "expires":
            try:
                return date.fromisoformat(value.strip()[:10])
            except ValueError:
                return None
    return None


def contact_uris(product: Product) -> tuple[list[str], list[Gap]]:
    """The Contact URIs in order of preference, and gaps for addresses that cannot be used."""
    uris: list[str] = []
    gaps: list[Gap] = []
    info = product.product
    if info is not None and info.security_contact:
        _add(
            uris,
            gaps,
            _uri(info.security_contact, None),
            info.security_contact,
            ("product", "security_contact"),
        )
    reporting = product.support.vulnerability_reporting if product.support else None
    for index, channel in enumerate(reporting.channels or () if reporting else ()):
        if channel.address and channel.kind not in ("in-app", "postal"):
            where = (*_REPORTING, "channels", index, "address")
            _add(uris, gaps, _uri(channel.address, channel), channel.address, where)
    return uris, gaps


def _add(uris: list[str], gaps: list[Gap], uri: str | None, raw: str, where: tuple[str | int, ...]) -> None:
    if uri is None:
        gaps.append(
            Gap(
                TOPIC,
                f"{raw!r} is left out of security.txt: RFC 9116 needs an email address, an https:// "
                "URL or an international phone number (+...).",
                path=where,
            )
        )
    elif uri not in uris:
        uris.append(uri)


def _uri(value: str, channel: ContactChannel | None) -> str | None:
    """``value`` as a Contact URI, or None when it cannot be one (an RFC 3986 URI, as RFC 9116 asks)."""
    uri = _as_uri(value, channel)
    return uri if uri is not None and contact_problem(uri) is None else None


def _as_uri(value: str, channel: ContactChannel | None) -> str | None:
    text = value.strip()
    lowered = text.lower()
    if (channel is None or channel.kind in ("phone", "other")) and _PHONE.match(text):
        return "tel:" + re.sub(r"\s+", "-", text)
    if any(c.isspace() for c in text):
        return None  # words such as "Help > Contact support", never an address
    if lowered.startswith(("mailto:", "tel:")):
        return text
    if lowered.startswith("https://"):
        return text if urlsplit(text).netloc else None
    if _EMAIL.match(text):
        return f"mailto:{text}"
    return None  # e.g. http:// (RFC 9116 requires https for web URIs)


def expiry(product: Product, today: date) -> date | None:
    """The Expires date: a year ahead, cut to when reports stop being accepted; None if already past."""
    limit = _one_year_after(today)
    support = product.support
    reporting = support.vulnerability_reporting if support else None
    if support is not None:
        # After end of life reports are taken only if the file says so; after end of support unless
        # it says they are not.
        after_eol = reporting.accepted_after_end_of_life if reporting else None
        after_support = reporting.accepted_after_support_end if reporting else None
        if support.end_of_life is not None and after_eol is not True:
            limit = min(limit, _day_after(support.end_of_life))
        if support.support_end is not None and after_support is False:
            limit = min(limit, _day_after(support.support_end))
    return limit if limit > today else None


# Dates stop at 9999-12-31 (date.max): a later Expires is written as that day, never as an overflow.


def _one_year_after(day: date) -> date:
    if day.year >= date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _day_after(day: date) -> date:
    return date.max if day >= date.max else day + timedelta(days=1)


def _policy(product: Product, gaps: list[Gap]) -> str | None:
    reporting = product.support.vulnerability_reporting if product.support else None
    url = reporting.policy_url if reporting else None
    where = (*_REPORTING, "policy_url")
    if not url:
        gaps.append(
            Gap(TOPIC, "security.txt has no Policy: the disclosure policy URL is not given.", path=where)
        )
        return None
    if not url.lower().startswith("https://"):
        gaps.append(Gap(TOPIC, f"security.txt has no Policy: {url!r} is not an https:// URL.", path=where))
        return None
    return url


def canonical_uris(documentation_url: str) -> list[str]:
    """Where this file is meant to be found: the host's well-known location, and the package copy."""
    parts = urlsplit(documentation_url.strip())
    if parts.scheme.lower() != "https" or not parts.netloc:
        return []  # RFC 9116 requires https for web URIs; a package without a URL has no location
    root = f"https://{parts.netloc}/.well-known/security.txt"
    package = documentation_url.strip().rstrip("/") + "/" + PATH
    return [root] if package == root else [root, package]


def _header(product: Product) -> str:
    info = product.product
    names = [n for n in ((info.name, info.model) if info else ()) if n]
    what = " ".join(f"({n})" if i else n for i, n in enumerate(names)) or "this device"
    maker = f" by {info.manufacturer.rstrip('.')}" if info and info.manufacturer else ""
    # One line, no control characters: a comment line must not be able to start a field.
    return "# " + field_value(f"Vulnerability reporting for {what}{maker}.")
