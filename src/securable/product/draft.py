"""The file ``securable init`` writes: the questionnaire's answers in a commented product description.

Every field of the model is written, in the model's order, with a comment citing the question(s) it
answers, as in the template; fields without an answer are left empty (so their questions are open)
and lists nobody described get one blank item to show their shape. The header says how many
questions are answered and which are still open. The text is checked by loading it before it is
written, so the file always loads.
"""

from __future__ import annotations

import itertools
import json
import re
import textwrap
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from securable.product.interview import Loc, plan
from securable.product.introspect import FieldNode, fields_of
from securable.product.model import FORMAT_VERSION, Product
from securable.product.questions import QuestionState
from securable.product.template import field_comment

WIDTH = 100
INDENT = 2
_MISSING = object()
# Text safe to write without quotes: starts with a letter (so never a number, date, or YAML
# indicator), holds no '#' (never a comment) and no ':' before a blank or at the end (never a key);
# URLs and email addresses qualify.
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.;()/'_+&@=?%~-]|:(?=[^ ]))*")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def build_data(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as the plain data of a product description."""
    data: dict[str, Any] = {"securable": FORMAT_VERSION}
    for step in plan(answers):
        value = answers.get(step.key)
        if value is None:
            continue
        if step.head_of is not None and value == []:
            _put(data, step.head_of, [])  # 'none' for the first item: an explicit empty list
            continue
        _put(data, step.loc, step.convert(value) if step.convert else value)
        for name, beside in (step.siblings(value) if step.siblings else {}).items():
            _put(data, (*step.loc[:-1], name), beside)
    return data


def _put(data: dict[str, Any], loc: Loc, value: Any) -> None:
    here: Any = data
    for segment, following in itertools.pairwise(loc):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(segment, int):
            while len(here) <= segment:
                here.append({})
            here = here[segment]
        else:
            here = here.setdefault(segment, empty)
    last = loc[-1]
    if isinstance(last, int):
        while len(here) <= last:
            here.append(None)
    here[last] = value


def render_draft(
    answers: dict[str, Any], *, filename: str, base_dir: Path | None
) -> tuple[str, tuple[QuestionState, ...]]:
    """The file's text and the state of every question; raises ``ValidationFailed`` if the text
    does not load (which would be a bug here: every answer was checked when it was given)."""
    from securable.product import parse_product, question_status

    body = render_body(build_data(answers))
    states = question_status(parse_product(body, filename=filename, base_dir=base_dir))
    return _header(states, filename) + body, states


def _header(states: tuple[QuestionState, ...], filename: str) -> str:
    still_open = [s.question for s in states if s.status == "open"]
    answered = sum(1 for s in states if s.status == "answered")
    lines = [
        f"# Securable product description, format {FORMAT_VERSION}, drafted with `securable init`: one IoT",
        "# device described along the six foundational cybersecurity activities of NISTIR 8259.",
        "#",
        f"# {answered} of {len(states)} questions are answered.",
    ]
    if still_open:
        lines += textwrap.wrap(
            f"Still open ({len(still_open)}), their fields below are empty: " + ", ".join(still_open) + ".",
            WIDTH,
            initial_indent="# ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
        )
        lines.append(f"# `securable questions {filename} --status open` shows where each one is answered.")
    lines += [
        "#",
        "# - The comment above each field names the question(s) it answers, e.g. Q3.1-4; 'part of Q...'",
        "#   marks a field that refines the answer of the field it sits in.",
        "# - Leave a value empty to keep its question open; write [] for an explicit 'none'.",
        "# - A question that does not apply goes under not_applicable, with the reason.",
        "# - Plain YAML only: no anchors or aliases, no tags, one document, at most 1 MiB.",
        "",
    ]
    return "\n".join(lines) + "\n"


