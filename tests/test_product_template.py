"""The commented skeleton for ``securable init --template``: every field, loads, all open."""

from __future__ import annotations

import re
from typing import Any

from securable.product import Status, parse_product, question_status
from securable.product.introspect import all_fields
from securable.product.template import template_yaml
from securable.product.yamlsource import read_yaml


def _paths(data: Any, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= _paths(value, path)
    elif isinstance(data, list):
        for item in data:
            found |= _paths(item, prefix + "[]")
    return found


def test_template_loads_and_leaves_every_question_open() -> None:
    product = parse_product(template_yaml(), filename="template.yaml")
    assert {s.status for s in question_status(product)} == {Status.OPEN}


def test_template_has_every_field_of_the_model() -> None:
    data = read_yaml(template_yaml(), "template.yaml").data
    assert _paths(data) == {node.path for node in all_fields()}


def test_every_field_has_a_comment_citing_its_questions() -> None:
    lines = template_yaml().splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)(?:- )?([a-z_]+):", line)
        if not match:
            continue
        comment: list[str] = []
        for previous in reversed(lines[:index]):
            if not previous.lstrip().startswith("#"):
                break
            comment.insert(0, previous.strip())
        assert comment, f"no comment above {line!r}"
    text = template_yaml()
    assert "# Q3.1-4: Where geographically it will be used" in text
    assert "# Q4.2.5-2: How to do it." in text
    assert "part of Q3.3-2:" in text


def test_template_is_stable_and_ends_with_a_newline() -> None:
    assert template_yaml() == template_yaml()
    assert template_yaml().endswith("\n")
    assert not template_yaml().endswith("\n\n")
