"""PDF and PNG renderings of the package's HTML, byte-identical for the same input.

WeasyPrint lays out the HTML and writes a tagged PDF; pypdfium2 rasterizes a PDF page to PNG.
Both are imported only here and only when a rendering is asked for, so HTML-only packages
(``--no-pdf``) need neither, and a missing library becomes one clear message, not a traceback.

Why the output is deterministic: WeasyPrint writes a creation or modification date only when the
HTML carries ``dcterms.created``/``dcterms.modified`` meta tags (our templates set both from the
package date, never the clock); without an explicit identifier pydyf would write no ``/ID``, so
we pass one derived from the HTML; font subsets are named from a hash of the glyphs used. The one
clock reading left is fontTools stamping the ``head.modified`` field of every font subset it saves
with the current time, unless ``SOURCE_DATE_EPOCH`` is set (the reproducible-builds convention):
so rendering sets it to the package date for its duration. The PNG is encoded by Pillow without
time or text chunks.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from securable.errors import InputError

_EPOCH = "SOURCE_DATE_EPOCH"
_INSTALL_HINT = (
    "install WeasyPrint with `pip install weasyprint pypdfium2` and the Pango library with "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core` (Debian/Ubuntu), "
    "or build without PDFs using --no-pdf"
)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError as err:
        raise InputError(
            "PDF rendering needs the WeasyPrint package, which is not installed", hint=_INSTALL_HINT
        ) from err
    except OSError as err:  # WeasyPrint loads Pango with cffi at import time
        raise InputError(
            f"PDF rendering needs the Pango library, which could not be loaded ({err})", hint=_INSTALL_HINT
        ) from err
    # WeasyPrint logs every CSS property it ignores; our stylesheet is known, so only errors matter.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError as err:
        raise InputError(
            "PNG rendering needs the pypdfium2 package, which is not installed", hint=_INSTALL_HINT
        ) from err
    return pypdfium2


@contextmanager
def _source_date(day: date) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to midnight UTC of ``day`` for the duration, then restored."""
    epoch = str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))
    before = os.environ.get(_EPOCH)
    os.environ[_EPOCH] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ[_EPOCH]
        else:
            os.environ[_EPOCH] = before


def html_to_pdf(html: str, day: date) -> bytes:
    """The PDF of a self-contained HTML page (styles inline, no external resources); ``day`` is the
    package date, the only time written into the file."""
    weasyprint = _weasyprint()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    with _source_date(day):
        pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_tags=True, pdf_identifier=identifier)
    return pdf


def page_count(pdf: bytes) -> int:
    pdfium = _pdfium()
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def pdf_page_to_png(pdf: bytes, *, page: int = 0, dpi: int = 150) -> bytes:
    """One page of ``pdf`` as a PNG image at ``dpi``, on a white background."""
    pdfium = _pdfium()
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[page].render(scale=dpi / 72, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil()
        out = io.BytesIO()
        # Pillow writes no tIME or text chunks unless asked; pin the compression settings anyway.
        image.save(out, format="PNG", optimize=False, compress_level=9, dpi=(dpi, dpi))
        return out.getvalue()
    finally:
        document.close()
