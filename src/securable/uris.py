"""URIs as RFC 3986 defines them: the one check every URL-like value of a product description passes.

A web link goes into HTML pages, an OSCAL component definition (whose schema requires a URI), MUD
files and ``security.txt``; a value that merely starts with ``https://`` can still hold a space, a
control character, ``|``, ``{`` or ``"`` and break every one of them. The grammar is taken from the
``rfc3986`` library (its ABNF patterns and host validation), not re-derived here.

Each check returns None for a good value, else ``(what is wrong, how to fix it)`` for the message.
``rfc3986`` is imported on first use, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from functools import cache

Problem = tuple[str, str]

WEB_SCHEMES = ("https", "http")
# Characters RFC 3986 allows anywhere in a URI (unreserved, reserved and "%"): for the JSON Schema,
# which can only approximate the grammar with a pattern.
URI_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%"
WEB_URL_PATTERN = rf"^[hH][tT][tT][pP][sS]?://[{URI_CHARS}]+$"
CONTACT_PATTERN = rf"^(([mM][aA][iI][lL][tT][oO]:|[tT][eE][lL]:|[hH][tT][tT][pP][sS]?://)[{URI_CHARS}]+|[^@\s]+@[^@\s]+\.[^@\s]+)$"
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s]+\.[^@\s]+$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_LIKE = ("http:", "https:", "mailto:", "tel:")


def _bad_character(value: str) -> Problem | None:
    for index, char in enumerate(value):
        if char.isspace() or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            shown = "a space" if char == " " else f"the character U+{ord(char):04X}"
            return (
                f"{value!r} holds {shown} at position {index + 1}, which a URI cannot hold",
                "remove it, or percent-encode it (a space is %20)",
            )
    return None


@cache
def _uri_matcher() -> re.Pattern[str]:
    from rfc3986 import abnf_regexp as abnf

    return re.compile(
        r"{}:{}(\?{})?(#{})?".format(
            abnf.COMPONENT_PATTERN_DICT["scheme"],
            abnf.HIER_PART_RE,
            abnf.QUERY_RE[1:-1],
            abnf.FRAGMENT_RE[1:-1],
        )
    )


def uri_problem(value: str, *, schemes: tuple[str, ...], host: bool, kind: str = "URI") -> Problem | None:
    """What keeps ``value`` from being an RFC 3986 URI with one of ``schemes`` (and a host, when
    ``host``); None when it is one."""
    bad = _bad_character(value)
    if bad is not None:
        return bad
    allowed = " or ".join(f"{s}://" if s in WEB_SCHEMES else f"{s}:" for s in schemes)
    scheme = _SCHEME.match(value)
    if scheme is None or scheme.group(1).lower() not in schemes:
        return (
            f"{value!r} is not a {kind}: it does not start with {allowed}",
            f"write it in full, starting with {allowed}",
        )
    if _uri_matcher().fullmatch(value) is None:
        return (
            f"{value!r} is not a valid URI (RFC 3986)",
            'percent-encode characters a URI cannot hold as such (e.g. | is %7C, { is %7B, " is %22) '
            "and check the '%' escapes",
        )
    if host:
        from rfc3986 import exceptions, uri_reference, validators

        checks = validators.Validator().require_presence_of("scheme", "host")
        try:
            checks.check_validity_of("host", "port", "userinfo").validate(uri_reference(value))
        except exceptions.ValidationError:
            return (
                f"{value!r} has no valid host name",
                "write a host after the //, e.g. https://example.com/docs (an IPv6 host in [ ])",
            )
    elif len(value) == len(scheme.group(0)):
        return f"{value!r} says nothing after {scheme.group(0)}", "write the address after it"
    return None


def web_url_problem(value: str) -> Problem | None:
    """A web link: http or https, with a host."""
    return uri_problem(value, schemes=WEB_SCHEMES, host=True, kind="web address")


def contact_problem(value: str) -> Problem | None:
    """A contact: a bare email address, or a mailto:, tel:, https:// or http:// URI."""
    if _SCHEME.match(value) is None and "@" in value:
        bad = _bad_character(value)
        if bad is not None:
            return bad
        if _EMAIL.match(value) is None:
            return f"{value!r} is not an email address", "write it as name@example.com"
        return uri_problem("mailto:" + value, schemes=("mailto",), host=False)
    scheme = _SCHEME.match(value)
    if scheme is not None and scheme.group(1).lower() in WEB_SCHEMES:
        return web_url_problem(value)
    return uri_problem(value, schemes=("mailto", "tel", *WEB_SCHEMES), host=False, kind="contact address")


def url_like(value: str) -> bool:
    """Whether free text is written as a URI (and must then be a valid one)."""
    return value.lstrip().lower().startswith(_URL_LIKE)


def address_problem(value: str) -> Problem | None:
    """Free text that may be a URI ("https://...", "mailto:..."): checked as one when it is written as one."""
    text = value.strip()
    if url_like(text):
        return contact_problem(text)
    for char in text:
        if char not in "\t\n" and (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F):
            return (
                f"{value!r} holds the control character U+{ord(char):04X}",
                "remove it: an address is plain text or a URI",
            )
    return None
