"""Reading answers out of a product description for customer documents, noting each one missing.

Every document module asks the :class:`Reader` for what it shows. A filled answer comes back as
words; an open one comes back as a :class:`~securable.package.documents.view.Missing` statement and is
recorded as a :class:`~securable.package.context.Gap` naming the NISTIR 8259 questions it leaves
open, so the documents and ``securable package`` report the same gaps. Questions the product marks
not applicable are shown with their reason and are not gaps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel

from securable.package.context import Gap
from securable.package.documents.statements import EXTRA_QUESTIONS, NOT_STATED
from securable.package.documents.view import Inline, Missing
from securable.package.documents.wording import join, long_date, yes_no
from securable.product.model import Product
from securable.product.questions import field_answers, filled

Where = tuple[str | int, ...]


def own_questions(schema_path: str) -> tuple[str, ...]:
    """The questions a field answers, or those of the nearest enclosing field that answers some.

    Unlike :func:`securable.product.questions.questions_for` this never falls back to the
    questions of sibling fields: a gap in ``updates.recovery`` should not claim to leave all six
    update questions open.
    """
    if schema_path in EXTRA_QUESTIONS:
        return EXTRA_QUESTIONS[schema_path]
    answers = field_answers()
    path = schema_path
    while True:
        if path in answers:
            return answers[path]
        if "." not in path:
            return ()
        path = path.rsplit(".", 1)[0].removesuffix("[]")


def show(value: Any) -> str:
    """A filled value in words."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, tuple):
        if not value:
            return "None"
        items = [show(v) for v in value]
        # Items that contain commas read better apart: "a, b; c" rather than "a, b, c and d".
        return "; ".join(items) if any("," in i for i in items) else join(items)
    return str(value).strip()


def _resolve(root: Any, names: list[str]) -> Any:
    for name in names:
        if root is None:
            return None
        root = getattr(root, name)
    return root


def _topic(path: str) -> str:
    """The gap topic of a field: the top-level part of the product file it belongs to."""
    return path.split(".", 1)[0].split("[", 1)[0]


class Reader:
    """Answers in words for documents, and a record of the gaps met while reading them."""

    def __init__(self, product: Product) -> None:
        self.product = product
        self._gaps: dict[tuple[str, Where], Gap] = {}  # keeps the order gaps were met in

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(self._gaps.values())

    def not_applicable(self, questions: tuple[str, ...]) -> str | None:
        """The reason, when every one of ``questions`` is marked not applicable."""
        reasons = [self.product.not_applicable.get(q) for q in questions]
        if not questions or any(r is None for r in reasons):
            return None
        return "; ".join(dict.fromkeys(r for r in reasons if r))

    def gap(
        self, schema_path: str, where: Where, questions: tuple[str, ...] | None = None, *, name: str = ""
    ) -> Missing:
        """Record that the field at ``schema_path`` (found at ``where``) is open; the statement to show.

        ``name`` names the list item the statement is about (a data type, a means)."""
        message = NOT_STATED[schema_path].format(name=name)
        qs = own_questions(schema_path) if questions is None else questions
        self._gaps.setdefault((message, where), Gap(_topic(schema_path), message, qs, where))
        return Missing(message)

    def get(self, path: str) -> Any:
        """The raw value at a dotted ``path`` (``support.support_end``), or None after noting a gap."""
        value = _resolve(self.product, path.split("."))
        if filled(value):
            return value
        if self.not_applicable(own_questions(path)) is None:
            self.gap(path, tuple(path.split(".")))
        return None

    def text(self, path: str, *, fmt: Callable[[Any], str] = show) -> Inline:
        """The answer at ``path`` in words, ``Does not apply: ...``, or a statement that it is missing."""
        return self.item(self.product, path, (), path, fmt=fmt)

    def item(
        self,
        root: BaseModel | None,
        attr: str,
        where: Where,
        schema_path: str,
        *,
        fmt: Callable[[Any], str] = show,
        name: str = "",
    ) -> Inline:
        """Like :meth:`text` for a field of one list item: ``root`` sits at ``where`` in the file and
        the field's model path is ``schema_path`` (``composition.data_types[].accessible_by``);
        ``name`` names the item in the statement of what is missing."""
        value = _resolve(root, attr.split("."))
        if filled(value):
            return fmt(value)
        reason = self.not_applicable(own_questions(schema_path))
        if reason is not None:
            return f"Does not apply: {reason}"
        return self.gap(schema_path, (*where, *attr.split(".")), name=name)
