"""The YAML layer of product descriptions: read text defensively, keep the place of every value.

At most :data:`MAX_BYTES` (1 MiB) of UTF-8 text is read (a UTF-8 byte-order mark is allowed).
PyYAML's parser (libyaml, in C, when PyYAML was built with it) turns the text into a stream of
events; this module builds plain Python values from them as they come, one event at a time. Nothing
is ever constructed from a tag and no alias is ever followed: the first anchor or alias (``&x``,
``*x``: so no alias-expansion bombs), tag other than YAML's plain core types (``!!python/...``,
``!custom``, ``!!binary``), merge key (``<<``) or nesting deeper than :data:`MAX_DEPTH` stops the
reading at once with an :class:`InputError`, before anything after it is read, as do syntax errors,
a second document and text that is not UTF-8.

Plain scalars are typed by the YAML 1.2 core schema (as ruamel.yaml did before): ``yes``, ``no``,
``on``, ``NO`` stay text, ``0755`` is 755, ``1:30`` is text; ``1_000`` is 1000. Dates stay text (the
model checks them). The 1-based line and column of every key and value are kept, and every scalar as
written (``2.10``, not 2.1); duplicate keys and keys that are not text are recorded as problems, so
they are reported with everything else.

``yaml`` is imported only when a file is read, so importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from sys import intern
from typing import TYPE_CHECKING, Any

from securable.errors import InputError
from securable.product.introspect import format_loc

if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Mapping
    from pathlib import Path

MAX_BYTES = 1024 * 1024  # 1 MiB: far more than any real product description needs
MAX_DEPTH = 64
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    line: int
    column: int
    text: str


@dataclass
class SourceDoc:
    """A YAML document as plain values, with 1-based (line, column) of every value and key."""

    filename: str
    data: Any = None
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    texts: dict[Loc, str] = field(default_factory=dict)  # scalars as written, e.g. "1.10" for 1.1
    problems: list[Problem] = field(default_factory=list)

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or the key) at ``loc``, else of the nearest enclosing value."""
        return position(self.values, self.keys, loc, key=key)

    def add(self, where: tuple[int, int], path: str, what: str, fix: str) -> None:
        head = f"{path}: {what}" if path else what
        self.problems.append(Problem(where[0], where[1], f"{head}; {fix}"))


def position(
    values: Mapping[Loc, tuple[int, int]], keys: Mapping[Loc, tuple[int, int]], loc: Loc, *, key: bool = False
) -> tuple[int, int]:
    """Position of the value (or the key) at ``loc``, else of the nearest enclosing value, else (1, 1)."""
    if key and loc in keys:
        return keys[loc]
    while loc not in values and loc:
        loc = loc[:-1]
    return values.get(loc, (1, 1))


def check_size(size: int, filename: str) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{filename} is larger than {MAX_BYTES // 1024 // 1024} MiB",
            hint="a product description is a few hundred lines; move long texts to linked documents",
        )


def decode(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[err.start]:02x})",
            hint="save the file with UTF-8 encoding",
            location=f"{filename}:{line}:{column}",
        ) from err


def read_text(path: Path, *, what: str, hint: str) -> str:
    """The UTF-8 text of a YAML input file, refused cleanly when it is not a regular file (missing, a
    folder, a named pipe, a link loop: see :mod:`securable.inputfile`), too big or not UTF-8.

    ``what`` names the kind of file in messages ("file", "profile file"); ``hint`` says how to get one.
    """
    from securable.inputfile import read_regular

    raw = read_regular(path, MAX_BYTES, what, hint)
    check_size(len(raw), str(path))
    return decode(raw, str(path))


def read_yaml(text: str, filename: str) -> SourceDoc:
    """Read one YAML document; raises :class:`InputError` for anything refused (see the module doc)."""
    import yaml

    doc = SourceDoc(filename)
    loader_class = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    try:
        loader = loader_class(text)  # only its parser is used: events in, no nodes, no objects
    except (yaml.YAMLError, UnicodeEncodeError) as err:  # lone surrogates cannot be given to libyaml
        raise _parse_error(err, text, filename) from err
    try:
        doc.data = _Reader(doc, loader.get_event).document()
    except yaml.YAMLError as err:
        raise _parse_error(err, text, filename) from err
    finally:
        loader.dispose()
    return doc


