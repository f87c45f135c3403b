"""The device register's rows: reading CSV and XLSX imports, checking each row, writing CSV.

Uploads are untrusted: the readers cap the bytes, the rows, the cells' length and (for XLSX, a zip)
the unpacked size before a parser sees them, and every problem is reported as ``row:column`` with
what is wrong and how to fix it, so a dry run can show the whole list at once.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from securable.errors import InputError
from securable.textsafety import csv_cell

STATUSES = ("in service", "under maintenance", "restricted", "offsite", "retired")
COLUMNS = (
    "asset_tag",
    "serial",
    "location",
    "system",
    "owner",
    "status",
    "device_type",
    "vendor",
    "product",
    "version",
    "support_end",
    "end_of_life",
)
REQUIRED = ("asset_tag", "serial", "device_type")
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX is a zip: refuse a bomb before openpyxl unpacks it
MAX_ROWS = 20_000
MAX_CELL = 200
WARN_DAYS = 90  # warn this long ahead of support end and end of life

# The register's statuses carry out "control device interactions until these problems are resolved":
# a device whose post-maintenance check failed stays restricted.
ACTIONS = ("FPN-SEED-22.A2",)


@dataclass(frozen=True)
class DeviceRow:
    asset_tag: str
    serial: str
    location: str = ""
    system: str = ""
    owner: str = ""
    status: str = "in service"
    device_type: str = ""
    vendor: str = ""
    product: str = ""
    version: str = ""
    support_end: date | None = None
    end_of_life: date | None = None


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the header line
    column: str
    what: str
    fix: str

    def render(self) -> str:
        return f"{self.row}:{self.column}: {self.what} ({self.fix})"


def warnings(row: DeviceRow, today: date, ahead: int = WARN_DAYS) -> list[str]:
    """Support end and end of life that are past or within ``ahead`` days."""
    found: list[str] = []
    for label, when in (("support ends", row.support_end), ("end of life", row.end_of_life)):
        if when is None or row.status == "retired":
            continue
        if when < today:
            found.append(f"{label} {when.isoformat()} (passed)")
        elif when <= today + timedelta(days=ahead):
            found.append(f"{label} {when.isoformat()} (in {(when - today).days} days)")
    return found


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """The cells of an uploaded CSV or XLSX, as text; the first row is the header."""
    if len(content) > MAX_BYTES:
        raise InputError(f"{filename}: larger than {MAX_BYTES // 1024 // 1024} MiB", hint="split the file")
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content, filename)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{filename}: not UTF-8 text", hint="save the CSV as UTF-8") from err
    try:
        rows = [
            row
            for row, _ in zip(csv.reader(io.StringIO(text, newline="")), range(MAX_ROWS + 2), strict=False)
        ]
    except csv.Error as err:
        raise InputError(f"{filename}: not a readable CSV file: {err}") from err
    return _capped(rows, filename)


def _capped(rows: list[list[str]], filename: str) -> list[list[str]]:
    if len(rows) > MAX_ROWS + 1:
        raise InputError(f"{filename}: more than {MAX_ROWS} rows", hint="split the file")
    return rows


def _read_xlsx(content: bytes, filename: str) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise InputError(f"{filename}: unpacks to more than {MAX_UNPACKED // 1024 // 1024} MiB")
    except zipfile.BadZipFile as err:
        raise InputError(f"{filename}: not an XLSX file", hint="save it as .xlsx, or as CSV") from err
    import openpyxl  # only imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a malformed file
        raise InputError(f"{filename}: not a readable XLSX file ({type(err).__name__})") from err
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS:
                break
            rows.append(["" if v is None else _cell_text(v) for v in values[: len(COLUMNS) + 20]])
        return _capped(rows, filename)
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, date):  # datetime is a date too: spreadsheets store dates as datetimes
        return value.isoformat()[:10]
    return str(value)


def check_rows(rows: Sequence[Sequence[str]]) -> tuple[list[DeviceRow], list[RowError]]:
    """Every row's device, and every problem found; rows with a problem give no device."""
    if not rows:
        return [], [RowError(1, "-", "the file is empty", "put the column names on the first line")]
    header = [h.strip().lower().replace(" ", "_") for h in rows[0]]
    errors: list[RowError] = []
    unknown = [h for h in header if h and h not in COLUMNS]
    for name in unknown:
        errors.append(RowError(1, name, "unknown column", "use: " + ", ".join(COLUMNS)))
    for name in REQUIRED:
        if name not in header:
            errors.append(RowError(1, name, "missing column", f"add a column named {name}"))
    if errors:
        return [], errors
    devices: list[DeviceRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}
        found = _check(number, values, seen)
        if isinstance(found, DeviceRow):
            devices.append(found)
        else:
            errors += found
    return devices, errors


