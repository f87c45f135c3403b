"""PDFs laid out once: identical documents share one rendering, and an unchanged document keeps the
PDF of the previous package.

WeasyPrint's layout is most of a package build (about 0.1 s of CPU per page), and most rebuilds
change few documents. Rendering is deterministic (:mod:`securable.package.documents.pdfrender`): the same
HTML gives the same PDF bytes, and the HTML carries everything that goes into the PDF, the package
date included. So a PDF is looked up by the SHA-256 of the HTML it is made from:

* within one build, two audiences whose documents are byte-identical get one rendering;
* from the previous package in the output folder, a PDF is reused when the HTML beside it
  (``x.html`` for ``x.pdf``) is byte-identical to the new HTML, and both files still have the
  SHA-256 that package's manifest records (a file edited or damaged since is rendered again).

A newer WeasyPrint could lay out the same HTML differently; after upgrading it, build into an empty
folder to render every PDF afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

MANIFEST = "manifest.json"  # securable.package.manifest.MANIFEST; not imported: it loads cryptography
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_PDF_BYTES = 256 * 1024 * 1024
# Never block on a pipe planted where a file should be; what is read is checked by its hash anyway.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Renderings:
    """The PDFs of one build, keyed by the SHA-256 of their HTML; ``previous`` is the folder of the
    package this build replaces, or None."""

    def __init__(self, previous: Path | None = None) -> None:
        self._made: dict[str, bytes] = {}
        self._previous = previous
        self._listed: dict[str, str] | None = None
        self.rendered = 0  # PDFs made by this build (the rest were shared or reused)

    def pdf(self, path: str, html: str, make: Callable[[], bytes]) -> bytes:
        """The PDF for package ``path`` made from ``html``: shared, reused, or ``make()``."""
        key = _sha256(html.encode("utf-8"))
        found = self._made.get(key)
        if found is None:
            found = self._reused(path, key)
        if found is None:
            found = make()
            self.rendered += 1
        self._made[key] = found
        return found

    def _reused(self, path: str, html_sha256: str) -> bytes | None:
        if self._previous is None or not path.endswith(".pdf"):
            return None
        listed = self._manifest()
        if listed.get(path.removesuffix(".pdf") + ".html") != html_sha256 or path not in listed:
            return None
        data = _read(self._previous.joinpath(*path.split("/")), MAX_PDF_BYTES)
        html = _read(
            self._previous.joinpath(*(path.removesuffix(".pdf") + ".html").split("/")), MAX_PDF_BYTES
        )
        if data is None or html is None or _sha256(html) != html_sha256 or _sha256(data) != listed[path]:
            return None
        return data

    def _manifest(self) -> dict[str, str]:
        """Package path -> SHA-256 as the previous package's manifest lists them ({} if unusable)."""
        if self._listed is None:
            self._listed = {}
            raw = _read(self._previous / MANIFEST, MAX_MANIFEST_BYTES) if self._previous else None
            try:
                files = json.loads(raw)["files"] if raw is not None else []
            except (ValueError, TypeError, KeyError, RecursionError):
                files = []
            for entry in files if isinstance(files, list) else []:
                if isinstance(entry, dict):
                    path, digest = entry.get("path"), entry.get("sha256")
                    if isinstance(path, str) and isinstance(digest, str):
                        self._listed[path] = digest
        return self._listed


def _read(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, or None for anything else or anything unreadable."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
