"""The YAML layer of product descriptions: read text defensively, keep the place of every value.

At most :data:`MAX_BYTES` (1 MiB) of UTF-8 text is read (a UTF-8 byte-order mark is allowed).
ruamel.yaml composes the node tree only: no objects are constructed from tags, and an alias is a
second reference to one node, not a copy. While the nodes are turned into plain Python values by
hand, anchors and aliases (``&x``, ``*x``: so no alias-expansion bombs), tags other than YAML's plain
core types (``!!python/...``, ``!custom``, ``!!binary``), merge keys and nesting deeper than
:data:`MAX_DEPTH` are refused before anything is expanded, with an :class:`InputError`, as are
syntax errors, more than one document and text that is not UTF-8. Dates stay text (the model checks
them). The 1-based line and column of every key and value are kept; duplicate keys and keys that are
not text are recorded as problems, so they are reported with everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from securable.errors import InputError
from securable.product.introspect import format_loc

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

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
        if key and loc in self.keys:
            return self.keys[loc]
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def add(self, where: tuple[int, int], path: str, what: str, fix: str) -> None:
        head = f"{path}: {what}" if path else what
        self.problems.append(Problem(where[0], where[1], f"{head}; {fix}"))


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


def _refuse(filename: str, mark: Any, what: str, fix: str) -> InputError:
    return InputError(what, hint=fix, location=f"{filename}:{mark.line + 1}:{mark.column + 1}")


def read_yaml(text: str, filename: str) -> SourceDoc:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe", pure=True)
    try:
        # Composing builds nodes only: an alias is the same node again, never a copy, and no tag is
        # acted on. _convert then refuses anchors, aliases and tags before it expands anything.
        root = yaml.compose(text)
    except YAMLError as err:
        raise _syntax_error(err, text, filename) from err
    except RecursionError as err:
        raise InputError(
            f"nesting deeper than {MAX_DEPTH} levels", hint="flatten the structure", location=filename
        ) from err
    doc = SourceDoc(filename)
    if root is None:
        raise InputError(
            "the file holds no YAML document",
            hint="start from `securable init --template`",
            location=filename,
        )
    doc.data = _convert(yaml, root, (), doc)
    return doc


def _screen(node: Node, depth: int, filename: str) -> None:
    """Refuse what a product description never needs: anchors and aliases, tags, deep nesting."""
    mark = node.start_mark
    if getattr(node, "anchor", None):
        raise _refuse(
            filename,
            mark,
            "YAML anchors and aliases (&name, *name) are not allowed",
            "write the values out in full",
        )
    if str(node.tag) not in _ALLOWED_TAGS:
        tag = str(node.tag).replace(_CORE, "!!")
        if tag == "!!merge":
            raise _refuse(
                filename, mark, "YAML merge keys (<<) are not allowed", "write the keys out in full"
            )
        raise _refuse(
            filename,
            mark,
            f"the YAML tag {tag} is not allowed",
            "remove it: a product description holds plain text, numbers, booleans, dates, lists and mappings",
        )
    if depth > MAX_DEPTH:
        raise _refuse(filename, mark, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")


def _syntax_error(err: Any, text: str, filename: str) -> InputError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(getattr(err, "position", None), int):  # ReaderError: a character YAML forbids
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
    else:
        line, column = 1, 1
    problem = str(getattr(err, "problem", None) or getattr(err, "reason", None) or err)
    context = getattr(err, "context", None)
    what = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
    if "single document" in str(context):
        what, fix = "more than one YAML document", "keep one device per file; remove the '---' line"
    elif "'\\t'" in problem or "tab" in problem:
        fix = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        fix = "put a space after each ':' that ends a key, and quote text that contains ': '"
    elif "special characters are not allowed" in problem or "unacceptable character" in problem:
        fix = "remove the control character"
    else:
        fix = "check the indentation, the ':' after keys and the quotes around text near this place"
    return InputError(what, hint=fix, location=f"{filename}:{line}:{column}")


def _convert(yaml: Any, node: Node, loc: Loc, doc: SourceDoc) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    _screen(node, len(loc), doc.filename)
    doc.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _screen(key_node, len(loc) + 1, doc.filename)
            key = _scalar(yaml, key_node, doc) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                doc.add(
                    where, format_loc(loc), "keys must be plain text", "write the key as a word, e.g. name"
                )
                continue
            if key in result:
                first = doc.keys[(*loc, key)]
                doc.add(
                    where,
                    format_loc((*loc, key)),
                    f"duplicate key {key!r} (first given at line {first[0]})",
                    "keep only one of them",
                )
                continue
            doc.keys[(*loc, key)] = where
            result[key] = _convert(yaml, value_node, (*loc, key), doc)
            if isinstance(value_node, ScalarNode) and value_node.value == "" and value_node.style is None:
                doc.values[(*loc, key)] = where  # an empty value has no place of its own: use its key
        return result
    if isinstance(node, SequenceNode):
        return [_convert(yaml, item, (*loc, index), doc) for index, item in enumerate(node.value)]
    doc.texts[loc] = node.value
    return _scalar(yaml, node, doc)


def _scalar(yaml: Any, node: Node, doc: SourceDoc) -> Any:
    tag = str(node.tag)
    if tag in (_CORE + "str", _CORE + "timestamp"):
        return node.value  # dates stay text; the model checks they are real dates
    try:
        return yaml.constructor.construct_object(node, deep=True)
    except Exception as err:  # a value the resolver accepted but cannot be built, e.g. a huge float
        raise _refuse(
            doc.filename, node.start_mark, f"cannot read the value {node.value!r}: {err}", "quote it"
        ) from err
