"""The evaluation as one self-contained, accessible HTML page (Jinja2, autoescaped).

Accessibility: the page language is set, there is one ``h1`` and no skipped heading level, a skip
link leads to the main content, every table has a caption and header cells with ``scope``, and a
status is always written out in words (colour only repeats it). The stylesheet is the customer
documents' (:mod:`securable.rendering.stylesheet`, light and dark), inline so the page opens
anywhere, from an email attachment to an air-gapped laptop; wide tables scroll inside their own
box on a phone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from securable import __version__
from securable.agency.evaluation.evaluate import MET, STATUSES, Evaluation
from securable.agency.evaluation.report import (
    ERROR_WORDS,
    LABELS,
    MAX_PROBLEMS,
    MEANINGS,
    SECTION_TITLES,
    SIGNATURE_WORDS,
    bottom_line,
    cell,
    claims_text,
    counts,
    customer_ids,
    four,
    notes,
    priority_notes,
    priority_text,
    result,
    row_prose,
    summary,
)
from securable.agency.requirements.links import FEDERAL
from securable.rendering.formats import RenderOptions
from securable.rendering.htmltext import finalize
from securable.rendering.stylesheet import stylesheet

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # vendor files are untrusted: their text must never become markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,  # control characters and Markdown links out of every value
    )
    return env.get_template("evaluation.html.j2")


def to_html(ev: Evaluation, options: RenderOptions) -> str:
    return _template().render(
        ev=ev,
        req=ev.requirements,
        found=counts(ev),
        version=__version__,
        css=stylesheet(),
        statuses=STATUSES,
        labels=LABELS,
        meanings=MEANINGS,
        signature=SIGNATURE_WORDS,
        errors=ERROR_WORDS,
        max_problems=MAX_PROBLEMS,
        overall=[ev.overall(i) for i in range(len(ev.evaluated))],
        sections=_sections(ev),
        notes=notes(ev),
        federal=FEDERAL,
        result=result,
        cell=cell,
        four=four,
        css_class=lambda status: "met" if status in MET else status,
        claims_text=claims_text,
        customer_ids=customer_ids,
        bottom_lines=[bottom_line(ev, i) for i in range(len(ev.evaluated))],
        summaries=[summary(ev, i) for i in range(len(ev.evaluated))],
        deciding=ev.deciding(),
        priority_text=priority_text,
        priority_notes=priority_notes(),
        row_prose=row_prose,
    )


def _sections(ev: Evaluation) -> list[dict[str, object]]:
    """Rows grouped by section, then capability, for the side-by-side tables."""
    out: list[dict[str, object]] = []
    for key, title in SECTION_TITLES.items():
        caps = []
        for totals in ev.totals:
            rows = [
                r for r in ev.rows if r.item.section == key and r.item.record.id.split("-", 1)[0] == totals.id
            ]
            if rows:
                caps.append({"id": totals.id, "title": totals.title, "rows": rows})
        if caps:
            out.append({"key": key, "title": title, "capabilities": caps})
    return out
