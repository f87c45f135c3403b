"""The Jinja2 environment for the package's HTML: autoescaping, strict undefined names, and the
one stylesheet (:mod:`securable.rendering.stylesheet`), inlined so that every page is self-contained."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from securable.package.documents.view import Link, Missing
from securable.package.documents.wording import capfirst
from securable.rendering.htmltext import finalize
from securable.rendering.stylesheet import stylesheet

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Web and mail addresses inside answers become links; trailing punctuation stays text.
# An e-mail address needs a letters-only top-level domain, so ``linux@6.6.44`` in a package URL
# stays text.
_LINK = re.compile(
    r"(https?://[^\s<>\"']+|mailto:[^\s<>\"']+|tel:\+?[0-9][0-9().-]*[0-9]"
    r"|(?<![\w/.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)"
)
_TRAILING = ".,;:)!?"
# Where a shown address may wrap: after a slash (not between the two of "//") and before a dot,
# "?", "#" or "&", so that a line ends at a boundary of the address and never inside a name in it.
# A part longer than _LONG_PART (a hash, an encoded query) may also wrap every _LONG_PART
# characters: it could not fit a narrow column (the fact sheet's) otherwise.
_ADDRESS_BREAK = re.compile(r"(?<=/)(?!/)|(?<=.)(?=[.?#&])")
_LONG_PART = 24


def breakable(address: str) -> Markup:
    """``address`` escaped, with ``<wbr>`` at the places it may wrap (copying the text gives the
    address unchanged: ``<wbr>`` adds no character)."""
    parts = [
        part[i : i + _LONG_PART]
        for part in _ADDRESS_BREAK.split(address)
        for i in range(0, len(part), _LONG_PART)
    ]
    return Markup("<wbr>").join(escape(part) for part in parts)


def linkify(text: object) -> Markup:
    """Escape ``text`` and turn the addresses in it into links."""
    out: list[str] = []
    last = 0
    source = str(text)
    for match in _LINK.finditer(source):
        address = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(address)
        href = address if address.startswith(("http", "mailto:", "tel:")) else "mailto:" + address
        shown = address.removeprefix("tel:")  # a phone number reads as a number; the link keeps tel:
        out += [str(escape(source[last : match.start()])), f'<a href="{escape(href)}">{breakable(shown)}</a>']
        last = end
    out.append(str(escape(source[last:])))
    return Markup("".join(out))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template is HTML; product text must never become markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,  # control characters and Markdown links out of every value
    )
    env.filters["linkify"] = linkify
    env.filters["capfirst"] = capfirst
    # html.escape's entities (&quot;, &#x27;) rather than markupsafe's, as index.html always had.
    env.filters["escape_html"] = lambda value: Markup(html.escape(str(value)))
    env.tests["missing"] = lambda value: isinstance(value, Missing)
    env.tests["link"] = lambda value: isinstance(value, Link)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(css=stylesheet(), **context)
