"""Which fields answer which NISTIR 8259 questions, and how far a product description answers each.

The map is read from the model (each answering field lists its question IDs under ``answers``), so
the set of questions a product description covers is exactly the set its fields name. Question
texts live in the ``nistir-8259-questions`` catalog, not here.

A question is

* **not applicable** when the file's ``not_applicable`` map names it (with a reason);
* **answered** when every field that answers it is filled everywhere it occurs (in every use case,
  every audience, ...): text that is not blank, any number, boolean or date, an object with at least
  one filled field, or a list that is empty (an explicit "none") or has a filled item;
* **open** otherwise; ``missing`` then says where.

The questions about means (3.3 and 4.2.6) are worked out from the ``means`` list instead: every need
has a means, every technical means has a robustness, which kinds of provider appear, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

from pydantic import BaseModel

from securable.product.introspect import all_fields
from securable.product.model import TECHNICAL_KINDS, MeansKind, Product

_QUESTION_RE = re.compile(r"^Q([0-9.]+)-([0-9]+)(?:\.([a-z]))?$")


class Status(StrEnum):
    ANSWERED = "answered"
    OPEN = "open"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True, slots=True)
class QuestionState:
    question: str
    status: Status
    fields: tuple[str, ...]  # the field paths that answer the question
    missing: tuple[str, ...] = ()  # where an open question still lacks an answer
    reason: str | None = None  # why the question does not apply


def question_sort_key(question: str) -> tuple[tuple[int, ...], int, str]:
    """Document order: ``Q3.4-2`` < ``Q3.4-10`` < ``Q4.1-1`` < ``Q4.2.6-1`` < ``Q4.2.6-1.a``."""
    match = _QUESTION_RE.match(question)
    if not match:
        raise ValueError(f"not a question ID: {question!r}")
    section, number, part = match.groups()
    return tuple(int(p) for p in section.split(".")), int(number), part or ""


@cache
def answer_sites() -> dict[str, tuple[str, ...]]:
    """Question ID → the paths of the fields that answer it, questions in document order."""
    sites: dict[str, list[str]] = {}
    for node in all_fields():
        for question in node.answers:
            sites.setdefault(question, []).append(node.path)
    return {q: tuple(sites[q]) for q in sorted(sites, key=question_sort_key)}


@cache
def question_ids() -> tuple[str, ...]:
    """Every question a product description can answer, in document order."""
    return tuple(answer_sites())


@cache
def field_answers() -> dict[str, tuple[str, ...]]:
    """Field path → the questions the field itself names (fields that name none are left out)."""
    return {node.path: node.answers for node in all_fields() if node.answers}


def questions_for(path: str) -> tuple[str, ...]:
    """The questions a field contributes to: its own; else those of the nearest enclosing field that
    names some; else (for a container such as ``use_cases``) those its fields answer; else (for an
    identifier or label such as ``needs[].kind``) those of the fields beside it; else (for a field
    of a detail object, such as ``use_cases[].period_of_use_years.min``) those of that object."""
    own = field_answers()
    if path in own:
        return own[path]
    parent = path
    while "." in parent:
        parent = parent.rsplit(".", 1)[0].removesuffix("[]")
        if parent in own:
            return own[parent]
    below = {q for p, qs in own.items() if p.startswith((path + ".", path + "[]")) for q in qs}
    if not below and "." in path:
        siblings = path.rsplit(".", 1)[0] + "."
        below = {
            q for p, qs in own.items() if p.startswith(siblings) and "." not in p[len(siblings) :] for q in qs
        }
    if not below and "." in path:
        return questions_for(path.rsplit(".", 1)[0].removesuffix("[]"))
    return tuple(sorted(below, key=question_sort_key))


def filled(value: object) -> bool:
    """Whether a value counts as an answer (see the module docstring)."""
    if value is None:
        return False
    cls = type(value)
    if cls is str:  # the common cases first, by exact type; subclasses take the general way below
        return bool(value.strip())  # type: ignore[attr-defined]
    if cls is bool or cls is int:
        return True
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, bool | int | float | date):
        return True
    if isinstance(value, BaseModel):
        return any(filled(getattr(value, name)) for name in _answer_fields(type(value)))
    if isinstance(value, Mapping):
        return not value or any(filled(v) for v in value.values())
    if isinstance(value, Sequence):
        return not value or any(filled(v) for v in value)
    return True


@cache
def _answer_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that count towards it being filled: all but ``id``, in order."""
    fields: Mapping[str, object] = getattr(model, "model_fields", {})
    return tuple(name for name in fields if name != "id")


# A field path split once: (attribute name, whether it is a list) per segment.
_Steps = tuple[tuple[str, bool], ...]


