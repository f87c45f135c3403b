"""Every NISTIR 8259 question of sections 3.1 to 4.2.6 has a place in the file, and a status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from securable.errors import InputError
from securable.product import Product, Status, parse_product, question_ids, question_status
from securable.product.introspect import all_fields
from securable.product.questions import answer_sites, field_answers, questions_for

SEED_NAME = "003_916d796199ddb2ce.txt"  # NISTIR 8259, beside the sources in upstream/seeds
_HEADING = re.compile(r"^(\d+(?:\.\d+)+) [A-Z]")
_ITEM = re.compile(r"^\d+\. \*\*")
_PART = re.compile(r"^\s*- ([a-z])\. \*\*")
_BOLD_QUESTION = re.compile(r"\*\*([^*]+\?)\*\*")


def seed_questions(sources: Path) -> list[str]:
    """The question IDs of the seed, numbered in document order within each section (3.1 to 4.2.6):
    numbered bold items, lettered bold parts, and bold questions in the prose of sections without a list."""
    seed = sources.parent / "seeds" / SEED_NAME
    if not seed.is_file():
        pytest.fail(f"NISTIR 8259 seed not found at {seed}")
    lines = seed.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("3.1 Activity 1"))
    ids: list[str] = []
    section = ""
    count = 0
    prose: dict[str, list[str]] = {}
    for line in lines[start:]:
        if line.strip() == "5 Conclusion":
            break
        heading = _HEADING.match(line)
        if heading:
            section, count = heading.group(1), 0
        elif _ITEM.match(line):
            count += 1
            ids.append(f"Q{section}-{count}")
        elif part := _PART.match(line):
            ids.append(f"Q{section}-{count}.{part.group(1)}")
        else:
            prose.setdefault(section, []).extend(_BOLD_QUESTION.findall(line))
    for section_number, found in prose.items():
        if found and not any(i.startswith(f"Q{section_number}-") for i in ids):
            ids += [f"Q{section_number}-{n}" for n in range(1, len(found) + 1)]
    return sorted(ids, key=lambda q: ([int(p) for p in q[1:].split("-")[0].split(".")], q.split("-")[1]))


def test_seed_reading_matches_the_section_sizes(sources: Path) -> None:
    per_section: dict[str, int] = {}
    for question in seed_questions(sources):
        if "." not in question.split("-")[1]:
            section = question[1:].split("-")[0]
            per_section[section] = per_section.get(section, 0) + 1
    assert per_section == {
        "3.1": 9,
        "3.2": 7,
        "3.3": 3,
        "3.4": 10,
        "4.1": 5,
        "4.2.1": 4,
        "4.2.2": 5,
        "4.2.3": 8,
        "4.2.4": 6,
        "4.2.5": 2,
        "4.2.6": 4,
    }


def test_every_question_of_the_seed_is_answered_by_some_field(sources: Path) -> None:
    assert set(question_ids()) == set(seed_questions(sources))


def test_question_ids_come_in_document_order() -> None:
    ids = question_ids()
    assert ids[:3] == ("Q3.1-1", "Q3.1-2", "Q3.1-3")
    assert ids.index("Q3.4-2") < ids.index("Q3.4-10") < ids.index("Q4.1-1")
    assert ids[-6:] == ("Q4.2.6-1.a", "Q4.2.6-1.b", "Q4.2.6-1.c", "Q4.2.6-2", "Q4.2.6-3", "Q4.2.6-4")


def test_fields_know_the_questions_they_answer() -> None:
    assert field_answers()["use_cases[].where"] == ("Q3.1-4",)
    assert field_answers()["support.support_end"] == ("Q4.2.2-1",)
    assert answer_sites()["Q3.4-4"] == (
        "support_planning.unneeded_capabilities",
        "support_planning.unneeded_capabilities[].name",
        "support_planning.unneeded_capabilities[].how_disabled",
    )
    # a refining field takes the question of the field it sits in; a container those of its fields
    assert questions_for("means[].robustness.update_reversion") == ("Q3.3-2",)
    assert questions_for("retirement") == ("Q4.2.5-1", "Q4.2.5-2")
    assert set(questions_for("use_cases")) >= {"Q3.1-3", "Q3.2-7"}


def test_every_field_but_the_header_contributes_to_some_question() -> None:
    unmapped = [n.path for n in all_fields() if not questions_for(n.path)]
    assert unmapped == [
        "securable",
        "product",
        "product.name",
        "product.manufacturer",
        "product.model",
        "product.version",
        "product.release_date",
        "product.documentation_url",
        "product.security_contact",
        "not_applicable",
        "not_applicable_elements",
    ]
    assert questions_for("needs[].kind") == tuple(f"Q3.2-{n}" for n in range(1, 8))
    assert questions_for("audiences[].id") == ("Q4.1-1", "Q4.1-2", "Q4.1-3", "Q4.1-4", "Q4.1-5")


def _states(text: str) -> dict[str, Status]:
    return {s.question: s.status for s in question_status(parse_product(text, filename="f.yaml"))}


def test_an_empty_description_leaves_every_question_open() -> None:
    states = question_status(parse_product("securable: 1\n", filename="f.yaml"))
    assert {s.status for s in states} == {Status.OPEN}
    assert len(states) == len(question_ids())


def test_a_missing_section_is_listed_once_per_question() -> None:
    states = question_status(parse_product("securable: 1\n", filename="f.yaml"))
    by_id = {s.question: s for s in states}
    assert by_id["Q3.1-1"].missing == ("customers",)  # not "customers, customers"
    assert by_id["Q3.2-1"].missing == ("use_cases", "needs")  # in the order of the fields
    assert by_id["Q4.1-5"].missing == ("audiences", "support")
    for state in states:
        assert len(set(state.missing)) == len(state.missing), state
    text = "securable: 1\ncustomers:\n  people: [homeowners]\nsupport: {}\n"
    by_id = {s.question: s for s in question_status(parse_product(text, filename="f.yaml"))}
    assert by_id["Q3.1-1"].missing == ("customers.other_users",)
    assert by_id["Q4.2.2-4"].missing == ("support.vulnerability_reporting",)


def test_per_use_case_questions_need_an_answer_in_every_use_case() -> None:
    text = "securable: 1\nuse_cases:\n  - id: a\n    where: [US]\n  - id: b\n"
    (state,) = [s for s in question_status(parse_product(text, filename="f.yaml")) if s.question == "Q3.1-4"]
    assert state.status is Status.OPEN
    assert state.missing == ("use_cases[1].where",)
    text += "    where: [EU]\n"
    assert _states(text)["Q3.1-4"] is Status.ANSWERED


def test_an_empty_list_is_an_explicit_none_but_an_empty_item_is_open() -> None:
    text = "securable: 1\ncomposition:\n  functions: []\n  sensors: []\n"
    assert _states(text)["Q4.2.3-6"] is Status.ANSWERED
    text = "securable: 1\ncomposition:\n  functions: []\n  sensors:\n    - kind:\n"
    assert _states(text)["Q4.2.3-6"] is Status.OPEN


def test_all_parts_of_a_question_are_needed() -> None:
    text = "securable: 1\nsupport:\n  vulnerability_reporting:\n    accepted_after_support_end: false\n"
    assert _states(text)["Q4.2.2-4"] is Status.OPEN
    text += "    accepted_after_end_of_life: false\n    channels:\n      - kind: email\n"
    assert _states(text)["Q4.2.2-4"] is Status.ANSWERED


def test_means_questions_are_derived_from_the_means_list() -> None:
    text = """\