class _Reader:
    """Builds plain values from parser events, one node at a time.

    Every node is screened before anything below or after it is read. Recursion follows nesting,
    which stops at MAX_DEPTH, so it stays shallow however deep the text is nested.
    """

    __slots__ = (
        "doc",
        "filename",
        "keys",
        "mapping_end",
        "mapping_start",
        "next_event",
        "resolvers",
        "scalar",
        "sequence_end",
        "texts",
        "values",
    )

    def __init__(self, doc: SourceDoc, next_event: Callable[[], Any]) -> None:  # events, duck-typed
        from yaml import events

        self.doc = doc
        self.filename = doc.filename
        self.values = doc.values
        self.keys = doc.keys
        self.texts = doc.texts
        self.next_event = next_event
        self.resolvers = _resolvers()
        self.scalar = events.ScalarEvent
        self.mapping_start = events.MappingStartEvent
        self.mapping_end = events.MappingEndEvent
        self.sequence_end = events.SequenceEndEvent

    def document(self) -> Any:
        from yaml.events import DocumentStartEvent, StreamEndEvent

        self.next_event()  # the stream start
        if isinstance(self.next_event(), StreamEndEvent):  # else the document start
            raise InputError(
                "the file holds no YAML document",
                hint="start from `securable init --template`",
                location=self.filename,
            )
        data = self.node(self.next_event(), (), 0, True)
        self.next_event()  # the document end
        event = self.next_event()
        if isinstance(event, DocumentStartEvent):
            raise _refuse(
                self.filename,
                event.start_mark,
                "more than one YAML document",
                "keep one device per file; remove the '---' line",
            )
        return data

    def node(self, event: Any, loc: Loc, depth: int, record: bool) -> Any:
        """The value of the node starting with ``event``; ``record`` keeps places, texts and problems."""
        if event.anchor is not None:  # an anchor (&x) on this node, or an alias (*x): refused unread
            raise _refuse(
                self.filename,
                event.start_mark,
                "YAML anchors and aliases (&name, *name) are not allowed",
                "write the values out in full",
            )
        tag: str | None = event.tag
        if type(event) is self.scalar:
            text: str = event.value
            if tag is None or tag == "!":  # typed by how it is written: quoted is text, plain is resolved
                tag = _STR
                if event.implicit[0] and (resolvers := self.resolvers.get(text[:1])):
                    if text[:1] in _WORD_FIRST and text[-1:] != "\n":  # true, null, ...: one lookup
                        tag = _WORDS.get(text, _STR)
                    else:
                        tag = next((t for t, pattern in resolvers if pattern.match(text)), _STR)
                    if tag == _MERGE:
                        raise _refuse_tag(self.filename, event.start_mark, tag)
            elif tag not in _ALLOWED_TAGS:
                raise _refuse_tag(self.filename, event.start_mark, tag)
            if depth > MAX_DEPTH:
                raise _too_deep(self.filename, event.start_mark)
            if record:
                mark: Any = event.start_mark
                self.values[loc] = (mark.line + 1, mark.column + 1)
                self.texts[loc] = text
            return text if tag is _STR else _construct(tag, text, self.filename, event.start_mark)
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            raise _refuse_tag(self.filename, event.start_mark, tag)
        if depth > MAX_DEPTH:
            raise _too_deep(self.filename, event.start_mark)
        if record:
            mark = event.start_mark
            self.values[loc] = (mark.line + 1, mark.column + 1)
        if type(event) is self.mapping_start:
            return self.mapping(loc, depth, record)
        items: list[Any] = []  # a sequence: aliases were refused above
        next_event, end, node = self.next_event, self.sequence_end, self.node
        while type(event := next_event()) is not end:
            items.append(node(event, (*loc, len(items)), depth + 1, record))
        return items

    def mapping(self, loc: Loc, depth: int, record: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        next_event, end, node, scalar = self.next_event, self.mapping_end, self.node, self.scalar
        resolvers, values, texts, keys = self.resolvers, self.values, self.texts, self.keys
        depth += 1
        shallow = depth <= MAX_DEPTH
        while type(event := next_event()) is not end:
            # Fast way for the common key, plain text no resolver applies to; else as any node.
            if (
                shallow
                and type(event) is scalar
                and event.anchor is None
                and event.tag is None
                and _plain_text(event.implicit[0], event.value, resolvers)
            ):
                key = event.value
            else:
                key = node(event, loc, depth, False)
            value_event = next_event()
            if type(key) is not str or key in first_line:
                if record:
                    self.key_problem(event.start_mark, loc, key, first_line)
                node(value_event, loc, depth, False)  # screened and skipped; nothing kept
                continue
            key = intern(key)  # the same few names over and over: one string each, shared by all
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            first_line[key] = where[0]
            value_loc = (*loc, key)
            if (
                shallow
                and type(value_event) is scalar
                and value_event.anchor is None
                and value_event.tag is None
                and _plain_text(value_event.implicit[0], value_event.value, resolvers)
            ):  # text as it stands, the same as node() gives
                text: str = value_event.value
                if record:
                    at: Any = value_event.start_mark
                    values[value_loc] = (at.line + 1, at.column + 1)
                    texts[value_loc] = text
                result[key] = text
            else:
                result[key] = node(value_event, value_loc, depth, record)
            if record:
                keys[value_loc] = where
                if type(value_event) is scalar and value_event.value == "" and not value_event.style:
                    values[value_loc] = where  # an empty value has no place of its own: use its key
        return result

    def key_problem(self, mark: Any, loc: Loc, key: Any, first_line: dict[str, int]) -> None:
        where = (mark.line + 1, mark.column + 1)
        if not isinstance(key, str):
            self.doc.add(
                where, format_loc(loc), "keys must be plain text", "write the key as a word, e.g. name"
            )
        else:
            self.doc.add(
                where,
                format_loc((*loc, key)),
                f"duplicate key {key!r} (first given at line {first_line[key]})",
                "keep only one of them",
            )


# --- the YAML 1.2 core schema ------------------------------------------------------------------------

_STR = _CORE + "str"
_MERGE = _CORE + "merge"
# What an explicit !!bool accepts (YAML 1.1 words included, as ruamel.yaml did); implicitly, only
# true and false are booleans, so `no` and `NO` (Norway) stay text.
_BOOL_VALUES = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False}
_BOOL_VALUES |= {"on": True, "off": False}
# Implicit resolvers: (tag, pattern, first characters), tried in this order. Timestamps are left out:
# they stay text, like any other text. `=` is text too (YAML 1.1's !!value is not core).
_IMPLICIT = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    ("int", r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$", "-+0123456789"),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"^(?:~|null|Null|NULL|)$", ("~", "n", "N", "")),
)


