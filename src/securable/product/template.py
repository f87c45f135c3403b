"""A commented skeleton ``securable.yaml`` with every field, for ``securable init --template``.

Each field is preceded by a comment naming the NISTIR 8259 question(s) it answers (for a field that
refines another, the enclosing field's questions) and a hint with examples. Every list of items gets
one empty item, with a placeholder ``id`` where items have one. All answers are empty, so the
skeleton loads and every question is open.
"""

from __future__ import annotations

import textwrap

from pydantic import BaseModel

from securable.product.introspect import FieldNode, fields_of, walk
from securable.product.model import FORMAT_VERSION, Product
from securable.product.questions import cite
from securable.product.yamlsource import MAX_BYTES

WIDTH = 100
INDENT = 2

_HEADER = f"""\
# Securable product description, format {FORMAT_VERSION}: one IoT device described along the six
# foundational cybersecurity activities of NISTIR 8259 (sections 3.1 to 4.2.6).
#
# - The comment above each field names the question(s) it answers, e.g. Q3.1-4; "part of Q..."
#   marks a field that refines the answer of the field it sits in.
# - Leave a value empty to keep its question open; write [] for an explicit "none".
# - A question that does not apply goes under not_applicable, with the reason.
# - IDs (uc-1, need-1, m-1, ...) are yours to choose; other fields refer to items by them.
# - Plain YAML only: no anchors or aliases, no tags, one document, at most {MAX_BYTES // 1024 // 1024} MiB.
# - Editors can check this file against securable/data/schemas/product.schema.json.
"""


def template_yaml() -> str:
    """The skeleton file, ending with a newline."""
    lines = _HEADER.splitlines()
    for node in fields_of(Product):
        lines.append("")
        lines += _field(node, indent=0, inherited=(), siblings=())
    return "\n".join(lines) + "\n"


def _field(
    node: FieldNode, *, indent: int, inherited: tuple[str, ...], siblings: tuple[str, ...]
) -> list[str]:
    pad = " " * indent
    lines = field_comment(node, pad, inherited, siblings)
    questions = node.answers or inherited
    if node.name == "securable":
        lines.append(f"{pad}securable: {FORMAT_VERSION}")
    elif node.shape == "mapping":
        lines.append(f"{pad}{node.name}: {{}}")
    elif node.shape == "model" and node.model is not None:
        lines.append(f"{pad}{node.name}:")
        lines += _model(node.model, indent=indent + INDENT, inherited=questions)
    elif node.shape == "models" and node.model is not None:
        lines.append(f"{pad}{node.name}:")
        lines += _item(node.model, indent=indent + INDENT, inherited=questions)
    elif node.required and node.example is not None:
        lines.append(f"{pad}{node.name}: {node.example}")
    else:
        lines.append(f"{pad}{node.name}:")
    return lines


def _model(model: type[BaseModel], *, indent: int, inherited: tuple[str, ...]) -> list[str]:
    siblings = tuple(q for node in fields_of(model) for q in node.answers)
    lines: list[str] = []
    for node in fields_of(model):
        lines += _field(node, indent=indent, inherited=inherited, siblings=siblings)
    return lines


def _item(model: type[BaseModel], *, indent: int, inherited: tuple[str, ...]) -> list[str]:
    """One list item: the fields indented under ``- ``, the dash on the first field's line."""
    lines = _model(model, indent=indent + INDENT, inherited=inherited)
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    lines[:first] = [line[INDENT:] for line in lines[:first]]  # its comment goes with the dash
    lines[first] = " " * indent + "- " + lines[first].lstrip()
    return lines


def field_comment(
    node: FieldNode, pad: str, inherited: tuple[str, ...], siblings: tuple[str, ...] = ()
) -> list[str]:
    """The comment above a field: the questions it answers, its description and what it takes."""
    below = tuple(q for sub in walk(node.model) for q in sub.answers) if node.model else ()
    if node.answers:
        cited = cite(node.answers) + ": "
    elif inherited:
        cited = "part of " + cite(inherited) + ": "
    elif below:
        cited = cite(below) + " (in its fields): "
    elif siblings:
        cited = "about " + cite(siblings) + ": "
    else:
        cited = ""
    text = cited + node.description + _kind_hint(node)
    return textwrap.wrap(
        text, width=WIDTH, initial_indent=f"{pad}# ", subsequent_indent=f"{pad}#   ", break_on_hyphens=False
    )


def _kind_hint(node: FieldNode) -> str:
    if node.choices and node.name != "securable":
        joined = " | ".join(node.choices)
        return f" One of: {joined}." if node.shape == "scalar" else f" A list of: {joined}."
    if node.shape == "scalars":
        return " A list."
    if node.scalar is bool:
        return " true or false."
    if node.scalar in (int, float) and node.name != "securable":
        return " A number."
    return ""
