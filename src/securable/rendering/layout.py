"""Plain-text layout: greedy word wrap, aligned tables and ``key: value`` blocks, to a given width.

Wrapping is our own rather than textwrap's, which would import ``re`` (the CLI's help text uses
:func:`wrap` at start-up).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence


def wrap(text: str, room: int) -> list[str]:
    """Greedy word wrap of ``text`` into lines of at most ``room`` characters (longer words stay whole)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines or [""]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, width: int) -> str:
    """Columns sized to content; the last column wraps so that lines fit in ``width``."""
    if not rows:
        return "(nothing)\n"
    cols = len(headers)
    sizes = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(cols - 1)]
    room = max(20, width - sum(sizes) - 2 * (cols - 1))
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


def block(pairs: Sequence[tuple[str, str | Sequence[str]]], *, width: int) -> str:
    """``key: value`` lines with wrapped, indented values, fitting in ``width``.

    A list value puts one item per line; an item's wrapped lines hang two columns deeper, so a
    long item never reads as the start of the next one.
    """
    key_width = max(len(k) for k, _ in pairs) + 1
    room = max(30, width - key_width - 1)
    out = []
    for key, value in pairs:
        items = [value] if isinstance(value, str) else list(value)
        lines = [line for item in items for line in _hanging(item, room, "  " if len(items) > 1 else "")]
        out.append(f"{(key + ':').ljust(key_width)} {lines[0]}".rstrip())
        out.extend(" " * (key_width + 1) + line for line in lines[1:])
    return "\n".join(out) + "\n"


def _hanging(text: str, room: int, indent: str) -> list[str]:
    first, *rest = wrap(text, room)
    return [first, *(indent + line for line in wrap(" ".join(rest), room - len(indent)) if rest)]