def _check(number: int, values: dict[str, str], seen: dict[str, int]) -> DeviceRow | list[RowError]:
    errors: list[RowError] = []
    for name, value in values.items():
        if len(value) > MAX_CELL:
            errors.append(RowError(number, name, f"longer than {MAX_CELL} characters", "shorten it"))
        if any(ord(c) < 32 for c in value):
            errors.append(RowError(number, name, "contains control characters", "remove them"))
    for name in REQUIRED:
        if not values.get(name):
            errors.append(RowError(number, name, "empty", f"fill in the {name.replace('_', ' ')}"))
    status = values.get("status", "").lower() or "in service"
    if status not in STATUSES:
        errors.append(
            RowError(number, "status", f"unknown status {status[:40]!r}", "use: " + ", ".join(STATUSES))
        )
    dates: dict[str, date | None] = {}
    for name in ("support_end", "end_of_life"):
        text = values.get(name, "")
        try:
            dates[name] = date.fromisoformat(text) if text else None
        except ValueError:
            dates[name] = None
            errors.append(RowError(number, name, f"not a date: {text[:40]!r}", "write it as YYYY-MM-DD"))
    tag = values.get("asset_tag", "")
    if "/" in tag or tag in {".", ".."}:  # the tag is a path segment of the device's page
        errors.append(RowError(number, "asset_tag", f"{tag[:40]!r} cannot be an asset tag", "use no '/'"))
    if tag and tag in seen:
        errors.append(
            RowError(number, "asset_tag", f"{tag[:40]!r} is also on row {seen[tag]}", "asset tags are unique")
        )
    elif tag:
        seen[tag] = number
    if errors:
        return errors
    return DeviceRow(
        asset_tag=tag,
        serial=values["serial"],
        location=values.get("location", ""),
        system=values.get("system", ""),
        owner=values.get("owner", ""),
        status=status,
        device_type=values["device_type"],
        vendor=values.get("vendor", ""),
        product=values.get("product", ""),
        version=values.get("version", ""),
        support_end=dates["support_end"],
        end_of_life=dates["end_of_life"],
    )


def table(rows: Iterable[DeviceRow]) -> list[list[str]]:
    """The register in the import's columns, header first; each cell formula-safe (a cell a
    spreadsheet would run gets a leading ')."""
    out = [list(COLUMNS)]
    for row in rows:
        cells = [
            row.asset_tag,
            row.serial,
            row.location,
            row.system,
            row.owner,
            row.status,
            row.device_type,
            row.vendor,
            row.product,
            row.version,
            row.support_end.isoformat() if row.support_end else "",
            row.end_of_life.isoformat() if row.end_of_life else "",
        ]
        out.append([csv_cell(c) for c in cells])
    return out


def to_csv(rows: Iterable[DeviceRow]) -> str:
    """The register as CSV, in the columns the import reads."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table(rows))
    return out.getvalue()


def to_xlsx(rows: Iterable[DeviceRow]) -> bytes:
    """The register as an XLSX workbook with the same cells as :func:`to_csv`; the import reads it."""
    from securable.rendering.spreadsheet import to_xlsx as workbook

    return workbook("Devices", table(rows), freeze="B2")  # the asset tag stays in view
