"""The shipped JSON Schema equals a fresh generation, and agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from securable.product.questions import field_answers, question_ids
from securable.product.schema import SCHEMA_PATH, product_schema, render_schema
from securable.product.template import template_yaml
from securable.product.yamlsource import read_yaml

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "home-camera" / "securable.yaml"


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "regenerate with: .venv/bin/python -m securable.product.schema"
    )


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = product_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert jsonschema_rs.meta.is_valid(schema)


def _defs(schema: dict[str, Any]) -> dict[str, Any]:
    defs: dict[str, Any] = schema["$defs"]
    return defs


def test_schema_carries_the_questions_and_forbids_unknown_fields() -> None:
    schema = product_schema()
    use_case = _defs(schema)["UseCase"]
    assert use_case["properties"]["where"]["answers"] == ["Q3.1-4"]
    assert use_case["additionalProperties"] is False
    assert schema["additionalProperties"] is False
    not_applicable = schema["properties"]["not_applicable"]
    assert list(not_applicable["properties"]) == list(question_ids())
    assert not_applicable["additionalProperties"] is False
    years = _defs(schema)["YearRange"]["properties"]
    assert years["min"]["anyOf"][0] == {"minimum": 0, "maximum": 100, "type": "number"}
    lockout = _defs(schema)["Authentication"]["properties"]["lockout"]
    assert lockout["anyOf"][0]["enum"] == ["none", "fixed", "configurable"]
    answered = {q for qs in field_answers().values() for q in qs}
    text = json.dumps(schema)
    assert all(f'"{q}"' in text for q in answered)


@pytest.mark.parametrize("name", ["example", "template"])
def test_example_and_template_validate_against_the_schema(name: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8") if name == "example" else template_yaml()
    data = read_yaml(text, name).data
    validator = jsonschema_rs.validator_for(product_schema())
    errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema_rs.validator_for(product_schema())
    assert not validator.is_valid({"securable": 1, "product": {"nme": "x"}})
    assert not validator.is_valid({"securable": 1, "means": [{"id": "m-1", "kind": "hub"}]})
    assert not validator.is_valid({"securable": 1, "not_applicable": {"Q9.9-9": "x"}})
    assert not validator.is_valid({"securable": 1, "not_applicable": {"Q4.2.5-2": ""}})
    assert validator.is_valid({"securable": 1, "not_applicable": {"Q4.2.5-2": "sold inside a car"}})
