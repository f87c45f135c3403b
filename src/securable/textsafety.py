"""Untrusted text made safe for each kind of output: one function per kind, used by every writer.

Product descriptions, SBOMs, vendors' OSCAL files and manifests are written by others; their text
ends up on terminals, in Markdown reports, CSV sheets and ``security.txt``. Each output has its own
way of being subverted:

* a terminal runs escape sequences: ``ESC [2J`` clears the screen, OSC sequences set the window
  title or write to the clipboard. :func:`terminal` shows every control character as ``\\x1b`` (and
  C1 controls, bidirectional overrides, lone surrogates and the like as ``\\uXXXX``); JSON written
  to a terminal stays valid JSON with the same content;
* Markdown renders raw HTML, links, images and headings: :func:`markdown` escapes them, so the text
  reads as it was written and a ``javascript:`` link or a remote image never becomes one;
* a spreadsheet runs a CSV cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR as a formula:
  :func:`csv_cell` puts a ``'`` in front;
* ``security.txt`` is read line by line: :func:`field_value` keeps a value on its one line.

HTML is written only through Jinja2 with autoescaping (``securable.package.documents.templating``); JSON and
SARIF through ``json.dumps``, which escapes control characters itself. Whatever the format, a control
character (C0 but tab and line feed, DEL, C1) never reaches a document raw: :func:`controls` is the one
rule that shows it as ``\\x1b``, and HTML, Markdown and ``security.txt`` text all go through it.

Importing this module costs nothing beyond ``os``: the terminal check runs on every CLI output.
"""

from __future__ import annotations

import os

_KEPT = {"\n", "\t"}


def _escaped(char: str) -> str:
    # C0 controls as \x1b, the form people know. Everything else in JSON's own escape syntax
    # (\u009b, a pair for characters beyond U+FFFF): JSON output passes through terminal() too,
    # and a JSON string never holds a raw C0 control, so JSON stays valid and means the same.
    code = ord(char)
    if code < 0x20:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _is_control(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 and char not in _KEPT) or 0x7F <= code <= 0x9F


def controls(text: str) -> str:
    """``text`` with every control character (C0 but tab and line feed, DEL, C1) shown as ``\\x1b``
    or ``\\u009b``: for documents (HTML, Markdown, ``security.txt``), where a terminal escape copied
    from a product file would run when the document is printed to a terminal or pasted."""
    if not any(_is_control(c) for c in text):
        return text
    return "".join(_escaped(c) if _is_control(c) else c for c in text)


def terminal(text: str, *, lines: bool = True) -> str:
    """``text`` safe to print: what is not printable becomes ``\\xNN`` / ``\\uNNNN``; with ``lines``,
    line breaks and tabs are kept (a report), without them they are escaped too (one value)."""
    plain = text.replace("\n", "").replace("\t", "") if lines else text
    if plain.isprintable():  # the common case, at C speed
        return text
    kept = _KEPT if lines else set()
    return "".join(c if c.isprintable() or c == " " or c in kept else _escaped(c) for c in text)


def terminal_path(path: str) -> str:
    """A path (or any one-line value) ready to print or put in JSON: bytes of a file name that are
    not UTF-8 (which Python keeps as lone surrogates) become ``\\xNN``, as do other lone surrogates
    and control characters."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte, e.g. from JSON "\ud800"
        raw = path.encode("utf-8", "backslashreplace")
    return terminal(raw.decode("utf-8", "backslashreplace"), lines=False)


# Characters that start Markdown syntax anywhere in a line: emphasis, code, links and images, raw
# HTML and autolinks, table cells. Escaped with a backslash, which CommonMark allows before any
# ASCII punctuation.
# ``<`` and ``>`` as entities rather than backslash escapes: the text then holds no ``<tag`` at all,
# for any reader that sees the Markdown before (or without) rendering it.
_MD_SPECIAL = str.maketrans({**{c: f"\\{c}" for c in "\\`*_[]|"}, "<": "&lt;", ">": "&gt;"})
# ... and at the start of a line only: headings, block quotes and setext underlines, whatever
# follows; list items and thematic breaks when a space, the end or another marker follows.
_MD_LEADING = frozenset("#>=")
_MD_LIST = frozenset("-+")


def markdown(text: str) -> str:
    """``text`` as literal Markdown inline text on one line (a table cell, a heading, a list item)."""
    # "](" escaped too: "\\](javascript:" is no link, but reads like one to anything that greps for it.
    flat = " ".join(terminal(text, lines=True).split()).translate(_MD_SPECIAL).replace("](", "]\\(")
    first, then = flat[:1], flat[1:2]
    if first in _MD_LEADING or (first in _MD_LIST and then in ("", " ", first)):
        return "\\" + flat
    digits = len(flat) - len(flat.lstrip("0123456789"))
    after = flat[digits + 1 : digits + 2]
    if 0 < digits < 10 and flat[digits : digits + 1] in (".", ")") and after in ("", " "):
        return f"{flat[:digits]}\\{flat[digits:]}"  # "1. " or "1) " would start a list
    return flat


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula (OWASP's advice: a leading ``'``)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def field_value(text: str) -> str:
    """A ``security.txt`` field value (or comment) on one line: every line break and run of white
    space (CR, LF, and what ``str.splitlines`` also splits on) becomes one space; other control
    characters are shown (:func:`controls`), and other unprintable ones dropped."""
    flat = controls(" ".join(text.split()))
    return "".join(c for c in flat if c.isprintable() or c == " ")
