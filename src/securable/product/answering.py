"""Answering one NISTIR 8259 question of an existing product description, outside the terminal.

The web workspace shows the questions a description leaves open and where (``use_cases[0].where``);
an answer names one such place and gives its text. The description is read with the hardened
reader, the value converted to the field's type and set in its data, and the whole document written
again by a YAML serializer (never by editing the text), then read back and checked: what is returned
always loads with ``securable check`` and holds exactly the data it was made from. Comments of the
original file are not kept (the new text is a new version; the original stays as it was).

Only places that hold one value or a list of values can be answered this way; nested objects and
lists of objects (a new use case, a means) are edited in the file, as the message says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from securable.errors import InputError
from securable.product.introspect import FieldNode, field_at, format_loc
from securable.product.model import FORMAT_VERSION

Loc = tuple[str | int, ...]

MAX_ANSWER = 4000  # characters, as in `securable init`: longer texts belong in linked documents
_SEGMENT = re.compile(r"([a-z_][a-z0-9_]*)((?:\[[0-9]{1,4}\])*)")
# Control characters, lone surrogates and non-characters cannot be written to YAML or UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_YES = ("y", "yes", "true")
_NO = ("n", "no", "false")
_EDIT_IN_FILE = "download the securable.yaml, edit it and import it as a new version"
HEADER = (
    f"# Securable product description, format {FORMAT_VERSION}, written by the Securable workspace.\n"
    "# `securable questions securable.yaml` lists the NISTIR 8259 questions it answers and leaves open.\n"
)


@dataclass(frozen=True, slots=True)
class Place:
    """One place a question can be answered at: its location and the field there."""

    loc: Loc
    text: str  # ``use_cases[0].where``
    field: FieldNode


def parse_place(text: str) -> Loc:
    """``use_cases[0].where`` as ``("use_cases", 0, "where")``; InputError if it is not a place."""
    loc: list[str | int] = []
    for part in text.split("."):
        match = _SEGMENT.fullmatch(part)
        if match is None:
            raise InputError(f"not a field place: {text[:200]!r}", hint="e.g. use_cases[0].where")
        loc.append(match.group(1))
        loc += [int(index) for index in re.findall(r"\[([0-9]+)\]", match.group(2))]
    return tuple(loc)


def answerable(text: str) -> Place | None:
    """The place named by ``text`` (a ``missing`` entry of a question) if a value can be typed there."""
    try:
        loc = parse_place(text)
    except InputError:
        return None  # e.g. "means[2] (m-x).robustness": a derived question's explanation
    node = field_at(loc)
    if node is None or node.shape not in ("scalar", "scalars") or node.name == "securable":
        return None
    return Place(loc, format_loc(loc), node)


def convert(node: FieldNode, text: str) -> Any:
    """The typed value of an answer typed for ``node``; InputError with what would fit."""
    if len(text) > MAX_ANSWER:
        raise InputError(f"the answer is longer than {MAX_ANSWER} characters", hint="link a document instead")
    if _CONTROL.search(text):
        raise InputError("the answer holds control characters", hint="type plain text")
    if node.shape == "scalars":
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines in ([], ["none"]):
            return [] if lines else _empty()
        return [_scalar(node, line) for line in lines]
    text = text.strip()
    if not text:
        _empty()
    return _scalar(node, text)


def _empty() -> Any:
    raise InputError("the answer is empty", hint="leave the question open instead, or mark it not applicable")


def _scalar(node: FieldNode, text: str) -> Any:
    if node.choices:
        if text not in node.choices:
            raise InputError(f"{text[:80]!r} is not one of the choices", hint=", ".join(node.choices))
        return int(text) if node.scalar is int else text
    if node.scalar is bool:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise InputError("answer yes or no")
    if node.scalar is int:
        if not re.fullmatch(r"-?[0-9]{1,6}", text):
            raise InputError("answer a whole number", hint="e.g. 5")
        return int(text)
    if node.scalar is float:
        try:
            return float(text)
        except ValueError as err:
            raise InputError("answer a number", hint="e.g. 2.5") from err
    if node.scalar is date:
        try:
            return date.fromisoformat(text)
        except ValueError as err:
            raise InputError("answer a date as YYYY-MM-DD", hint="e.g. 2027-06-30") from err
    return text


def answer(raw: bytes, place: str, text: str, *, filename: str = "securable.yaml") -> bytes:
    """A new description: ``raw`` with the value typed as ``text`` at ``place``."""
    found = answerable(place)
    if found is None:
        raise InputError(f"{place[:200]}: cannot be answered here", hint=_EDIT_IN_FILE)
    value = convert(found.field, text)
    data = _data(raw, filename)
    _put(data, found.loc, value)
    return _write(data, filename)


def not_applicable(raw: bytes, question: str, reason: str, *, filename: str = "securable.yaml") -> bytes:
    """A new description: ``raw`` with ``question`` marked not applicable for ``reason``."""
    from securable.product.questions import question_ids

    if question not in question_ids():
        raise InputError(f"no question {question[:40]!r}", hint="see `securable questions`")
    reason = reason.strip()
    if not reason or len(reason) > MAX_ANSWER or _CONTROL.search(reason):
        raise InputError("give the reason the question does not apply, as plain text")
    data = _data(raw, filename)
    marked = data.get("not_applicable")
    data["not_applicable"] = {**(marked if isinstance(marked, dict) else {}), question: reason}
    return _write(data, filename)


def _data(raw: bytes, filename: str) -> dict[str, Any]:
    from securable.product import parse_document
    from securable.product.yamlsource import decode, read_yaml

    text = decode(raw, filename)
    parse_document(text, filename=filename)  # only a description that loads is answered
    data = read_yaml(text.removeprefix("\ufeff"), filename).data
    assert isinstance(data, dict)  # it loaded
    return data


def _put(data: dict[str, Any], loc: Loc, value: Any) -> None:
    here: Any = data
    for at, segment in enumerate(loc[:-1]):
        following = loc[at + 1]
        if isinstance(segment, int):
            if not isinstance(here, list) or segment >= len(here):
                raise InputError(f"{format_loc(loc)}: no such item", hint=_EDIT_IN_FILE)
            if here[segment] is None:
                here[segment] = {}
            here = here[segment]
            continue
        if not isinstance(here, dict):
            raise InputError(f"{format_loc(loc)}: no such field", hint=_EDIT_IN_FILE)
        if here.get(segment) is None:
            if isinstance(following, int):
                raise InputError(f"{format_loc(loc)}: no such item", hint=_EDIT_IN_FILE)
            here[segment] = {}
        here = here[segment]
    if not isinstance(here, dict):
        raise InputError(f"{format_loc(loc)}: no such field", hint=_EDIT_IN_FILE)
    here[loc[-1]] = value


def _write(data: dict[str, Any], filename: str) -> bytes:
    """The data as YAML, checked to load and to hold the same data (else a bug: InputError)."""
    import yaml

    from securable.product import parse_document
    from securable.product.yamlsource import read_yaml

    body = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False, indent=2
    )
    text = HEADER + "\n" + body
    parse_document(text, filename=filename)  # ValidationFailed if the answer does not fit the model
    if read_yaml(text, filename).data != data:
        raise InputError("the answer could not be written faithfully", hint=_EDIT_IN_FILE)
    return text.encode("utf-8")
