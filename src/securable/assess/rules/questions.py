"""Questions of NISTIR 8259 the file leaves open, or wrongly sets aside."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from securable.assess.findings import Citation, Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path
from securable.product.model import Product

# Section titles of the ``nistir-8259-questions`` catalog (a test keeps them equal), kept here so the
# rule does not load a catalog on every run.
SECTIONS = {
    "3.1": "Identify Expected Customers and Define Expected Use Cases",
    "3.2": "Research Customer Cybersecurity Needs and Goals",
    "3.3": "Determine How to Address Customer Needs and Goals",
    "3.4": "Plan for Adequate Support of Customer Needs and Goals",
    "4.1": "Define Approaches for Communicating to Customers",
    "4.2.1": "Cybersecurity Risk-Related Assumptions",
    "4.2.2": "Support and Lifespan Expectations",
    "4.2.3": "Device Composition and Capabilities",
    "4.2.4": "Software Updates",
    "4.2.5": "Device Retirement Options",
    "4.2.6": "Technical and Non-Technical Means",
}
_NOTE = re.compile(r"\s*\([^)]*\)")
_PLACE = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
SHOWN = 4  # places named in a message; the rest are counted


def section_of(question: str) -> str:
    """``Q4.2.6-1.a`` -> ``4.2.6``."""
    return question[1 : question.find("-")]


@lru_cache(maxsize=4096)  # the same places come back for every product with the same gaps
def place_path(place: str) -> Path:
    """A place from :class:`~securable.product.QuestionState` ``missing`` as a path:
    ``"means[2] (m-x).robustness"`` -> ``("means", 2, "robustness")``; notes after a colon or in
    parentheses are dropped."""
    bare = _NOTE.sub("", place).split(":", 1)[0].strip()
    return tuple(int(index) if index else name for name, index in _PLACE.findall(bare))


@rule(
    "QST-001",
    "Questions left open",
    Severity.LOW,
    section="3.1-4.2.6",
    elements=("nistir-8259b:8259B-DOC", "sp800-213a:DOC-1"),
)
def open_questions(product: Product, ctx: Context) -> Iterator[Hit]:
    """A NISTIR 8259 question is neither answered nor marked not applicable (as
    `securable questions` shows); one finding per section lists them.

    Per section, not per question: a fresh file would otherwise drown every other finding in sixty
    entries, and one finding for the whole file would hide which activity (and which owner:
    updates, support, communication ...) is behind. Each finding points at the first missing answer
    of its section and cites the section's open questions. This rule is how silence is reported;
    the other rules mostly fire on answers.
    """
    # plain loops: this runs on every product, and most of a fresh file's questions are open
    by_section: dict[str, tuple[list[str], dict[str, None]]] = {}
    for state in ctx.question_states:
        if state.status == "open":
            section = section_of(state.question)
            entry = by_section.get(section)
            if entry is None:
                entry = by_section[section] = ([], {})
            entry[0].append(state.question)
            for place in state.missing:
                entry[1][place] = None  # a dict keeps first-seen order, without repeats
    for section, (questions, found) in by_section.items():
        places = list(found)
        shown = ", ".join(places[:SHOWN]) + (
            f" and {len(places) - SHOWN} more" if len(places) > SHOWN else ""
        )
        paths = list(dict.fromkeys(place_path(p) for p in places))
        yield Hit(
            f"{len(questions)} question(s) of NISTIR 8259 {section} ({SECTIONS.get(section, '')}) are "
            f"open: {', '.join(questions)}; missing: {shown}",
            "answer them in the places named, or list them under not_applicable with a reason; "
            "`securable questions` shows each",
            paths[0] if paths else (),
            tuple(paths[1:]),
            Citation(section, tuple(questions), ("nistir-8259b:8259B-DOC",)),
        )


# Questions that every device can answer, because a plain "no" or "none" is a valid answer: marking
# them not applicable hides that answer from customers.
ALWAYS_APPLIES = {
    "Q3.1-6": "every device is used for some time",
    "Q3.4-9": "'we accept no reports' is an answer",
    "Q4.2.2-1": "'no support' is an answer",
    "Q4.2.2-4": "every device can have flaws to report",
    "Q4.2.3-6": "'no sensors' is sensors: []",
    "Q4.2.3-7": "'collects no data' is data_types: []",
    "Q4.2.3-8": "at least the manufacturer is a party",
    "Q4.2.4-1": "'no updates' is available: false",
}


@rule(
    "QST-002",
    "A question every device can answer is marked not applicable",
    Severity.MEDIUM,
    section="3.1-4.2.6",
    questions=tuple(ALWAYS_APPLIES),
    elements=("nistir-8259b:8259B-DOC",),
)
def wrongly_not_applicable(product: Product, ctx: Context) -> Iterator[Hit]:
    """`not_applicable` names a question whose honest answer may be "no" or "none" but never "does
    not apply": how long the device is used, how long it is supported, whether it gets updates, how
    to report vulnerabilities, its sensors, data and parties.

    Customers need those answers even when they are negative (NISTIR 8259 4.2: what to communicate);
    "not applicable" would hide a device without updates or support. Silence is QST-001's.
    """
    for question in product.not_applicable:
        why = ALWAYS_APPLIES.get(question)
        if why is not None:
            yield Hit(
                f"{question} is marked not applicable ({product.not_applicable[question]!r}), but it "
                f"applies to every device: {why}",
                f"remove {question} from not_applicable and answer it, negatively if that is the truth",
                ("not_applicable", question),
                citation=Citation(section_of(question), (question,), ("nistir-8259b:8259B-DOC",)),
            )


RULES: tuple[Rule, ...] = (open_questions, wrongly_not_applicable)
