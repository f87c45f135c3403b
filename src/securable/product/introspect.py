"""Walking the product model's fields: paths, shapes, allowed values and the questions they answer.

The question map, the template and the loader's error messages all read the model through here,
so a new field is picked up everywhere by adding it to :mod:`securable.product.model` alone.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal, Union

from pydantic import BaseModel

from securable.product.model import Product

Shape = Literal["scalar", "model", "models", "scalars", "mapping"]


@dataclass(frozen=True, slots=True)
class FieldNode:
    """One field of the model, at one place in the file."""

    path: str  # e.g. "use_cases[].research.trust"
    name: str
    shape: Shape
    scalar: type | None  # the scalar type of a scalar or of list items: str, int, bool, date
    choices: tuple[str, ...]  # allowed values of a Literal scalar (or of list items)
    model: type[BaseModel] | None  # the model of a nested object or of list items
    answers: tuple[str, ...]
    description: str
    required: bool
    example: str | None


def _unwrap(annotation: Any) -> Any:
    """Drop ``Optional`` and ``Annotated`` wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _classify(annotation: Any) -> tuple[Shape, type | None, tuple[str, ...], type[BaseModel] | None]:
    inner = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if origin in (tuple, list):
        item = _unwrap(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "models", None, (), item
        scalar, choices = _scalar(item)
        return "scalars", scalar, choices, None
    if origin in (dict, Mapping):
        return "mapping", str, (), None
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "model", None, (), inner
    scalar, choices = _scalar(inner)
    return "scalar", scalar, choices, None


def _scalar(annotation: Any) -> tuple[type | None, tuple[str, ...]]:
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        return type(values[0]), tuple(str(v) for v in values)
    if annotation in (str, int, float, bool, date):
        return typing.cast(type, annotation), ()
    return None, ()


def fields_of(model: type[BaseModel], prefix: str = "") -> Iterator[FieldNode]:
    """The direct fields of ``model``, in declaration order."""
    for name, info in model.model_fields.items():
        shape, scalar, choices, sub = _classify(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        answers = extra.get("answers", [])
        examples = info.examples or []
        yield FieldNode(
            path=f"{prefix}.{name}" if prefix else name,
            name=name,
            shape=shape,
            scalar=scalar,
            choices=choices,
            model=sub,
            answers=tuple(str(a) for a in answers) if isinstance(answers, list) else (),
            description=info.description or "",
            required=info.is_required(),
            example=str(examples[0]) if examples else None,
        )


def walk(model: type[BaseModel] = Product, prefix: str = "") -> Iterator[FieldNode]:
    """Every field below ``model``, depth first, in declaration order."""
    for node in fields_of(model, prefix):
        yield node
        if node.model is not None:
            yield from walk(node.model, node.path + ("[]" if node.shape == "models" else ""))


@cache
def all_fields() -> tuple[FieldNode, ...]:
    return tuple(walk())


@cache
def field_by_path() -> dict[str, FieldNode]:
    return {node.path: node for node in all_fields()}


def model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the fields at data location ``loc`` (list indexes included)."""
    model: type[BaseModel] = Product
    for segment in loc:
        if isinstance(segment, int):
            continue
        info = model.model_fields.get(segment)
        if info is None:
            return None
        _, _, _, sub = _classify(info.annotation)
        if sub is None:
            return None
        model = sub
    return model


def field_at(loc: tuple[str | int, ...]) -> FieldNode | None:
    """The field at data location ``loc``, e.g. ``("use_cases", 0, "where")``."""
    parts: list[str] = []
    for segment in loc:
        if isinstance(segment, int):
            parts[-1:] = [parts[-1] + "[]"] if parts else []
        else:
            parts.append(segment)
    return field_by_path().get(".".join(parts))


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``("use_cases", 0, "where")`` as ``use_cases[0].where``."""
    text = ""
    for segment in loc:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else segment
    return text
