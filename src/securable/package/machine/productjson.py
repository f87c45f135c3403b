"""``machine/product.json``: every answer of the product description, question by question, and the
assessment, in one documented shape (``securable/data/schemas/product-package.schema.json``).

* ``product``: the description exactly as loaded, with every field present (``null`` where it is
  open), in the model's field order; dates as ``YYYY-MM-DD``. It validates against
  ``product.schema.json``, so the file can be read back as a product description.
* ``questions``: the state of every NISTIR 8259 question (answered, open, not applicable) with the
  question's text, the fields that answer it and, for open ones, where an answer is missing.
* ``assessment``: ``securable check --format json`` of the same product (``assessment.schema.json``),
  or ``null`` when the package was built without one.

Key order is fixed by the code, never by dict iteration over input, so the same product gives
byte-identical files.
"""

from __future__ import annotations

import json
from typing import Any

from securable import __version__
from securable.package.context import PackageContext, Part
from securable.product.questions import QuestionState, question_sort_key, question_status, status_counts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from securable.assess.report import Assessment

PATH = "machine/product.json"
FORMAT = 1
QUESTIONS_CATALOG = "nistir-8259-questions"

JSON = dict[str, Any]


def build_productjson(ctx: PackageContext) -> Part:
    text = json.dumps(product_document(ctx), ensure_ascii=False, indent=2) + "\n"
    return Part({PATH: text.encode("utf-8")})


def product_document(ctx: PackageContext) -> JSON:
    product = ctx.product
    data = product.model_dump(mode="json", by_alias=True)
    # not_applicable keeps the file's order in the model; sort it so that reordering the YAML
    # does not change the package.
    data["not_applicable"] = dict(
        sorted(data["not_applicable"].items(), key=lambda kv: question_sort_key(kv[0]))
    )
    states = question_status(product)
    counts = status_counts(states)
    return {
        "format": FORMAT,
        "tool": {"name": "securable", "version": __version__},
        "date": ctx.date.isoformat(),
        "product": data,
        "questions": {
            "counts": {str(status): counts[status] for status in counts} | {"total": len(states)},
            "items": [_question(state) for state in states],
        },
        "assessment": assessment_json(ctx.assessment),
    }


def _question(state: QuestionState) -> JSON:
    from securable.catalog import load

    record = load(QUESTIONS_CATALOG).get(state.question)
    return {
        "id": state.question,
        "question": record.title if record is not None else None,
        "status": str(state.status),
        "fields": list(state.fields),
        "missing": list(state.missing),
        "reason": state.reason,
    }


def assessment_json(assessment: Assessment | None) -> JSON | None:
    """The assessment's JSON report (``securable check --format json``), or None without one."""
    if assessment is None:
        return None
    from securable.assess.report.json_report import assessment_to_json

    return assessment_to_json(assessment)
