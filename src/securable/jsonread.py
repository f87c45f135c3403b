"""The one reader of JSON input: size-capped, strict, and exact about where a problem is.

Python's ``json`` is lenient in ways that let a document say one thing and mean another: a repeated
key silently replaces the first (a validator then passes a document whose first ``"profile"`` is
garbage, and a package summary misses a hidden first ``"components"``), ``NaN`` and ``Infinity`` are
accepted though JSON has no such values, ``1e309`` becomes infinity (and is shown as ``null`` later),
a huge integer trips Python's int/str digit limit far from the file, and deep nesting ends in
RecursionError. Every JSON input (OSCAL, SBOM, VEX, CSAF, package manifests, vendor packages,
requirements files, the ``init`` state) is parsed by :func:`parse`, which refuses all of these with
``file:line:column``.

The C parser does the work, with hooks that only *notice* a problem and stop it. The place is then
found by :func:`_first_problem`, an iterative walk over the text that runs only for a refused
document, so a good document costs one C parse and a walk over its containers for the depth.
"""

from __future__ import annotations

import json
import math
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # the C string scanner, public in fact
from pathlib import Path
from typing import Any

from securable.errors import InputError

MAX_DEPTH = 200  # nesting levels; real OSCAL, CycloneDX and CSAF documents stay under 30
MAX_INT_DIGITS = 20  # the most a 64-bit integer needs; no field of ours holds a longer one
_SHOWN_KEY = 60

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = ("NaN", "Infinity", "-Infinity")
_LITERALS = ("true", "false", "null")


