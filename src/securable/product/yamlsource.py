"""The YAML layer of product descriptions: read text defensively, keep the place of every value.

At most :data:`MAX_BYTES` (1 MiB) of UTF-8 text is read (a UTF-8 byte-order mark is allowed).
PyYAML's parser (libyaml, in C, when PyYAML was built with it) turns the text into a stream of
events; this module builds plain Python values from them as they come, one event at a time. Nothing
is ever constructed from a tag and no alias is ever followed: the first anchor or alias (``&x``,
``*x``: so no alias-expansion bombs), tag other than YAML's plain core types (``!!python/...``,
``!custom``, ``!!binary``), merge key (``<<``) or nesting deeper than :data:`MAX_DEPTH` stops the
reading at once with an :class:`InputError`, before anything after it is read, as do syntax errors,
a second document and text that is not UTF-8. libyaml has a nesting limit of its own (1,000 levels)
and, as its scanner reads ahead of the events, on a long line of brackets it can strike before our
reader sees level 65: that is reported the same way, placed by one linear scan of the text. Text
that fails to parse is never parsed again for a better message, so refusing any file up to 1 MiB
takes milliseconds.

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
from securable.inputs import MAX_YAML_BYTES
from securable.product.introspect import format_loc

if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Mapping

MAX_BYTES = MAX_YAML_BYTES
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
    read_files: dict[str, tuple[str, int]] = field(
        default_factory=dict
    )  # read to check it: path -> (SHA-256, size)

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
    """An :class:`InputError` for text the parser rejects, at its place.

    Everything comes from the one parse that failed: its error and the character at its mark. The
    text is never parsed again for a better message, as a hostile file would make that slow (PyYAML's
    Python parser takes minutes over a megabyte of brackets).
    """
    import yaml

    mark = getattr(err, "problem_mark", None)
    if mark is not None and getattr(err, "problem", None) == "exceeded maximum nesting depth":
        # libyaml's own limit (1,000 levels) struck first: its scanner runs ahead of the events, so on
        # a long line of brackets it goes deeper than ours before our reader sees level 65.
        return _too_deep(filename, _Mark(*_line_column(text, _deep_place(text, mark.index))))
    if isinstance(err, UnicodeEncodeError):
        return _syntax_error(err, text, filename, err.start)
    position = getattr(err, "position", None)
    if isinstance(position, int) and yaml.__with_libyaml__:  # libyaml counts bytes, not characters
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    return _syntax_error(err, text, filename, position)


@dataclass(frozen=True, slots=True)
class _Mark:
    """A 0-based place, as PyYAML's marks give it."""

    line: int
    column: int


def _line_column(text: str, index: int) -> tuple[int, int]:
    """0-based line and column of ``text[index]``."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index), index - line_start


_SCAN_LIMIT = 20_000


def _deep_place(text: str, end: int) -> int:
    """Where flow nesting first goes deeper than :data:`MAX_DEPTH`, by one linear scan of ``text[:end]``.

    Called only when libyaml stopped at its own, higher, limit at ``end``; so the text surely nests
    too deep, and only the place is sought. Inside brackets a plain scalar cannot hold a bracket, so
    brackets, quotes and comments are all that matter there; outside, a bracket or quote opens
    something only where a value starts. Block scalars are not recognised (a bracket in one would be
    counted), which can only move the place reported, never the refusal. At most
    :data:`_SCAN_LIMIT` brackets, quotes and comment signs are looked at, so a file of many small
    lists before the deep one costs some tens of milliseconds at most; ``end`` if no place is found
    within that.
    """
    import re

    significant = re.compile(r"""[\[\]{}"'#]""")
    depth = 0
    index = 0
    for _ in range(_SCAN_LIMIT):
        found = significant.search(text, index, end)
        if found is None:
            break
        index = found.start()
        char = text[index]
        if char in "[{" and (depth > 0 or _value_starts(text, index, inside=False)):
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}" and depth > 0:
            depth -= 1
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index, end)
            index = end if newline < 0 else newline
            continue
        elif char in "'\"" and _value_starts(text, index, inside=depth > 0):
            index = _quoted_end(text, index, end)
            continue
        index += 1
    return end


def _value_starts(text: str, index: int, *, inside: bool) -> bool:
    """Whether a value can start at ``text[index]``: first on its line, after an indicator (``- ``,
    ``? ``, ``: ``) or, ``inside`` brackets, after ``[``, ``{``, ``,`` or ``:``. Elsewhere a quote
    or bracket is part of a plain scalar (``it's``). Looks back over blanks only, so the scan stays
    linear."""
    before = index
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before == 0 or text[before - 1] == "\n":
        return True
    indicator = text[before - 1]
    if inside:
        return indicator in "[{,:?"
    return (
        before < index
        and indicator in "-?:"
        and (before == 1 or text[before - 2] in " \t\n" or indicator == ":")
    )


def _quoted_end(text: str, start: int, end: int) -> int:
    """The index after the quoted scalar opening at ``start`` (``end`` if it does not close before)."""
    quote = text[start]
    index = start + 1
    while (close := text.find(quote, index, end)) >= 0:
        if quote == "'" and text.startswith("''", close):  # '' is a quote inside single quotes
            index = close + 2
        elif quote == '"' and _escaped(text, close):
            index = close + 1
        else:
            return close + 1
    return end


def _escaped(text: str, index: int) -> bool:
    """Whether ``text[index]`` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


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
    if problem == "found character that cannot start any token" and mark is not None:
        problem = f"found character {_char_at(text, mark)} that cannot start any token"  # libyaml's words
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


def _char_at(text: str, mark: Any) -> str:
    """The character at a parser's mark, quoted, when the mark's index agrees with its line and column."""
    index = mark.index
    if 0 <= index < len(text) and _line_column(text, index) == (mark.line, mark.column):
        return repr(text[index])
    return "a character"
