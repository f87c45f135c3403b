"""product.json: the product, every question's state and the assessment, valid against its schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from securable.assess.report import Assessment
from securable.package.context import PackageContext
from securable.package.machine.productjson import PATH, assessment_json, build_productjson
from securable.product import Product, load_product, question_status

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
SCHEMAS = ROOT / "src" / "securable" / "data" / "schemas"
BASE = "https://securable.example/schemas/"
DAY = date(2025, 9, 1)


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(CAMERA)


@pytest.fixture(scope="module")
def validator() -> Any:
    """The package schema, with the product and assessment schemas it refers to resolved locally."""

    def refuse(uri: str) -> Any:
        raise ValueError(f"not a shipped schema: {uri}")

    resources = [
        (BASE + name, json.loads((SCHEMAS / name).read_bytes()))
        for name in ("product.schema.json", "assessment.schema.json")
    ]
    registry = jsonschema_rs.Registry(resources, retriever=refuse)
    schema = json.loads((SCHEMAS / "product-package.schema.json").read_bytes())
    return jsonschema_rs.Draft202012Validator(
        schema, registry=registry, retriever=refuse, validate_formats=True
    )


def context(product: Product, assessment: Assessment | None = None) -> PackageContext:
    return PackageContext(
        product=product, product_path=CAMERA, date=DAY, documentation_url="", assessment=assessment
    )


def document(product: Product, assessment: Assessment | None = None) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(build_productjson(context(product, assessment)).files[PATH])
    return result


def problems(validator: Any, doc: object) -> list[str]:
    return [f"{list(e.instance_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def test_validates_against_its_schema(camera: Product, validator: Any) -> None:
    doc = document(camera)
    assert problems(validator, doc) == []
    assert doc["format"] == 1
    assert doc["date"] == "2025-09-01"
    assert doc["assessment"] is None


def test_the_schema_catches_a_broken_document(camera: Product, validator: Any) -> None:
    doc = document(camera)
    doc["product"]["means"][0]["kind"] = "robot"
    del doc["questions"]["counts"]["open"]
    found = problems(validator, doc)
    assert any(p.startswith("['product', 'means']") for p in found)  # anyOf: reported at the list
    assert any("'counts'" in p for p in found)


def test_same_input_same_bytes(camera: Product) -> None:
    assert build_productjson(context(camera)).files == build_productjson(context(camera)).files


def test_every_answer_is_there_and_reads_back(camera: Product) -> None:
    doc = document(camera)
    assert Product.model_validate(doc["product"]) == camera
    assert doc["product"]["customers"]["people"][0].startswith("homeowners")
    assert doc["product"]["support"]["support_end"] == "2031-08-31"
    assert "description" in doc["product"]["means"][0]  # open fields are present, as null


def test_questions_in_document_order_with_their_text(camera: Product) -> None:
    doc = document(camera)
    states = question_status(camera)
    items = doc["questions"]["items"]
    assert [q["id"] for q in items] == [s.question for s in states]
    assert [q["status"] for q in items] == [str(s.status) for s in states]
    counts = doc["questions"]["counts"]
    assert counts["total"] == len(states) == counts["answered"] + counts["open"] + counts["not-applicable"]
    first = items[0]
    assert first["id"] == "Q3.1-1"
    assert first["question"]
    assert first["fields"]


def test_not_applicable_is_sorted_by_question(camera: Product) -> None:
    data = camera.model_dump()
    data["not_applicable"] = {"Q4.2.6-1.b": "no hub or gateway is involved", "Q3.2-4": "nothing interferes"}
    doc = document(Product.model_validate(data))
    assert list(doc["product"]["not_applicable"]) == ["Q3.2-4", "Q4.2.6-1.b"]


def test_with_an_assessment(camera: Product, validator: Any) -> None:
    from securable.assess.report import build_assessment
    from securable.assess.requirements import baseline_target
    from securable.product import load_document

    assessment = build_assessment(load_document(CAMERA), [baseline_target("nistir-8259a")], today=DAY)
    doc = document(camera, assessment)
    assert problems(validator, doc) == []
    assert doc["assessment"]["format"] == 1
    assert doc["assessment"]["date"] == "2025-09-01"
    assert doc["assessment"]["coverage"]


def test_without_an_assessment_product_json_says_null() -> None:
    assert assessment_json(None) is None


@pytest.mark.parametrize("path", sorted(ROOT.glob("examples/*/securable.yaml")), ids=lambda p: p.parent.name)
def test_every_example_validates(path: Path, validator: Any) -> None:
    ctx = PackageContext(product=load_product(path), product_path=path, date=DAY, documentation_url="")
    assert problems(validator, json.loads(build_productjson(ctx).files[PATH])) == []


def test_structured_safety_lockout_and_period_answers_are_carried(validator: Any) -> None:
    pump = ROOT / "examples" / "infusion-pump" / "securable.yaml"
    product = load_product(pump)
    doc = document(product)
    assert problems(validator, doc) == []
    case = doc["product"]["use_cases"][0]
    assert case["period_of_use_years"] == {"min": 10, "max": 12}
    assert case["research"]["actuates"] is True
    assert case["research"]["safety_critical"] is True
    assert case["research"]["degraded_behaviour"].startswith(
        "The safety processor keeps the running infusion"
    )
    lockouts = {
        m["id"]: m["robustness"]["authentication"]["lockout"]
        for m in doc["product"]["means"]
        if m["robustness"] and m["robustness"]["authentication"]
    }
    assert lockouts["m-clinician-auth"] == "fixed"
    assert lockouts["m-network-security"] is None  # open, as null like every other open field
    # The schema knows the choices, so a consumer can rely on them.
    doc["product"]["means"][2]["robustness"]["authentication"]["lockout"] = "sometimes"
    doc["product"]["use_cases"][0]["period_of_use_years"]["max"] = -1
    found = problems(validator, doc)
    assert any("'means'" in p for p in found)
    assert any("'use_cases'" in p for p in found)