def render_body(data: dict[str, Any]) -> str:
    lines: list[str] = []
    for node in fields_of(Product):
        lines.append("")
        lines += _field(node, data.get(node.name, _MISSING), indent=0, inherited=(), comments=True)
    return "\n".join(lines).lstrip("\n") + "\n"


def _field(
    node: FieldNode,
    value: Any,
    *,
    indent: int,
    inherited: tuple[str, ...],
    comments: bool,
    expand: bool = True,
) -> list[str]:
    """One field with its comment. ``expand``: show the fields of an empty nested object or list
    (off inside described list items, where e.g. a non-technical means must have no robustness)."""
    pad = " " * indent
    lines = field_comment(node, pad, inherited) if comments else []
    questions = node.answers or inherited
    if node.name == "securable":
        lines.append(f"{pad}securable: {FORMAT_VERSION}")
    elif node.shape == "mapping":
        lines.append(f"{pad}{node.name}: {{}}")
    elif node.model is not None and value is _MISSING and not expand:
        lines.append(f"{pad}{node.name}:")
    elif node.shape == "model" and node.model is not None:
        lines.append(f"{pad}{node.name}:")
        given = value if isinstance(value, dict) else {}
        lines += _fields(
            node.model, given, indent=indent + INDENT, inherited=questions, comments=comments, expand=expand
        )
    elif node.shape == "models" and node.model is not None:
        if value == []:
            lines.append(f"{pad}{node.name}: []")
        else:
            lines.append(f"{pad}{node.name}:")
            items = value if isinstance(value, list) else [{}]  # a blank item shows the shape
            for index, item in enumerate(items):
                first = comments and index == 0
                lines += _item(node.model, item, indent=indent + INDENT, inherited=questions, comments=first)
    elif node.shape == "scalars":
        if value is _MISSING:
            lines.append(f"{pad}{node.name}:")
        elif not value:
            lines.append(f"{pad}{node.name}: []")
        else:
            lines.append(f"{pad}{node.name}:")
            lines += [f"{pad}{' ' * INDENT}- {_scalar(v, indent + 2 * INDENT, node.scalar)}" for v in value]
    elif value is not _MISSING:
        lines.append(f"{pad}{node.name}: {_scalar(value, indent + INDENT, node.scalar)}")
    elif node.required and node.example is not None:
        lines.append(f"{pad}{node.name}: {node.example}")
    else:
        lines.append(f"{pad}{node.name}:")
    return lines


def _fields(
    model: type[BaseModel],
    given: dict[str, Any],
    *,
    indent: int,
    inherited: tuple[str, ...],
    comments: bool,
    expand: bool = True,
) -> list[str]:
    lines: list[str] = []
    for node in fields_of(model):
        value = given.get(node.name, _MISSING)
        lines += _field(node, value, indent=indent, inherited=inherited, comments=comments, expand=expand)
    return lines


def _item(
    model: type[BaseModel], item: dict[str, Any], *, indent: int, inherited: tuple[str, ...], comments: bool
) -> list[str]:
    """One list item: its fields indented under ``- ``, the dash on the first field's line."""
    lines = _fields(
        model, item, indent=indent + INDENT, inherited=inherited, comments=comments, expand=not item
    )
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    lines[:first] = [line[INDENT:] for line in lines[:first]]  # its comment goes with the dash
    lines[first] = " " * indent + "- " + lines[first].lstrip()
    return lines


def _scalar(value: Any, indent: int, scalar: type | None) -> str:
    """A value as YAML: plain where that is unambiguous, folded when long, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if scalar is not str and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # a date (checked when it was given)
    room = WIDTH - indent
    if len(text) <= room - 20 and _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    if len(text) > room - 20 and text == text.strip() and "  " not in text and "\t" not in text:
        # Folded: the line breaks below become single spaces again when read.
        wrapped = textwrap.wrap(text, room, break_long_words=False, break_on_hyphens=False)
        return ">-\n" + "\n".join(" " * indent + line for line in wrapped)
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars
