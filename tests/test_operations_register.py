"""Device register rows: CSV and XLSX reading with per-row errors, warnings, CSV export, and the
seed page's Agency actions each mapped to a workflow."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from securable.errors import InputError
from securable.operations import register as reg
from securable.operations.actions import markdown_table, seed_actions

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "asset_tag,serial,location,system,owner,status,device_type,vendor,product,version,support_end,end_of_life"
)


def csv_of(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_good_rows_become_devices() -> None:
    content = csv_of(
        "CAM-1,SN1,HQ lobby,Physical security,J. Doe,in service,camera,Acme,Cam,2.0,2027-01-01,2028-01-01",
        "CAM-2,SN2,,,,,camera,,,,,",
    )
    devices, errors = reg.check_rows(reg.read_table(content, "devices.csv"))
    assert errors == []
    assert [d.asset_tag for d in devices] == ["CAM-1", "CAM-2"]
    assert devices[0].support_end == date(2027, 1, 1)
    assert devices[1].status == "in service"


def test_every_problem_is_reported_with_row_and_column() -> None:
    content = csv_of(
        "CAM-1,SN1,,,,broken,camera,,,,2027-13-01,",
        ",SN2,,,,,camera,,,,,",
        "CAM-1,SN3,,,,,,,,,,",
        "CAM-4,SN4,,,,,camera,,,,,soon",
    )
    devices, errors = reg.check_rows(reg.read_table(content, "devices.csv"))
    assert devices == []
    where = {(e.row, e.column) for e in errors}
    assert where == {
        (2, "status"),
        (2, "support_end"),
        (3, "asset_tag"),
        (4, "asset_tag"),
        (4, "device_type"),
        (5, "end_of_life"),
    }
    rendered = [e.render() for e in errors]
    assert any(r.startswith("2:status: unknown status 'broken'") and "use: in service" in r for r in rendered)
    assert any("also on row 2" in r for r in rendered)


def test_header_problems_stop_before_rows() -> None:
    _, errors = reg.check_rows([["asset_tag", "colour"], ["A", "red"]])
    assert {(e.column, e.what) for e in errors} == {
        ("colour", "unknown column"),
        ("serial", "missing column"),
        ("device_type", "missing column"),
    }
    _, empty = reg.check_rows([])
    assert empty[0].what == "the file is empty"


def test_hostile_cells_are_refused() -> None:
    long = "x" * (reg.MAX_CELL + 1)
    content = csv_of(
        f"A,{long},,,,,camera,,,,,",
        "B,S\x07N,,,,,camera,,,,,",
        "a/b,S,,,,,camera,,,,,",
        "..,S,,,,,camera,,,,,",
    )
    _, errors = reg.check_rows(reg.read_table(content, "d.csv"))
    assert {(e.row, e.column) for e in errors} == {
        (2, "serial"),
        (3, "serial"),
        (4, "asset_tag"),
        (5, "asset_tag"),
    }


def test_unreadable_uploads_are_input_errors() -> None:
    with pytest.raises(InputError, match="UTF-8"):
        reg.read_table(b"\xff\xfe\x00bad", "d.csv")
    with pytest.raises(InputError, match="larger"):
        reg.read_table(b"a" * (reg.MAX_BYTES + 1), "d.csv")
    with pytest.raises(InputError, match="more than"):
        reg.read_table(("a\n" * (reg.MAX_ROWS + 5)).encode(), "d.csv")
    with pytest.raises(InputError, match="not an XLSX"):
        reg.read_table(b"PK not really", "d.xlsx")


def test_an_xlsx_bomb_is_refused_before_parsing() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (reg.MAX_UNPACKED + 1))
    assert len(buffer.getvalue()) < reg.MAX_BYTES
    with pytest.raises(InputError, match="unpacks to more than"):
        reg.read_table(buffer.getvalue(), "bomb.xlsx")


def test_xlsx_rows_read_like_csv_rows() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(
        ["T-1", 12345, "Lab", "", "", "in service", "thermostat", "", "", "", date(2026, 7, 1), None]
    )
    out = io.BytesIO()
    book.save(out)
    devices, errors = reg.check_rows(reg.read_table(out.getvalue(), "devices.xlsx"))
    assert errors == []
    assert devices[0].serial == "12345"
    assert devices[0].support_end == date(2026, 7, 1)


def test_warnings_ahead_of_support_end_and_end_of_life() -> None:
    row = reg.DeviceRow(
        "A", "S", device_type="camera", support_end=date(2026, 7, 1), end_of_life=date(2026, 5, 1)
    )
    found = reg.warnings(row, date(2026, 6, 1))
    assert found == ["support ends 2026-07-01 (in 30 days)", "end of life 2026-05-01 (passed)"]
    assert reg.warnings(row, date(2025, 1, 1)) == []
    retired = reg.DeviceRow("A", "S", status="retired", end_of_life=date(2020, 1, 1))
    assert reg.warnings(retired, date(2026, 6, 1)) == []


def test_export_reimports_and_defuses_formulas() -> None:
    rows = [
        reg.DeviceRow("=HYPERLINK(1)", "S1", device_type="camera", support_end=date(2027, 1, 2)),
        reg.DeviceRow("B", "S2", location="Room, 2", device_type="camera"),
    ]
    text = reg.to_csv(rows)
    assert "'=HYPERLINK" in text
    back, errors = reg.check_rows(reg.read_table(text.encode(), "export.csv"))
    assert errors == []
    assert back[1] == rows[1]
    assert back[0].asset_tag == "'=HYPERLINK(1)"


def test_every_seed_agency_action_has_a_workflow_and_the_readme_lists_it() -> None:
    actions = seed_actions()
    assert len({a.id for a in actions}) == len(actions) > 50
    assert all(a.id.startswith("FPN-SEED-") for a in actions)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # Regenerate with: python -m securable.operations.actions
    assert markdown_table() in readme
    for action in actions:
        assert f"| {action.id} |" in readme
