"""Questions of NISTIR 8259 the file leaves open, or wrongly sets aside."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from securable.assess.findings import Citation, Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import Path, at, blank
from securable.product.model import Product
from securable.product.questions import QuestionState

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


# Share of the questions that apply above which a description is not yet written: a blank template
# leaves all open, a short but real description (the agency example's second vendor) about 60%.
OPEN_LIMIT = 2 / 3


def mostly_open(states: tuple[QuestionState, ...] | list[QuestionState]) -> tuple[int, int] | None:
    """(open, applicable) when more than :data:`OPEN_LIMIT` of the questions that apply are open;
    None otherwise."""
    applicable = [s for s in states if s.status != "not-applicable"]
    still = sum(1 for s in applicable if s.status == "open")
    return (still, len(applicable)) if applicable and still > OPEN_LIMIT * len(applicable) else None


def missing_essentials(product: Product) -> list[tuple[str, Path]]:
    """What no description may leave out, each with the place it goes: the device's name, how long
    it is supported, and where to report security problems."""
    missing: list[tuple[str, Path]] = []
    info = product.product
    if info is None or blank(info.name):
        missing.append(("the device's name (product.name)", ("product", "name")))
    if product.support is None or product.support.support_end is None:
        missing.append(("the support period (support.support_end)", ("support", "support_end")))
    reporting = product.support.vulnerability_reporting if product.support is not None else None
    channels = [
        c for c in (reporting.channels if reporting is not None else None) or () if not blank(c.address)
    ]
    if (info is None or info.security_contact is None) and not channels:
        missing.append(
            (
                "a security contact (product.security_contact or support.vulnerability_reporting.channels)",
                ("product", "security_contact"),
            )
        )
    return missing


@rule(
    "QST-003",
    "Most questions are open: the description is not written yet",
    Severity.HIGH,
    section="3.1-4.2.6",
    elements=("nistir-8259b:8259B-DOC", "sp800-213a:DOC-1"),
)
def not_written(product: Product, ctx: Context) -> Iterator[Hit]:
    """More than two thirds of the NISTIR 8259 questions that apply are open.

    A blank or template-only description must not pass CI as if it had been assessed: with nothing
    answered, no other rule has anything to fire on, and coverage is all gaps. Silence fires: this
    is the one rule about the amount of silence. A short but real description stays below the
    limit; QST-001 lists the open questions per section either way.
    """
    found = mostly_open(list(ctx.question_states))
    if found is not None:
        still, applicable = found
        yield Hit(
            f"{still} of the {applicable} NISTIR 8259 questions that apply are open; the description "
            "is not written yet, so this assessment says little about the device",
            "answer the questions (`securable init` asks them, `securable questions` lists them), or "
            "list those that do not apply under not_applicable with a reason",
            (),
        )


@rule(
    "QST-004",
    "Essentials missing: name, support period or security contact",
    Severity.HIGH,
    section="4.2.2",
    questions=("Q4.2.2-1", "Q4.2.2-4"),
    elements=("nistir-8259b:8259B-DOC", "nistir-8259b:8259B-IQR", "sp800-213a:DOC-1"),
)
def essentials_missing(product: Product, ctx: Context) -> Iterator[Hit]:
    """The description does not name the device (`product.name`), does not say when support ends
    (`support.support_end`), or gives no security contact (`product.security_contact` nor a
    vulnerability reporting channel with an address).

    Every document made from the description starts with these: which device, supported until when,
    and where to report a problem (NISTIR 8259 4.2.2 Q1 and Q4). Without them a package would speak
    about "the device", promise nothing and give nobody to call. Silence fires.
    """
    missing = missing_essentials(product)
    if missing:
        yield Hit(
            "the description leaves out " + "; ".join(what for what, _ in missing),
            "fill them in; customer documents, the fact sheet and security.txt all start from them",
            at(product, missing[0][1]),
            tuple(at(product, path) for _, path in missing[1:]),
        )


RULES: tuple[Rule, ...] = (open_questions, wrongly_not_applicable, not_written, essentials_missing)