# For these first characters only booleans (t, f) or nulls (n, ~, empty) resolve: whole words, so a
# set lookup gives what the patterns give (a trailing line break, which `$` allows, takes the patterns).
_WORD_FIRST = frozenset(("t", "T", "f", "F", "n", "N", "~", ""))
_WORDS = dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), _CORE + "bool")
_WORDS |= dict.fromkeys(("~", "null", "Null", "NULL", ""), _CORE + "null")


def _plain_text(plain: bool, text: str, resolvers: Mapping[str, object]) -> bool:
    """Whether an untagged scalar is text as written (quoted, or plain that no resolver takes)."""
    if not plain:
        return True
    first = text[:1]
    if first not in resolvers:
        return True
    return first in _WORD_FIRST and text not in _WORDS and text[-1:] != "\n"


@cache
def _resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    import re

    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, first in _IMPLICIT:
        compiled = re.compile(pattern, re.X)
        for char in first:
            by_first.setdefault(char, []).append((_CORE + name, compiled))
    return by_first


def _construct(tag: str, text: str, filename: str, mark: Any) -> Any:
    try:
        return _value(tag[len(_CORE) :], text)
    except (ValueError, KeyError, IndexError) as err:  # e.g. `!!int x`, `!!bool maybe`, 5000 digits
        raise _refuse(filename, mark, f"cannot read the value {text!r}: {err}", "quote it") from err