securable: 1
needs:
  - id: n-1
    statement: only owners see video
  - id: n-2
    statement: updates arrive
means:
  - id: m-1
    kind: device
    addresses: [n-1]
    robustness:
      implementation: hardware
    risk_effect: lowers confidentiality risk
  - id: m-2
    kind: customer
    addresses: [n-1]
    risk_effect: a firewall blocks inbound access
not_applicable:
  Q4.2.6-1.b: no hub or gateway
"""
    product = parse_product(text, filename="f.yaml")
    states = {s.question: s for s in question_status(product)}
    assert states["Q3.3-1"].status is Status.OPEN
    assert states["Q3.3-1"].missing == ("needs[1] (n-2): no means addresses it",)
    assert states["Q3.3-2"].status is Status.ANSWERED
    assert states["Q4.2.6-1"].status is Status.ANSWERED
    assert states["Q4.2.6-1.a"].status is Status.ANSWERED
    assert states["Q4.2.6-1.b"].status is Status.NOT_APPLICABLE
    assert states["Q4.2.6-1.b"].reason == "no hub or gateway"
    assert states["Q4.2.6-1.c"].status is Status.OPEN
    assert states["Q4.2.6-2"].status is Status.OPEN
    assert states["Q4.2.6-3"].status is Status.ANSWERED
    assert states["Q4.2.6-4"].status is Status.ANSWERED
    assert [m.id for m in product.means_of_kind("customer")] == ["m-2"]


def test_a_technical_means_without_robustness_leaves_q3_3_2_open() -> None:
    text = "securable: 1\nmeans:\n  - id: m-1\n    kind: service\n    robustness: {}\n"
    product: Product = parse_product(text, filename="f.yaml")
    (state,) = [s for s in question_status(product) if s.question == "Q3.3-2"]
    assert state.missing == ("means[0] (m-1).robustness",)


def test_questions_agree_with_the_shipped_question_catalog() -> None:
    from securable.catalog import store

    try:
        shipped = "nistir-8259-questions" in store.catalog_ids()
    except InputError:
        shipped = False
    if not shipped:
        pytest.skip("the nistir-8259-questions catalog is not built yet")
    catalog = store.load("nistir-8259-questions")
    records = [r.id for r in catalog if r.kind in ("question", "sub-question")]
    assert records == list(question_ids())
