"""The requirement table as CSV and XLSX, for procurement spreadsheets.

One row per requirement, highest priority first (the order an officer reads them in), with each
vendor's verdict in words and the note that explains it. Both formats hold the same cells: every
cell goes through :func:`securable.textsafety.csv_cell`, since vendor text that starts like a
formula (``=HYPERLINK(...)``) would otherwise run when the sheet is opened, and openpyxl would even
store such a string as a formula.
"""

from __future__ import annotations

from securable.agency.evaluation.evaluate import Evaluation
from securable.agency.evaluation.report import SECTION_TITLES, cell, claims_text, priority_text, row_prose
from securable.rendering.formats import RenderOptions
from securable.textsafety import csv_cell

SHEET_TITLE = "Requirements"


def rows(ev: Evaluation) -> list[list[str]]:
    """The header and one row per requirement, every cell safe for a spreadsheet."""
    vendors = ev.evaluated
    head = ["priority", "id", "section", "capability", "requirement", "called for by", "added by the agency"]
    for v in vendors:
        head += [f"{v.name}: verdict", f"{v.name}: how", f"{v.name}: note"]
    out = [head]
    ranked = sorted(ev.rows, key=lambda r: r.priority)  # stable: catalog order within a priority
    for row in ranked:
        record = row.item.record
        line = [
            priority_text(row),
            record.id,
            SECTION_TITLES[row.item.section],
            record.id.split("-", 1)[0],
            record.text or record.title,
            ", ".join(c.upper() for c in row.item.calls),
            row.item.added,
        ]
        for i, (vendor, verdict) in enumerate(zip(vendors, row.verdicts, strict=True)):
            note = "; ".join(n for n in (verdict.note, row_prose(ev, i, row)) if n)
            line += [cell(verdict), claims_text(verdict, vendor), note]
        out.append(line)
    return [[csv_cell(c) for c in line] for line in out]


def to_csv(ev: Evaluation, options: RenderOptions) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows(ev))
    return buffer.getvalue()


def to_xlsx(ev: Evaluation) -> bytes:
    from securable.rendering.spreadsheet import to_xlsx as workbook

    return workbook(SHEET_TITLE, rows(ev), freeze="C2")  # priority and ID stay in view while scrolling
