"""The report of ``securable questions``: which NISTIR 8259 questions a description answers, leaves
open or marks not applicable, as a table or JSON (one writer each)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from securable.product.questions import QuestionState, status_counts
from securable.rendering import formats
from securable.rendering.formats import RenderOptions
from securable.rendering.layout import table

WRITERS = {
    "table": "securable.product.questions_report:render_table",
    "json": "securable.product.questions_report:render_json",
}
FORMATS = tuple(WRITERS)


@dataclass(frozen=True, slots=True)
class QuestionsReport:
    file: str  # the product file as given
    states: tuple[QuestionState, ...]  # every question
    status: str | None = None  # show only questions with this status (None: all)

    @property
    def shown(self) -> list[QuestionState]:
        return [s for s in self.states if self.status is None or s.status == self.status]


def render(report: QuestionsReport, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("questions report", WRITERS, report, fmt, options)


def render_json(report: QuestionsReport, options: RenderOptions) -> str:
    data = {
        "file": report.file,
        "counts": {str(status): n for status, n in status_counts(report.states).items()},
        "questions": [_state_json(s) for s in report.shown],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_table(report: QuestionsReport, options: RenderOptions) -> str:
    rows = [_state_row(s) for s in report.shown]
    text = table(("ID", "STATUS", "SECTION", "QUESTION"), rows, width=options.width)
    summary = ", ".join(f"{n} {status}" for status, n in status_counts(report.states).items())
    return text + f"\n{len(report.states)} questions: {summary}\n"


def _question(question: str) -> tuple[str, str]:
    """The section and question text from the questions catalog."""
    from securable import catalog

    record = catalog.load("nistir-8259-questions").get(question)
    if record is None:
        return "", question
    section = record.props.get("section", "")
    return section if isinstance(section, str) else "", record.title


def _state_row(state: QuestionState) -> tuple[str, str, str, str]:
    section, title = _question(state.question)
    text = title
    if state.missing:
        text += " — missing: " + ", ".join(state.missing)
    if state.reason:
        text += " — not applicable: " + state.reason
    return state.question, str(state.status), section, text


def _state_json(state: QuestionState) -> dict[str, object]:
    section, title = _question(state.question)
    return {
        "id": state.question,
        "status": str(state.status),
        "section": section,
        "question": title,
        "fields": list(state.fields),
        "missing": list(state.missing),
        "reason": state.reason,
    }
