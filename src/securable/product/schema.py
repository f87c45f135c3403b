"""The JSON Schema of the product description, generated from the model and shipped with the package.

Editors with YAML language support can use it for completion and checks, e.g. with the first line
``# yaml-language-server: $schema=<path to product.schema.json>``. ``tests/test_product_schema.py``
fails when the committed file and a fresh generation differ; regenerate with
``python -m securable.product.schema``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "schemas" / "product.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def product_schema() -> dict[str, Any]:
    """The schema as a dict; ``not_applicable`` lists every question ID a file can name."""
    from securable.product.model import Product
    from securable.product.questions import question_ids

    schema = Product.model_json_schema()
    not_applicable = schema["properties"]["not_applicable"]
    reason = next(iter(not_applicable.pop("patternProperties").values()))
    not_applicable["properties"] = {question: dict(reason) for question in question_ids()}
    not_applicable["additionalProperties"] = False
    return {"$schema": DIALECT, **schema}


def render_schema() -> str:
    return json.dumps(product_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> None:
    from securable.fileio import write_text_atomic

    write_text_atomic(path, render_schema())


if __name__ == "__main__":
    write_schema(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_PATH)
