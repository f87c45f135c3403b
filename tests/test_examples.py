"""The shipped examples: every one loads cleanly, answers every question, and carries a valid SBOM;
together they are different enough to produce different findings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from securable.product import Product, Status, load_product, question_status

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*/securable.yaml"))
NAMES = [path.parent.name for path in EXAMPLES]
# The weaknesses each example was written to show (see the comment at the top of each file).
INTENDED = {
    "infusion-pump": {"SAF-001", "SUP-002"},  # fixed keypad lock-out; no plan after support ends
    "federal-env-sensor": {"IFC-001", "UPD-005"},  # service port enabled in lobbies; updates ignore LoRaWAN
}


def test_there_are_at_least_three_examples() -> None:
    assert len(EXAMPLES) >= 3
    assert {"home-camera", "infusion-pump", "federal-env-sensor"} <= set(NAMES)


@pytest.mark.parametrize("path", EXAMPLES, ids=NAMES)
def test_example_loads_and_answers_every_question(path: Path) -> None:
    product = load_product(path)  # raises on any problem, with file:line:column
    open_questions = [s.question for s in question_status(product) if s.status is Status.OPEN]
    assert open_questions == []
    for question, reason in product.not_applicable.items():
        assert reason.strip(), f"{question} is marked not applicable without a reason"


@pytest.mark.parametrize("path", EXAMPLES, ids=NAMES)
def test_example_sbom_is_valid_cyclonedx(path: Path, sources: Path) -> None:
    import jsonschema_rs

    product = load_product(path)
    inventory = product.composition.software_inventory if product.composition else None
    assert inventory is not None
    assert inventory.sbom
    bom = json.loads((path.parent / inventory.sbom).read_text("utf-8"))
    assert bom["specVersion"] in ("1.5", "1.6")
    schemas = sources / "formats" / "cyclonedx" / "schema"

    def retrieve(uri: str, /) -> Any:  # the BOM schema refers to spdx.schema.json and jsf-0.82.schema.json
        return json.loads((schemas / uri.rsplit("/", 1)[-1]).read_text("utf-8"))

    schema = json.loads((schemas / f"bom-{bom['specVersion']}.schema.json").read_text("utf-8"))
    errors = [
        error.message for error in jsonschema_rs.validator_for(schema, retriever=retrieve).iter_errors(bom)
    ]
    assert errors == []
    assert len(bom["components"]) >= 5


def _findings(product: Product) -> set[str]:
    from securable.assess.rules import run_rules

    return {finding.rule for finding in run_rules(product, today=date(2026, 11, 1))}


def test_examples_produce_different_findings() -> None:
    found = {path.parent.name: _findings(load_product(path)) for path in EXAMPLES}
    for name, intended in INTENDED.items():
        assert intended <= found[name], f"{name}: expected {sorted(intended)}, found {sorted(found[name])}"
    names = sorted(found)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert found[first] != found[second], f"{first} and {second} produce the same findings"
