"""One XLSX writer for every table Securable exports (the vendor comparison, the device register).

Cells are written as text only: callers pass them through :func:`securable.textsafety.csv_cell`
first, because openpyxl stores a string starting with ``=`` as a formula. The bytes depend on the
rows alone (no clock), so the same table always gives the same file.
"""

from __future__ import annotations

from collections.abc import Sequence


def to_xlsx(title: str, rows: Sequence[Sequence[str]], *, freeze: str = "A2") -> bytes:
    """A one-sheet workbook named ``title``: the first row bold as the header, ``freeze`` the first
    cell that scrolls, columns as wide as their text (within reason), cells wrapped."""
    import io
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title
    for line in rows:
        sheet.append(list(line))
    for header in sheet[1]:
        header.font = Font(bold=True)
    sheet.freeze_panes = freeze
    for column in sheet.columns:
        letter = column[0].column_letter
        longest = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))
        for c in column[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    book.properties.created = datetime(2000, 1, 1)  # not the clock: see _fixed_times
    book.properties.creator = "securable"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same ZIP with every entry dated 1980-01-01 and the workbook's modified time fixed: the zip
    module and openpyxl's save both stamp the current time."""
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
