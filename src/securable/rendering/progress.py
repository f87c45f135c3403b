"""One line of progress on standard error, rewritten in place, for long work at a terminal.

Shown only when the stream is a terminal: a log file or a CI job would get every intermediate state
as garbage, and scripts read standard output, which this never touches. The line is rewritten with
a carriage return and padded with spaces over the previous one (no escape sequences, so it works on
any terminal, ``TERM=dumb`` included), kept shorter than the terminal, and cleared when the work
ends, so what follows starts on a clean line. Text is passed through
:func:`securable.textsafety.terminal` first: it may name files the product chose.
"""

from __future__ import annotations

from securable.textsafety import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import TextIO


class ProgressLine:
    """``line(step, total, what)`` shows ``[step/total] what``; :meth:`clear` removes it."""

    def __init__(self, stream: TextIO, *, width: int, prefix: str = "") -> None:
        try:
            self.shown = stream.isatty()
        except (AttributeError, ValueError):
            self.shown = False
        self._stream = stream
        self._room = max(10, width - 1)  # never the last column: some terminals wrap there
        self._prefix = prefix
        self._last = 0

    def __call__(self, step: int, total: int, what: str) -> None:
        if not self.shown:
            return
        text = terminal(f"{self._prefix}[{step}/{total}] {what}", lines=False)
        if len(text) > self._room:
            text = text[: self._room - 3] + "..."
        self._write(text)

    def clear(self) -> None:
        if self.shown and self._last:
            self._write("")

    def _write(self, text: str) -> None:
        self._stream.write("\r" + text + " " * max(0, self._last - len(text)) + ("\r" if not text else ""))
        self._stream.flush()
        self._last = len(text)

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()
