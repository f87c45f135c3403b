"""Telling a waiting person how far a package build is: steps, and the PDF being laid out.

A build is a few seconds of work (most of it PDF layout); :func:`securable.package.build.build_package`
reports each step through a :data:`Progress` callback, and :class:`CountingRenderings` adds which
PDF is being made, so the line moves while the longest step runs. The callback decides what to do
with it (the CLI shows one line on a terminal); the build itself prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from securable.package.documents.renderings import Renderings

# (step, of how many steps, what is being done)
Progress = Callable[[int, int, str], None]


class Steps:
    """Numbered steps of one build, reported to ``progress`` (or to nobody)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self.total = total
        self.step = 0
        self.what = ""

    def next(self, what: str) -> None:
        self.step += 1
        self.what = what
        self.detail("")

    def detail(self, detail: str) -> None:
        """Within the current step: ``detail`` added to what it does."""
        if self._progress is not None:
            text = f"{self.what}: {detail}" if detail else self.what
            self._progress(min(self.step, self.total), self.total, text)


class CountingRenderings(Renderings):
    """:class:`Renderings` that says which PDF it is laying out (a shared or reused PDF is quick)."""

    def __init__(self, previous: Path | None, steps: Steps) -> None:
        super().__init__(previous)
        self._steps = steps

    def pdf(self, path: str, html: str, make: Callable[[], bytes]) -> bytes:
        def made() -> bytes:
            self._steps.detail(f"laying out {path}")
            return make()

        return super().pdf(path, html, made)
