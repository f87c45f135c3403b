"""The Jinja2 environment for the package's HTML: autoescaping, strict undefined names, and the
one stylesheet, inlined so that every page is self-contained (it opens from a USB stick or an email
attachment, and WeasyPrint needs to fetch nothing)."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from securable.package.documents.view import Missing
from securable.package.documents.wording import capfirst
from securable.rendering.htmltext import finalize

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Web and mail addresses inside answers become links; trailing punctuation stays text.
# An e-mail address needs a letters-only top-level domain, so ``linux@6.6.44`` in a package URL
# stays text.
_LINK = re.compile(
    r"(https?://[^\s<>\"']+|mailto:[^\s<>\"']+|tel:\+?[0-9][0-9().-]*[0-9]"
    r"|(?<![\w/.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)"
)
_TRAILING = ".,;:)!?"


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
        out += [str(escape(source[last : match.start()])), f'<a href="{escape(href)}">{escape(shown)}</a>']
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
    return env


@cache
def stylesheet() -> Markup:
    # Our own file, so it is trusted markup; escaping would turn its quotes into entities.
    return Markup((TEMPLATES / "securable.css").read_text(encoding="utf-8"))


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(css=stylesheet(), **context)
