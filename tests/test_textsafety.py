"""Untrusted text in every output: terminal, Markdown, CSV and security.txt, with hostile strings.

Each sanitiser is tested on its own (with Hypothesis for the properties that must hold for any
text) and through the commands that print or write text from product files and vendors.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from evaluation_builders import component, component_definition, requirement, requirements_profile, write
from securable.cli import main
from securable.rendering.htmltext import finalize
from securable.textsafety import controls, csv_cell, field_value, markdown, terminal, terminal_path

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera"

CLEAR_SCREEN = "\x1b[2J\x1b[H"
SET_TITLE = "\x1b]0;pwned\x07"  # OSC 0: set the window title
HOSTILE = [
    CLEAR_SCREEN + "Acme",
    SET_TITLE + "Acme",
    "Acme\x9b31m",  # CSI as one C1 character
    "Acme\u202egnp.exe",  # right-to-left override
    "<script>alert(1)</script>",
    "![x](http://evil.example/x.png)",
    "[a](javascript:alert(1))",
    "<javascript:alert(1)>",
    "=cmd|' /C calc'!A0",
    "Acme\r\nContact: https://evil.example",
]
_NOT_SAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the sanitisers ---------------------------------------------------------------------------------


def test_terminal_shows_escape_sequences_instead_of_running_them() -> None:
    assert terminal(CLEAR_SCREEN + "Acme") == "\\x1b[2J\\x1b[HAcme"
    assert terminal(SET_TITLE) == "\\x1b]0;pwned\\x07"
    assert terminal("Acme\x9b31m") == "Acme\\u009b31m"
    assert terminal("tag\U000e0041") == "tag\\udb40\\udc41"
    assert terminal("a\u202eb") == "a\\u202eb"
    assert terminal("two\nlines\tand tab") == "two\nlines\tand tab"  # a report keeps its layout
    assert terminal("two\nlines", lines=False) == "two\\x0alines"  # one value does not
    assert terminal("café ✓ 設定") == "café ✓ 設定"


def test_terminal_path_keeps_escaping_undecodable_file_names() -> None:
    assert terminal_path("bad\udcff.txt") == "bad\\xff.txt"
    assert terminal_path("x\ud800y") == "x\\ud800y"
    assert terminal_path("\x1b[2J.txt") == "\\x1b[2J.txt"


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text())
def test_terminal_output_never_holds_a_control_character(text: str) -> None:
    safe = terminal(text)
    assert not _NOT_SAFE.search(safe.replace("\n", "").replace("\t", ""))
    assert terminal(safe) == safe  # escaping twice changes nothing: every writer may apply it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("![x](http://evil.example/x.png)", "!\\[x\\]\\(http://evil.example/x.png)"),
        ("[a](javascript:alert(1))", "\\[a\\]\\(javascript:alert(1))"),
        ("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"),
        ("a | b", "a \\| b"),
        ("`code` and *em* and _em_", "\\`code\\` and \\*em\\* and \\_em\\_"),
        ("# heading", "\\# heading"),
        ("> quote", "&gt; quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("---", "\\---"),
        ("1. item", "1\\. item"),
        ("5.0.1", "5.0.1"),  # a version, not a list
        ("-5 dB", "-5 dB"),
        ("two\nlines", "two lines"),
        (CLEAR_SCREEN + "x", "\\\\x1b\\[2J\\\\x1b\\[Hx"),
    ],
)
def test_markdown_escapes_html_links_images_and_block_syntax(text: str, expected: str) -> None:
    assert markdown(text) == expected


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text())
def test_markdown_output_is_one_line_without_raw_html_or_links(text: str) -> None:
    safe = markdown(text)
    assert "\n" not in safe
    assert "\r" not in safe
    assert not _NOT_SAFE.search(safe)
    assert "<" not in safe  # written as entities
    assert ">" not in safe
    assert "](" not in safe  # never the middle of a link, not even an escaped one
    # every [, ], | and backtick is escaped (preceded by an odd number of backslashes)
    for match in re.finditer(r"(\\*)([\[\]|`])", safe):
        assert len(match.group(1)) % 2 == 1, safe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Acme = fine", "Acme = fine"),
    ],
)
def test_csv_cells_never_start_a_formula(text: str, expected: str) -> None:
    assert csv_cell(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a\r\nContact: https://evil.example",
        "a\nContact: x",
        "a\rContact: x",
        "a\x1cContact: x",
        "a\x85Contact: x",
        "a\u2028Contact: x",
        "a\x0bContact: x",
    ],
)
def test_security_txt_values_stay_on_one_line(text: str) -> None:
    value = field_value(text)
    assert len(f"Contact: {value}".splitlines()) == 1
    assert value == "a Contact: " + text.split("Contact: ")[1]


def test_security_txt_values_show_control_characters() -> None:
    assert field_value("Acme" + SET_TITLE) == "Acme\\x1b]0;pwned\\x07"


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text())
def test_controls_leaves_no_control_character_and_keeps_lines(text: str) -> None:
    shown = controls(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown)
    assert shown.count("\n") == text.count("\n")
    assert shown.count("\t") == text.count("\t")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (CLEAR_SCREEN + "<b>x</b>", "\\x1b[2J\\x1b[H&lt;b&gt;x&lt;/b&gt;"),
        ("[x](javascript:alert(1))", "[x]&#40;javascript:alert(1))"),
        (Markup('<a href="https://example.org">a\x07</a>'), '<a href="https://example.org">a\\x07</a>'),
        (3, 3),
    ],
)
def test_html_values_are_escaped_with_controls_shown_and_no_markdown_link(
    value: object, expected: object
) -> None:
    assert finalize(value) == expected


def test_a_template_value_goes_through_finalize() -> None:
    from securable.package.documents.templating import environment

    page = (
        environment()
        .from_string("<p>{{ text }} {{ text | linkify }}</p>")
        .render(text=SET_TITLE + "[a](javascript:x)")
    )
    assert "\x1b" not in page
    assert "\x07" not in page
    assert "](javascript:" not in page
    assert page.count("\\x1b]0;pwned\\x07[a]&#40;javascript:x)") == 2


# --- through the commands ---------------------------------------------------------------------------


@pytest.fixture
def hostile_camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The home camera example whose product name and manufacturer are hostile text."""
    folder = tmp_path / "camera"
    shutil.copytree(CAMERA, folder)
    text = (folder / "securable.yaml").read_text("utf-8")
    name = json.dumps(CLEAR_SCREEN + SET_TITLE + "<script>x</script>![i](http://evil.example/i.png)")
    maker = json.dumps("Acme\r\nContact: https://evil.example\x1b[31m")
    text = re.sub(r"^  name: .*$", lambda _: f"  name: {name}", text, count=1, flags=re.M)
    text = re.sub(r"^  manufacturer: .*$", lambda _: f"  manufacturer: {maker}", text, count=1, flags=re.M)
    (folder / "securable.yaml").write_text(text, "utf-8")
    monkeypatch.chdir(folder)
    return folder


