"""load_document: a checked product and where each of its values is written, for reports."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from securable.errors import InputError, ValidationFailed
from securable.product import LoadedProduct, load_document, load_product

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "home-camera" / "securable.yaml"

SMALL = """\
securable: 1
product:
  name: Gadget
means:
  - id: m-1
    kind: device
  - id: m-2
    kind: device
  - id: m-3
    kind: device
    robustness:
      implementation: software
updates:
  verification: [code-signature]
  notification:
"""


@pytest.fixture
def small(tmp_path: Path) -> LoadedProduct:
    path = tmp_path / "securable.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_document(path)


def test_positions_of_values_are_1_based_line_and_column(small: LoadedProduct) -> None:
    assert small.position(("updates", "verification")) == (14, 17)
    assert small.position(("updates", "verification", 0)) == (14, 18)
    assert small.position(("means", 2, "robustness")) == (12, 7)  # a mapping starts at its first key
    assert small.position(("means", 2, "robustness", "implementation")) == (12, 23)
    assert small.position(("means", 1)) == (7, 5)
    assert small.position(()) == (1, 1)


def test_keys_have_positions_too(small: LoadedProduct) -> None:
    assert small.position(("means", 2, "robustness"), key=True) == (11, 5)
    assert small.position(("updates", "verification"), key=True) == (14, 3)


def test_a_value_left_empty_is_placed_at_its_key(small: LoadedProduct) -> None:
    assert small.position(("updates", "notification")) == (15, 3)


def test_missing_values_get_the_nearest_enclosing_value(small: LoadedProduct) -> None:
    assert small.position(("means", 0, "robustness")) == small.position(("means", 0)) == (5, 5)
    assert small.position(("means", 0, "robustness"), key=True) == (5, 5)
    assert small.position(("means", 9, "kind")) == small.position(("means",))
    assert small.position(("support", "support_end")) == (1, 1)  # the top-level mapping


def test_a_list_is_a_fine_location(small: LoadedProduct) -> None:
    assert small.position(["means", 2, "robustness"]) == (12, 7)  # type: ignore[arg-type]


def test_the_product_is_the_one_load_product_gives(small: LoadedProduct, tmp_path: Path) -> None:
    assert small.product == load_product(small.path)
    assert small.path == tmp_path / "securable.yaml"
    assert small.product.means is not None
    assert [m.id for m in small.product.means] == ["m-1", "m-2", "m-3"]


def test_loaded_product_is_frozen(small: LoadedProduct) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.path = Path("elsewhere.yaml")  # type: ignore[misc]


def test_positions_in_the_home_camera_example_point_at_what_they_name() -> None:
    loaded = load_document(EXAMPLE)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()

    def text_at(loc: tuple[str | int, ...], *, key: bool = False) -> str:
        line, column = loaded.position(loc, key=key)
        return lines[line - 1][column - 1 :]

    assert text_at(("updates", "verification"), key=True).startswith("verification:")
    assert text_at(("means", 2, "robustness"), key=True).startswith("robustness:")
    assert text_at(("means", 2, "id")) == "m-transport-encryption"
    assert text_at(("means", 2), key=True).startswith("id: m-transport-encryption")
    assert text_at(("product", "name")) == "Acme HomeCam 2"


def test_load_document_reports_problems_like_load_product(tmp_path: Path) -> None:
    path = tmp_path / "securable.yaml"
    path.write_text("securable: 1\nproduct:\n  nme: x\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_document(path)
    assert caught.value.problems[0].startswith(f"{path}:3:3: product.nme: unknown field 'nme'")
    with pytest.raises(InputError, match="no such file"):
        load_document(tmp_path / "nope.yaml")


def test_importing_the_product_package_imports_no_yaml_library() -> None:
    code = (
        "import sys, securable.product\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', '_yaml', 'ruamel')))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
