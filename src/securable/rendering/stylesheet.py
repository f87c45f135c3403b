"""The one stylesheet of every HTML file Securable writes (``securable.css`` beside this module):
customer documents, fact sheet, package index, requirements and evaluation reports (the web
workspace has its own, served as a file). It is inlined into each page so that a page is
self-contained: it opens from a USB stick, an email attachment or an air-gapped laptop, and
WeasyPrint needs to fetch nothing to make its PDF.

Imported by the HTML writers only, never at CLI start-up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markupsafe import Markup

STYLESHEET = Path(__file__).resolve().parent / "securable.css"


@cache
def stylesheet() -> Markup:
    # Our own file, so it is trusted markup; escaping would turn its quotes into entities.
    return Markup(STYLESHEET.read_text(encoding="utf-8"))