def _value(kind: str, text: str) -> Any:
    """The value of a scalar with a core tag, as ruamel.yaml built it for YAML 1.2."""
    if kind in ("str", "timestamp"):
        return text  # dates stay text; the model checks they are real dates
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOL_VALUES[text.lower()]
    if kind == "int":
        digits = text.replace("_", "")
        sign = -1 if digits[0] == "-" else 1
        digits = digits[1:] if digits[0] in "+-" else digits
        for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
            if digits.startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits)
    if kind == "float":
        number = text.replace("_", "").lower()
        sign_f = -1.0 if number[0] == "-" else 1.0
        number = number[1:] if number[0] in "+-" else number
        if number == ".inf":
            return sign_f * float("inf")
        return float("nan") if number == ".nan" else sign_f * float(number)
    raise ValueError(f"a {'mapping' if kind == 'map' else 'sequence'} cannot be written as text")


# --- refusals and syntax errors ----------------------------------------------------------------------


def _refuse(filename: str, mark: Any, what: str, fix: str) -> InputError:
    return InputError(what, hint=fix, location=f"{filename}:{mark.line + 1}:{mark.column + 1}")


def _refuse_tag(filename: str, mark: Any, tag: str) -> InputError:
    shown = tag.replace(_CORE, "!!")
    if shown == "!!merge":
        return _refuse(filename, mark, "YAML merge keys (<<) are not allowed", "write the keys out in full")
    return _refuse(
        filename,
        mark,
        f"the YAML tag {shown} is not allowed",
        "remove it: a product description holds plain text, numbers, booleans, dates, lists and mappings",
    )


def _too_deep(filename: str, mark: Any) -> InputError:
    return _refuse(filename, mark, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")


def _parse_error(err: Exception, text: str, filename: str) -> InputError:
    """An :class:`InputError` for text the parser rejects, at its place."""
    import yaml

    if yaml.__with_libyaml__:
        # libyaml's messages are terse ("found character that cannot start any token"); PyYAML's
        # Python parser fails at the same place and names the problem, so read the text once more
        # with it. This costs time only for broken files; it composes nothing, so nothing expands.
        try:
            for _ in yaml.parse(text, Loader=yaml.SafeLoader):
                pass
        except yaml.YAMLError as detailed:
            return _syntax_error(detailed, text, filename, getattr(detailed, "position", None))
    if isinstance(err, UnicodeEncodeError):
        return _syntax_error(err, text, filename, err.start)
    position = getattr(err, "position", None)
    if isinstance(position, int) and yaml.__with_libyaml__:  # libyaml counts bytes, not characters
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    return _syntax_error(err, text, filename, position)


def _syntax_error(err: Exception, text: str, filename: str, position: int | None) -> InputError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif position is not None:
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
    else:
        line, column = 1, 1
    problem = str(getattr(err, "problem", None) or getattr(err, "reason", None) or err)
    context = getattr(err, "context", None)
    what = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
    if "'\\t'" in problem or "tab" in problem:
        fix = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        fix = "put a space after each ':' that ends a key, and quote text that contains ': '"
    elif (
        "special characters are not allowed" in problem
        or "control characters are not allowed" in problem
        or "unacceptable character" in problem
        or isinstance(err, UnicodeEncodeError)
    ):
        fix = "remove the control character"
    else:
        fix = "check the indentation, the ':' after keys and the quotes around text near this place"
    return InputError(what, hint=fix, location=f"{filename}:{line}:{column}")
