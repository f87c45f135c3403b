"""Terminal output: aligned, wrapped tables and key/value blocks, plus JSON for scripts.

Wrapping uses ``securable.cli.args.wrap`` rather than textwrap, which would import ``re``.
"""

from __future__ import annotations

import os
import sys

from securable.cli.args import wrap
from securable.textsafety import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence
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
    """Columns sized to content; the last column wraps to the terminal width."""
    if not rows:
        return "(nothing)\n"
    cols = len(headers)
    sizes = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(cols - 1)]
    room = max(20, width() - sum(sizes) - 2 * (cols - 1))
    out = ["  ".join(h.ljust(s) for h, s in zip(headers, [*sizes, 0], strict=True)).rstrip()]
    last = min(room, max(len(headers[-1]), *(len(r[-1]) for r in rows)))
    out.append("  ".join("-" * s for s in [*sizes, last]))
    for row in rows:
        lead = "  ".join(c.ljust(s) for c, s in zip(row[:-1], sizes, strict=True))
        wrapped = wrap(row[-1], room)
        out.append(f"{lead}  {wrapped[0]}".rstrip() if lead else wrapped[0])
        pad = " " * (len(lead) + 2) if lead else ""
        out.extend(pad + more for more in wrapped[1:])
    return "\n".join(out) + "\n"


def block(pairs: Sequence[tuple[str, str | Sequence[str]]]) -> str:
    """``key: value`` lines with wrapped, indented values.

    A list value puts one item per line; an item's wrapped lines hang two columns deeper, so a
    long item never reads as the start of the next one.
    """
    key_width = max(len(k) for k, _ in pairs) + 1
    room = max(30, width() - key_width - 1)
    out = []
    for key, value in pairs:
        items = [value] if isinstance(value, str) else list(value)
        lines = [line for item in items for line in _hanging(item, room, "  " if len(items) > 1 else "")]
        out.append(f"{(key + ':').ljust(key_width)} {lines[0]}".rstrip())
        out.extend(" " * (key_width + 1) + line for line in lines[1:])
    return "\n".join(out) + "\n"


def emit(text: str) -> None:
    """Write ``text`` to standard output with every control character made visible: reports carry
    text from product files and vendors, and a terminal would run their escape sequences."""
    sys.stdout.write(terminal(text))


def emit_json(data: Any) -> None:
    import json

    sys.stdout.write(terminal(json.dumps(data, ensure_ascii=False, indent=2) + "\n"))


def _hanging(text: str, room: int, indent: str) -> list[str]:
    first, *rest = wrap(text, room)
    return [first, *(indent + line for line in wrap(" ".join(rest), room - len(indent)) if rest)]
