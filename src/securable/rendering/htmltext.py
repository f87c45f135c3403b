"""Untrusted text in HTML: the ``finalize`` hook of every Jinja2 environment that writes HTML.

Autoescaping already keeps product, SBOM, VEX and vendor text from becoming markup. Two things it
lets through are handled here, for every ``{{ ... }}`` of a template at once (so no template can
forget them): control characters, which would run as terminal escapes when a page is printed to
a terminal or its text pasted, are shown as ``\\x1b`` (:func:`securable.textsafety.controls`, the
one rule for every document); and ``](``, the middle of a Markdown link, is written as ``]&#40;``
so that text copied out of a page (or searched by a scanner) never reads as ``[x](javascript:...)``.
A browser shows both exactly as written.

Imported by the HTML writers only, never at CLI start-up.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from securable.textsafety import controls


def finalize(value: object) -> object:
    """``value`` as it goes into the page: text escaped (unless it is already markup), with control
    characters shown and Markdown link syntax broken; anything else unchanged (autoescaped later)."""
    if not isinstance(value, str):
        return value
    safe = value if isinstance(value, Markup) else escape(value)
    return Markup(controls(str(safe)).replace("](", "]&#40;"))
