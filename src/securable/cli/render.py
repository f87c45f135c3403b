"""Terminal output: the report width, aligned tables and key/value blocks at that width, JSON for scripts.

The layout itself is :mod:`securable.rendering.layout`; this module only measures the terminal, the
one thing the core never does.
"""

from __future__ import annotations

import os
import sys

from securable.rendering import layout
from securable.textsafety import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any


def width() -> int:
    """Terminal width as shutil.get_terminal_size would say, without importing shutil at start-up."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno() if sys.__stdout__ else 1).columns
        except (OSError, ValueError):
            columns = 100
    return max(60, min(columns, 160))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose last column wraps to the terminal width."""
    return layout.table(headers, rows, width=width())


def block(pairs: Sequence[tuple[str, str | Sequence[str]]]) -> str:
    """``key: value`` lines wrapped to the terminal width."""
    return layout.block(pairs, width=width())


def emit(text: str) -> None:
    """Write ``text`` to standard output with every control character made visible: reports carry
    text from product files and vendors, and a terminal would run their escape sequences."""
    sys.stdout.write(terminal(text))


def emit_styled(text: str, styler: Callable[[str], str]) -> None:
    """:func:`emit`, with ``styler``'s colour added after the text is made safe, when standard output
    is a terminal that wants colour (:mod:`securable.rendering.style`)."""
    from securable.rendering import style

    safe = terminal(text)
    sys.stdout.write(styler(safe) if style.enabled(sys.stdout) else safe)


def emit_json(data: Any) -> None:
    import json

    sys.stdout.write(terminal(json.dumps(data, ensure_ascii=False, indent=2) + "\n"))
