"""What ``securable init`` asks, and in which order: the plan of the questionnaire.

The walk follows NISTIR 8259's activities: the device, then Activity 1 (customers, use cases),
Activity 2 (the seven research questions for each use case, then needs and goals), Activity 3
(means), Activity 4 (hardware-based and unneeded capabilities) and Activity 6 (assumptions,
support, composition, updates, retirement). Activity 5 (audiences), secure development, the
software inventory and the operational characteristics are left open for the file to be edited:
they are tables of details a first draft is better without.

The steps are written in :mod:`~securable.product.interview_premarket` (section 3) and
:mod:`~securable.product.interview_postmarket` (section 4.2); this module holds what they share.
``plan(answers)`` is a pure function of the answers given so far. Repeated items (use cases,
needs, means, threats, ...) are asked one after another; an empty answer to the first field of an
item ends the list. Because the plan is recomputed from the answers, a session that stopped can be
resumed by handing the saved answers back: the next step is the first one without an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from securable.product import interview_postmarket as postmarket
from securable.product import interview_premarket as premarket
from securable.product.introspect import format_loc

Kind = Literal[
    "text", "list", "date", "yesno", "choice", "choices", "int", "years", "refs", "catalog", "url", "contact"
]
Loc = tuple[str | int, ...]
MAX_ITEMS = 50  # per list; far more than a first draft needs, and it bounds the plan

_MISSING = object()  # no answer yet (None is an answer: skipped)


@dataclass(frozen=True, slots=True)
class Step:
    """One prompt: where its answer goes in the file, what kind of answer it takes, what it cites."""

    loc: Loc
    kind: Kind
    prompt: str
    section: str  # heading it is asked under, e.g. "3.1"
    questions: tuple[str, ...] = ()
    hint: str = ""
    choices: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # for refs: what each choice is, shown beside its ID
    context: str = ""  # the item being asked about, e.g. "use case uc-1: Home monitoring"
    empty: str = ""  # what an empty answer does, when not the usual skip (the first field of an item)
    head_of: Loc | None = None  # set on the first field of a list item: the list
    none_ok: bool = False  # 'none' is an explicit empty list
    convert: Callable[[Any], Any] | None = None  # answer -> value written to the file
    siblings: Callable[[Any], dict[str, Any]] | None = None  # more fields set beside the answer
    check: Callable[[Any], str | None] | None = None  # checks against earlier answers

    @property
    def key(self) -> str:
        """Where the answer is saved, e.g. ``use_cases[0].where``."""
        return format_loc(self.loc)


SECTIONS: dict[str, str] = {
    "product": "The device",
    "3.1": "Activity 1 (3.1): expected customers and use cases",
    "3.2": "Activity 2 (3.2): customers' cybersecurity needs and goals",
    "3.3": "Activity 3 (3.3): how to address the needs and goals",
    "3.4": "Activity 4 (3.4): adequate support",
    "4.2.1": "Activity 6 (4.2.1): risk-related assumptions",
    "4.2.2": "Activity 6 (4.2.2): support and lifespan",
    "4.2.3": "Activity 6 (4.2.3): composition and capabilities",
    "4.2.4": "Activity 6 (4.2.4): software updates",
    "4.2.5": "Activity 6 (4.2.5): retirement",
}


@cache
def question_record(question: str) -> tuple[str, str, tuple[str, ...]]:
    """The question's title, text and examples from the ``nistir-8259-questions`` catalog."""
    from securable import catalog

    record = catalog.load("nistir-8259-questions").get(question)
    if record is None:
        return question, "", ()
    examples = record.props.get("examples", ())
    return record.title, record.text, tuple(examples) if isinstance(examples, tuple) else ()


def seed_hint(question: str) -> str:
    """The seed's examples for the question as a one-line hint: its parenthesised "(e.g., ...)", or a
    short "For example ..." sentence; longer explanations are left to ``?``."""
    text = question_record(question)[1]
    if text.startswith("(") and text.endswith(")") and len(text) <= 320:
        return text[1:-1].replace("e.g.,", "e.g.").replace("i.e.,", "i.e.")
    if len(text) <= 160 and text.startswith(("Examples", "For example", "An example")):
        return text
    return ""