def _open_places(obj: object, steps: _Steps, at: int, here: str, places: list[str]) -> None:
    """Append to ``places`` where the field at ``steps[at:]`` (below ``obj``) is not filled."""
    name, many = steps[at]
    value = getattr(obj, name)
    place = f"{here}.{name}" if here else name
    at += 1
    if at == len(steps):
        if not filled(value):
            places.append(place)
        return
    if value is None:
        places.append(place)
        return
    if many:
        for index, item in enumerate(value):
            _open_places(item, steps, at, f"{place}[{index}]", places)
        return
    _open_places(value, steps, at, place, places)


@cache
def _question_steps() -> dict[str, tuple[_Steps, ...]]:
    """Question ID → the answering field paths, each split into steps once per process."""
    return {
        question: tuple(
            tuple((segment.removesuffix("[]"), segment.endswith("[]")) for segment in path.split("."))
            for path in paths
        )
        for question, paths in answer_sites().items()
    }


def _generic(product: Product, question: str) -> list[str]:
    places: list[str] = []
    for steps in _question_steps()[question]:
        _open_places(product, steps, 0, "", places)
    return places


# --- the questions about means ---------------------------------------------------------------


def _kinds_present(product: Product, kinds: tuple[MeansKind, ...], what: str) -> list[str]:
    return [] if product.means_of_kind(*kinds) else [f"means (no {what} means yet)"]


def _every_need_addressed(product: Product) -> list[str]:
    places = [] if product.needs else ["needs"]
    if product.means is None:
        places.append("means")
    if places:
        return places
    return [
        f"needs[{index}] ({need.id}): no means addresses it"
        for index, need in enumerate(product.needs or ())
        if not product.means_for(need.id)
    ]


def _robustness(product: Product) -> list[str]:
    technical = [(i, m) for i, m in enumerate(product.means or ()) if m.kind in TECHNICAL_KINDS]
    if not technical:
        return ["means (no technical means yet)"]
    return [f"means[{i}] ({m.id}).robustness" for i, m in technical if not filled(m.robustness)]


def _providers(product: Product) -> list[str]:
    if not product.means:
        return ["means"]
    places = [f"means[{i}] ({m.id}).kind" for i, m in enumerate(product.means) if m.kind is None]
    return places + _robustness(product)


def _risk_effects(product: Product) -> list[str]:
    if not product.means:
        return ["means"]
    return [
        f"means[{i}] ({m.id}).risk_effect" for i, m in enumerate(product.means) if not filled(m.risk_effect)
    ]


_DERIVED: dict[str, Callable[[Product], list[str]]] = {
    "Q3.3-1": _every_need_addressed,
    "Q3.3-2": _robustness,
    "Q3.3-3": _providers,
    "Q4.2.6-1": lambda p: _kinds_present(p, TECHNICAL_KINDS, "device, related-device or service"),
    "Q4.2.6-1.a": lambda p: _kinds_present(p, ("device",), "device"),
    "Q4.2.6-1.b": lambda p: _kinds_present(p, ("related-device",), "related-device"),
    "Q4.2.6-1.c": lambda p: _kinds_present(p, ("service",), "service"),
    "Q4.2.6-2": lambda p: _kinds_present(p, ("non-technical",), "non-technical"),
    "Q4.2.6-3": lambda p: _kinds_present(p, ("customer",), "customer"),
    "Q4.2.6-4": _risk_effects,
}


def question_status(product: Product, *, honour_not_applicable: bool = True) -> tuple[QuestionState, ...]:
    """The state of every question, in document order.

    With ``honour_not_applicable=False`` the ``not_applicable`` map is ignored, which tells whether a
    question marked not applicable is nonetheless answered.
    """
    states: list[QuestionState] = []
    for question, paths in answer_sites().items():
        reason = product.not_applicable.get(question) if honour_not_applicable else None
        if reason is not None:
            states.append(QuestionState(question, Status.NOT_APPLICABLE, paths, reason=reason))
            continue
        check = _DERIVED.get(question)
        # Once each, in order: a missing parent ("customers") is the place of all its open fields.
        missing = tuple(dict.fromkeys(check(product) if check else _generic(product, question)))
        status = Status.OPEN if missing else Status.ANSWERED
        states.append(QuestionState(question, status, paths, missing))
    return tuple(states)


def status_counts(states: Sequence[QuestionState]) -> dict[Status, int]:
    """How many questions are in each state."""
    counts = dict.fromkeys(Status, 0)
    for state in states:
        counts[state.status] += 1
    return counts


def cite(questions: Sequence[str]) -> str:
    """Question IDs in document order, runs of three or more as ``Q3.2-1 to Q3.2-7``."""
    order = question_ids()
    positions = sorted({order.index(q) for q in questions})
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return ", ".join(
        f"{order[r[0]]} to {order[r[-1]]}" if len(r) > 2 else ", ".join(order[p] for p in r) for r in runs
    )
