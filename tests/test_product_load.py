"""Loading product descriptions that are right: the shipped example, the API, derived views."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from securable.errors import ValidationFailed
from securable.product import Product, Status, load_product, parse_product, question_status

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "home-camera" / "securable.yaml"


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(EXAMPLE)


def test_home_camera_example_loads_with_its_details(camera: Product) -> None:
    assert camera.product is not None
    assert camera.product.name == "Acme HomeCam 2"
    assert camera.product.version == "2.0"
    assert camera.product.release_date == date(2025, 9, 1)
    assert camera.support is not None
    assert camera.support.support_end == date(2031, 8, 31)
    assert [u.id for u in camera.use_cases or ()] == ["uc-home", "uc-small-business"]
    assert camera.composition is not None
    sensors = {s.kind for s in camera.composition.sensors or ()}
    assert {"camera", "microphone"} <= sensors
    flows = camera.composition.operational.network if camera.composition.operational else None
    assert flows
    assert flows[0].port == 443
    assert flows[0].protocol == "tcp"


def test_home_camera_example_answers_every_question(camera: Product) -> None:
    states = question_status(camera)
    still_open = {s.question: s.missing for s in states if s.status is not Status.ANSWERED}
    assert still_open == {}


def test_means_are_grouped_by_who_provides_them(camera: Product) -> None:
    grouped = camera.means_by_kind()
    assert list(grouped) == ["device", "related-device", "service", "non-technical", "customer"]
    assert all(grouped.values())  # the camera has means of every kind
    assert sum(len(v) for v in grouped.values()) == len(camera.means or ())
    assert {m.id for m in grouped["related-device"]} == {"m-app-controls"}
    # needs and means are many-to-many
    assert len(camera.means_for("need-private-video")) > 1
    signed = next(m for m in camera.means or () if m.id == "m-secure-update")
    assert len(signed.addresses or ()) > 1
    assert signed.robustness is not None
    assert signed.robustness.update_reversion == "both"


def test_models_are_frozen(camera: Product) -> None:
    with pytest.raises(ValueError, match="frozen"):
        camera.securable = 1


def test_parse_product_takes_text_and_a_name_for_messages() -> None:
    product = parse_product("securable: 1\nproduct:\n  name: Gadget\n", filename="inline.yaml")
    assert product.product is not None
    assert product.product.name == "Gadget"
    with pytest.raises(ValidationFailed) as caught:
        parse_product("securable: 1\nproduct:\n  nme: Gadget\n", filename="inline.yaml")
    assert caught.value.problems[0].startswith("inline.yaml:3:3: ")


def test_utf8_byte_order_mark_and_non_ascii_text_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "securable.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "securable: 1\nproduct:\n  name: Caméra für Zuhause\n".encode())
    product = load_product(path)
    assert product.product is not None
    assert product.product.name == "Caméra für Zuhause"


def test_dates_may_be_quoted(tmp_path: Path) -> None:
    text = "securable: 1\nproduct:\n  release_date: '2025-01-31'\nsupport:\n  support_end: 2030-01-31\n"
    product = parse_product(text, filename="f.yaml")
    assert product.product is not None
    assert product.product.release_date == date(2025, 1, 31)


def test_sbom_path_is_resolved_next_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "securable.yaml"
    path.write_text(
        "securable: 1\ncomposition:\n  software_inventory:\n    sbom: bom.json\n", encoding="utf-8"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_product(path)
    assert caught.value.problems == [
        f"{path}:4:11: composition.software_inventory.sbom: SBOM file 'bom.json' not found; "
        f"give its path relative to {tmp_path}"
    ]
    (tmp_path / "bom.json").write_text(json.dumps({"spdxVersion": "SPDX-2.3"}), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="1 problem") as caught:
        load_product(path)
    assert "SBOM 'bom.json': not valid SPDX" in caught.value.problems[0]
    (tmp_path / "bom.json").write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5"}), "utf-8")
    product = load_product(path)
    assert product.composition is not None
    assert product.composition.software_inventory is not None
    assert product.composition.software_inventory.sbom == "bom.json"