class Plan:
    """Collects steps; ``section`` and ``context`` apply to the steps added after they are set."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.answers = answers
        self.steps: list[Step] = []
        self.section = "product"
        self.context = ""

    def get(self, loc: Loc) -> Any:
        return self.answers.get(format_loc(loc), _MISSING)

    def label(self, loc: Loc) -> str:
        """A text answer given earlier, e.g. a use case's title, to name its item in later prompts."""
        value = self.get(loc)
        return value if isinstance(value, str) else ""

    def add(self, loc: Loc, kind: Kind, prompt: str, *questions: str, **options: Any) -> Step:
        step = Step(loc, kind, prompt, self.section, questions, context=self.context, **options)
        self.steps.append(step)
        return step

    def ask(self, loc: Loc, kind: Kind, question: str, **options: Any) -> Step:
        """A step whose prompt is the seed's question itself, with the seed's examples as hint."""
        options.setdefault("hint", seed_hint(question))
        if options.get("none_ok") and "'none'" not in options["hint"]:
            options["hint"] = (options["hint"] + "; " if options["hint"] else "") + "'none' if there are none"
        return self.add(loc, kind, question_record(question)[0], question, **options)

    def items(
        self,
        collection: Loc,
        head: tuple[str, Kind, str],
        questions: tuple[str, ...],
        body: Callable[[Loc, int], None],
        *,
        noun: str,
        id_prefix: str | None = None,
        none_ok: bool = False,
        extra: Callable[[Any], dict[str, Any]] | None = None,
        **options: Any,
    ) -> list[int]:
        """Items of a list, asked one after another until the first field of one is left empty.

        ``head`` is (field, kind, prompt), the prompt with ``{n}`` for the item number. Returns
        the indexes of the items given.
        """
        given: list[int] = []
        outer = self.context
        for index in range(MAX_ITEMS):
            field, kind, prompt = head
            first = index == 0
            siblings = _fields_beside(f"{id_prefix}-{index + 1}" if id_prefix else None, extra)
            hint = options.get("hint", "")
            if first and none_ok:
                hint = (hint + "; " if hint else "") + f"'none' if there are no {noun}"
            self.context = outer
            step = self.add(
                (*collection, index, field),
                kind,
                prompt.format(n=index + 1),
                *questions,
                **{**options, "hint": hint},
                head_of=collection,
                none_ok=first and none_ok,
                siblings=siblings,
                empty=f"no {noun} now, the question stays open" if first else f"no more {noun}",
            )
            value = self.answers.get(step.key, _MISSING)
            if value is _MISSING or value is None or value == []:
                break
            body((*collection, index), index)
            given.append(index)
        self.context = outer
        return given


def _fields_beside(
    item_id: str | None, extra: Callable[[Any], dict[str, Any]] | None
) -> Callable[[Any], dict[str, Any]] | None:
    """What the first field of an item sets beside itself: the item's ID, and ``extra``'s fields."""
    if item_id is None and extra is None:
        return None

    def fields(value: Any) -> dict[str, Any]:
        found = {"id": item_id} if item_id else {}
        return found | (extra(value) if extra else {})

    return fields


def plan(answers: Mapping[str, Any]) -> list[Step]:
    """Every step for the answers given so far, in the order they are asked."""
    p = Plan(answers)
    premarket.device(p)
    use_cases = premarket.activity1(p)
    needs = premarket.activity2(p, use_cases)
    premarket.activity3(p, needs, safety=premarket.safety_relevant(p, len(use_cases)))
    premarket.activity4(p)
    postmarket.assumptions(p)
    postmarket.support(p)
    postmarket.composition(p)
    postmarket.updates(p)
    postmarket.retirement(p)
    return p.steps