def test_check_prints_product_names_escaped(capsys: pytest.CaptureFixture[str], hostile_camera: Path) -> None:
    code, out, _ = run(capsys, "check", "securable.yaml", "--fail-on", "none")
    assert code == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\\x1b[2J" in out


def test_check_markdown_escapes_html_and_images(
    capsys: pytest.CaptureFixture[str], hostile_camera: Path
) -> None:
    code, out, _ = run(capsys, "check", "securable.yaml", "--format", "markdown", "--fail-on", "none")
    assert code == 0
    assert "<script>" not in out
    assert "[i](http://evil" not in out
    assert "&lt;script&gt;" in out
    assert "!\\[i\\]\\(http://evil.example/i.png)" in out


def test_security_txt_of_a_hostile_manufacturer_has_one_contact_per_address(hostile_camera: Path) -> None:
    from securable.package.context import PackageContext
    from securable.package.machine.securitytxt import PATH, build_securitytxt, contact_uris
    from securable.product import load_product

    product = load_product(hostile_camera / "securable.yaml")
    ctx = PackageContext(
        product=product,
        product_path=hostile_camera / "securable.yaml",
        date=date(2025, 9, 1),
        documentation_url="https://acme-home.example.com/homecam2/docs",
    )
    lines = build_securitytxt(ctx).files[PATH].decode("utf-8").splitlines()
    contacts = [line for line in lines if line.startswith("Contact:")]
    assert len(contacts) == len(contact_uris(product)[0])
    assert "evil" not in "".join(contacts)
    assert not any(_NOT_SAFE.search(line) for line in lines)


def test_catalog_csv_cells_start_no_formula(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "export", "sp800-213a", "--format", "csv")
    assert code == 0
    for row in csv.reader(io.StringIO(out)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_evaluate_prints_vendor_titles_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "requirements.json", requirements_profile(["di-1.1"], []))
    hostile = CLEAR_SCREEN + SET_TITLE + "Sensor <b>[x](javascript:alert(1))"
    write(
        tmp_path / "vendor.json",
        component_definition(hostile, component("hardware", hostile, requirement("di-1.1"))),
    )
    code, out, err = run(capsys, "evaluate", "--requirements", "requirements.json", "vendor.json")
    assert code == 0, err
    assert "\x1b" not in out + err
    assert "\x07" not in out + err
    code, out, _ = run(
        capsys, "evaluate", "--requirements", "requirements.json", "vendor.json", "-o", "t.txt"
    )
    assert "\x1b" not in (tmp_path / "t.txt").read_text("utf-8")
    code, out, _ = run(
        capsys, "evaluate", "--requirements", "requirements.json", "vendor.json", "--format", "markdown"
    )
    assert "[x](javascript:" not in out
    assert "<b>" not in out
    assert "\x1b" not in out
    assert "\\[x\\]\\(javascript:alert(1))" in out


def test_json_and_sarif_stay_valid_and_exact_on_a_terminal(
    capsys: pytest.CaptureFixture[str], hostile_camera: Path
) -> None:
    """json.dumps escapes C0 controls itself; C1 controls, bidi overrides and characters beyond the
    BMP that are not printable are escaped for the terminal in JSON's own syntax."""
    text = (hostile_camera / "securable.yaml").read_text("utf-8")
    name = "Cam\x9b2J\u202e\U000e0041 ✓"
    yaml_value = '"Cam\\x9b2J\\u202e\\U000e0041 ✓"'  # YAML's own escapes for the same text
    text = re.sub(r"^  model: .*$", lambda _: f"  model: {yaml_value}", text, count=1, flags=re.M)
    (hostile_camera / "securable.yaml").write_text(text, "utf-8")
    for fmt in ("json", "sarif"):
        code, out, _ = run(capsys, "check", "securable.yaml", "--format", fmt, "--fail-on", "none")
        assert code == 0
        assert not _NOT_SAFE.search(out.replace("\n", ""))
        assert "\U000e0041" not in out
        parsed = json.dumps(json.loads(out), ensure_ascii=False)  # valid JSON
        if fmt == "json":  # the report names the product (SARIF does not): the same text, once parsed
            assert name in parsed
