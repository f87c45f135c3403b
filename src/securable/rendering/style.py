"""Colour for people at a terminal, and for nobody else.

Colour is added to text that is already safe to print (every report passes through
:func:`securable.textsafety.terminal` first, so the only escape sequences that reach the terminal are
the ones added here). It is on only when the stream is a terminal, ``NO_COLOR`` is unset or empty
(https://no-color.org) and ``TERM`` is not ``dumb``; a non-empty ``FORCE_COLOR`` turns it on for a
pipe too (a CI log that shows colours), but never against ``NO_COLOR``. Files written with ``-o``
and JSON never get colour: the commands colour only what they print in their text formats.

Imported by the commands that print reports, on the way out; ``re`` is imported only when colour
is on (the cached ``check`` path stays as fast as starting Python).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import TextIO

RESET = "\x1b[0m"
BOLD = "1"
RED = "31"
GREEN = "32"
YELLOW = "33"
CYAN = "36"
DIM = "2"

# The severity words of findings: what to look at first stands out most.
SEVERITY = {"high": (BOLD, RED), "medium": (YELLOW,), "low": (CYAN,), "info": (DIM,)}


def enabled(stream: TextIO) -> bool:
    """Whether text written to ``stream`` may carry colour."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def paint(text: str, *codes: str) -> str:
    """``text`` in the given SGR codes, reset after it."""
    return f"\x1b[{';'.join(codes)}m{text}{RESET}" if codes and text else text


def check_report(text: str) -> str:
    """The check's terminal report with severities and headings picked out."""
    import re

    finding = re.compile(r"^(high|medium|low|info)(?=  +[A-Z]+-[0-9]+  )", re.MULTILINE)
    heading = re.compile(r"^(== .*|Securable check: .*)$", re.MULTILINE)
    counts = re.compile(r"^(findings: +)(.*)$", re.MULTILINE)
    severity_count = re.compile(r"\b([1-9][0-9]*) (high|medium|low)\b")
    text = heading.sub(lambda m: paint(m.group(1), BOLD), text)
    text = finding.sub(lambda m: paint(m.group(1), *SEVERITY[m.group(1)]), text)
    # Only the header's count line: elsewhere the same words may be the product's own text.
    return counts.sub(
        lambda m: (
            m.group(1) + severity_count.sub(lambda c: paint(c.group(0), *SEVERITY[c.group(2)]), m.group(2))
        ),
        text,
        count=1,
    )


def verify_report(text: str) -> str:
    """``verify``'s text report with its verdict (and each problem's kind) in green or red."""
    import re

    text = re.sub(
        r"^(OK|FAILED):",
        lambda m: paint(m.group(1), BOLD, GREEN if m.group(1) == "OK" else RED) + ":",
        text,
        flags=re.MULTILINE,
    )
    return re.sub(
        r"^(  )([a-z-]+)(?= )", lambda m: m.group(1) + paint(m.group(2), RED), text, flags=re.MULTILINE
    )