class JSONProblem(InputError):
    """A JSON input that is refused; ``line`` and ``column`` (1-based) say where, when known."""

    def __init__(
        self,
        reason: str,
        *,
        source: str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        place = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(reason, hint=hint, location=place)
        self.source = source
        self.line = line
        self.column = column

    def at(self) -> str:
        """``line 3, column 5: <message>``, or the message alone when the place is not known."""
        return (
            f"line {self.line}, column {self.column}: {self.message}"
            if self.line is not None
            else self.message
        )


def read(path: Path, max_bytes: int, *, what: str = "file") -> bytes:
    """The bytes of a JSON input file, at most ``max_bytes``; ``what`` names it in messages.

    A regular file only (see :mod:`securable.inputfile`: a folder, pipe, device, link loop or
    over-long path is refused by name), and never more than one byte past the limit is read.
    """
    from securable.inputfile import MISSING, kind, read_regular, shown

    location = shown(path)
    if kind(path) == MISSING:
        raise InputError(f"{what} not found", hint="check the path", location=location)
    data = read_regular(path, max_bytes, what)
    if len(data) > max_bytes:
        raise InputError(
            f"{what} is larger than the {max_bytes / 2**20:.0f} MiB limit",
            hint="far larger than any real one; check that it is the right file",
            location=location,
        )
    return data


def load(path: Path, max_bytes: int, *, what: str = "file", hint: str | None = None) -> Any:
    """:func:`read` then :func:`parse`."""
    return parse(read(path, max_bytes, what=what), str(path), hint=hint)


def parse(data: bytes, source: str, *, hint: str | None = None) -> Any:
    """The JSON value in ``data``; a :class:`JSONProblem` naming ``source:line:column`` if refused.

    ``hint`` goes with syntax errors (e.g. "only the JSON form is read").
    """
    try:
        # RFC 8259: JSON exchanged between systems is UTF-8 (a byte-order mark is tolerated); UTF-16
        # or -32, which json.loads would guess from the first bytes, is refused with its place.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line, column = _place_in_bytes(data, err.start)
        raise JSONProblem(
            f"not UTF-8 text (bad byte 0x{data[err.start]:02x})",
            source=source,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from err
    try:
        value = json.loads(
            text, object_pairs_hook=_object, parse_float=_float, parse_int=_int, parse_constant=_constant
        )
    except json.JSONDecodeError as err:
        raise JSONProblem(
            f"not valid JSON: {err.msg}", source=source, line=err.lineno, column=err.colno, hint=hint
        ) from err
    except (_Noticed, RecursionError) as err:
        raise _refusal(text, source) from err
    if _too_deep(value):
        raise _refusal(text, source)
    return value


# ---- noticing: hooks for the C parser ------------------------------------------------------------


class _Noticed(Exception):
    """A hook saw something to refuse; :func:`_first_problem` finds what and where."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    made = dict(pairs)
    if len(made) != len(pairs):
        raise _Noticed
    return made


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Noticed
    return value


def _int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS and len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Noticed
    return int(text)


def _constant(name: str) -> Any:
    raise _Noticed


def _too_deep(value: Any) -> bool:
    # Level by level rather than recursively: the check must not itself hit the recursion limit.
    level: list[Any] = [value]
    for _ in range(MAX_DEPTH):
        items = [x for node in level if type(node) is dict for x in node.values()]
        items += [x for node in level if type(node) is list for x in node]
        level = [x for x in items if type(x) is dict or type(x) is list]
        if not level:
            return False
    return True


# ---- finding what and where ----------------------------------------------------------------------


def _refusal(text: str, source: str) -> JSONProblem:
    found = _first_problem(text)
    if found is None:  # the parser ran out of stack before MAX_DEPTH (called from very deep)
        return JSONProblem(f"nested too deeply (more than {MAX_DEPTH} levels)", source=source)
    reason, offset = found
    line, column = _place(text, offset)
    return JSONProblem(reason, source=source, line=line, column=column)


def _first_problem(text: str) -> tuple[str, int] | None:
    """The first thing to refuse in a document the C parser read this far, and its offset.

    An explicit stack of the open containers (each object with its keys and their offsets) instead
    of recursion, so nesting depth costs memory, not stack. Syntax errors end the walk with None:
    the C parser reports those itself.
    """
    open_: list[dict[str, int] | None] = []  # per open container: an object's keys, or None for an array
    i = _skip(text, 0)
    while True:
        # A value starts at i.
        char = text[i : i + 1]
        if char in ("{", "["):
            if len(open_) >= MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep", i
            i = _skip(text, i + 1)
            if char == "[":
                open_.append(None)
                if text.startswith("]", i):
                    open_.pop()
                    i += 1
                else:
                    continue
            else:
                keys: dict[str, int] = {}
                open_.append(keys)
                if text.startswith("}", i):
                    open_.pop()
                    i += 1
                else:
                    found = _key(text, i, keys)
                    if isinstance(found, tuple):
                        return found
                    if found < 0:
                        return None
                    i = found
                    continue
        elif char == '"':
            i = scanstring(text, i + 1)[1]
        elif text.startswith(_CONSTANTS, i):
            name = next(c for c in _CONSTANTS if text.startswith(c, i))
            return f"{name} is not a JSON number", i
        elif (number := _NUMBER.match(text, i)) is not None:
            problem = _number_problem(number)
            if problem:
                return problem, i
            i = number.end()
        elif text.startswith(_LITERALS, i):
            i += 4 if text[i] != "f" else 5
        else:
            return None
        # A value ended at i: close containers, or move on to the next item.
        while True:
            i = _skip(text, i)
            if not open_:
                return None
            top = open_[-1]
            closer = "]" if top is None else "}"
            if text.startswith(closer, i):
                open_.pop()
                i += 1
                continue
            if not text.startswith(",", i):
                return None
            i = _skip(text, i + 1)
            if top is not None:
                found = _key(text, i, top)
                if isinstance(found, tuple):
                    return found
                if found < 0:
                    return None
                i = found
            break


def _key(text: str, i: int, keys: dict[str, int]) -> tuple[str, int] | int:
    """Read ``"key":`` at i: the offset of the value after it, a problem, or -1 for a syntax error."""
    if not text.startswith('"', i):
        return -1
    key, end = scanstring(text, i + 1)
    if key in keys:
        line, column = _place(text, keys[key])
        shown = json.dumps(key if len(key) <= _SHOWN_KEY else key[:_SHOWN_KEY] + "…", ensure_ascii=False)
        return f"duplicate key {shown} (first at line {line}, column {column})", i
    keys[key] = i
    end = _skip(text, end)
    if not text.startswith(":", end):
        return -1
    return _skip(text, end + 1)


def _skip(text: str, i: int) -> int:
    blank = _WHITESPACE.match(text, i)
    return blank.end() if blank else i


def _number_problem(number: re.Match[str]) -> str | None:
    whole, fraction, exponent = number.groups()
    if fraction is None and exponent is None:
        digits = len(whole.lstrip("-"))
        if digits > MAX_INT_DIGITS:
            return f"number with too many digits ({digits:,}; at most {MAX_INT_DIGITS})"
        return None
    if math.isinf(float(number.group())):
        return f"number out of range: {_clip(number.group())} is beyond what a 64-bit float holds"
    return None


def _clip(text: str) -> str:
    return text if len(text) <= 30 else text[:29] + "…"


def _place(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _place_in_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
