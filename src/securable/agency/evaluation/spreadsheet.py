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
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET_TITLE
    for line in rows(ev):
        sheet.append(line)
    for header in sheet[1]:
        header.font = Font(bold=True)
    sheet.freeze_panes = "C2"  # priority and ID stay in view while scrolling
    for column in sheet.columns:
        letter = column[0].column_letter
        longest = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))
        for c in column[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    from datetime import datetime

    book.properties.created = datetime(2000, 1, 1)  # not the clock: see _fixed_times
    book.properties.creator = "securable"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same ZIP with every entry dated 1980-01-01 and the workbook's modified time fixed: the zip
    module and openpyxl's save both stamp the current time, and the same evaluation should give the
    same bytes."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = source.read(entry)
            if entry.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", body)
            target.writestr(fixed, body)
    return out.getvalue()
