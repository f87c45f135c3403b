"""Answering one question of a description outside the terminal (``securable.product.answering``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from securable import api
from securable.errors import InputError, SecurableError
from securable.product import parse_product, question_status
from securable.product.answering import answer, answerable, not_applicable, parse_place
from securable.product.template import template_yaml
from securable.product.yamlsource import read_yaml

CAMERA = Path(__file__).resolve().parents[1] / "examples" / "home-camera" / "securable.yaml"


def _named() -> bytes:
    return answer(template_yaml().encode(), "product.name", "Test Cam")


def _status(raw: bytes, question: str) -> str:
    states = question_status(parse_product(raw.decode(), filename="x.yaml"))
    return next(str(s.status) for s in states if s.question == question)


def test_an_answer_closes_the_question_it_was_missing_for() -> None:
    raw = _named()
    state = next(s for s in api.questions(api.Document("t.yaml", raw)).states if s.question == "Q3.1-4")
    assert str(state.status) == "open"
    assert state.missing == ("use_cases[0].where",)
    done = answer(raw, state.missing[0], "Europe\nNorth America")
    assert _status(done, "Q3.1-4") == "answered"
    use_cases = parse_product(done.decode(), filename="x").use_cases
    assert use_cases is not None
    assert use_cases[0].where == ("Europe", "North America")


def test_the_rewritten_file_holds_the_same_data_besides_the_answer() -> None:
    raw = CAMERA.read_bytes()
    before = read_yaml(raw.decode(), "a").data
    after = read_yaml(answer(raw, "product.version", "9.9").decode(), "b").data
    assert after["product"].pop("version") == "9.9"
    before["product"].pop("version")
    assert after == before
    # and it assesses the same
    today = date(2026, 12, 4)
    a = api.check(api.Document("a", raw), today=today).assessment
    b = api.check(api.Document("b", answer(raw, "product.version", "9.9")), today=today).assessment
    assert [f.finding.rule for f in a.findings] == [f.finding.rule for f in b.findings]


def test_values_are_typed_by_their_field() -> None:
    raw = _named()
    done = answer(raw, "use_cases[0].period_of_use_years.min", "3")
    use_cases = parse_product(done.decode(), filename="x").use_cases
    assert use_cases is not None
    years = use_cases[0].period_of_use_years
    assert years is not None
    assert years.min == 3
    with pytest.raises(SecurableError):
        answer(raw, "use_cases[0].period_of_use_years.min", "three")
    with pytest.raises(InputError, match="empty"):
        answer(raw, "use_cases[0].where", "   \n ")
    with pytest.raises(InputError, match="control"):
        answer(raw, "product.model", "a\x1b[2Jb")


def test_places_that_hold_objects_are_edited_in_the_file() -> None:
    assert answerable("use_cases") is None  # a list of objects
    assert answerable("means[0] (m-1).robustness") is None  # a derived question's explanation
    assert answerable("securable") is None
    with pytest.raises(InputError, match="cannot be answered here"):
        answer(_named(), "customers", "x")
    with pytest.raises(InputError, match="no such item"):
        answer(_named(), "use_cases[7].where", "x")


def test_not_applicable_needs_an_open_question_and_a_reason() -> None:
    raw = _named()
    done = not_applicable(raw, "Q3.1-2", "sold to individuals only")
    assert _status(done, "Q3.1-2") == "not-applicable"
    with pytest.raises(InputError):
        not_applicable(raw, "Q9.9-9", "no")
    with pytest.raises(InputError):
        not_applicable(raw, "Q3.1-2", "  ")
    with pytest.raises(SecurableError) as refused:  # the core refuses the contradiction
        not_applicable(CAMERA.read_bytes(), "Q3.1-2", "no")
    assert "it is answered" in refused.value.render()


@given(st.text(max_size=60))
def test_any_place_text_is_refused_or_parsed(text: str) -> None:
    try:
        loc = parse_place(text)
    except InputError:
        return
    assert all(isinstance(s, int) or s.isidentifier() for s in loc)


@given(st.text(min_size=1, max_size=200))
def test_any_text_answer_loads_back_as_typed(text: str) -> None:
    raw = _named()
    try:
        done = answer(raw, "product.model", text)
    except InputError:
        return  # empty or with control characters
    info = parse_product(done.decode(), filename="x").product
    assert info is not None
    assert info.model == text.strip()
