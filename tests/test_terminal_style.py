"""Colour in `check` and `verify` output: only at a terminal (or with FORCE_COLOR), never with
NO_COLOR, never in files or JSON, and never from the product's own text."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pseudoterminal import run_on_terminal
from securable.cli import main
from securable.rendering import style

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "examples/agency/vendor-b/securable.yaml"  # findings of every severity but high
OURS = re.compile(r"\x1b\[[0-9;]*m")  # the only escape sequences Securable itself writes


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("tty", "env", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": "anything"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": ""}, False),
        (True, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins
        (True, {"TERM": "dumb"}, False),
    ],
)
def test_colour_only_where_it_is_wanted(
    monkeypatch: pytest.MonkeyPatch, tty: bool, env: dict[str, str], expected: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert style.enabled(Stream(tty)) is expected


def check(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["check", EXAMPLE, "--fail-on", "none", "--date", "2026-12-04", *args])
    return capsys.readouterr().out


def test_check_colours_severities_and_headings_when_forced(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = check(capsys)
    assert "\x1b" not in plain  # captured output is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = check(capsys)
    assert OURS.sub("", coloured) == plain  # colour adds nothing but colour
    assert style.paint("medium", *style.SEVERITY["medium"]) + "  " in coloured
    assert style.paint("low", *style.SEVERITY["low"]) + "  " in coloured
    assert style.paint("== NISTIR 8259 activities", style.BOLD) in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert check(capsys) == plain


def test_no_colour_in_json_or_in_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    for fmt in ("json", "sarif", "markdown"):
        assert "\x1b" not in check(capsys, "--format", fmt)
    out = tmp_path / "report.txt"
    check(capsys, "-o", str(out))
    assert "\x1b" not in out.read_text(encoding="utf-8")
    assert "== findings" in out.read_text(encoding="utf-8")


def test_escape_sequences_in_product_text_never_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A title-setting OSC and a colour from the product name, built here rather than stored.
    hostile = "Cam \x1b]0;pwned\x07 \x1b[31mred"
    product = tmp_path / "securable.yaml"
    product.write_text(f"securable: 1\nproduct:\n  name: {json.dumps(hostile)}\n", encoding="utf-8")
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["check", str(product), "--fail-on", "none"])
    out = capsys.readouterr().out
    assert "\x1b]0;pwned" not in out
    assert "\x07" not in out
    assert "\\x1b]0;pwned\\x07 \\x1b[31mred" in out
    assert "\x1b" not in OURS.sub("", out)  # every escape left is one of ours
    assert "\x1b[31mred" not in out


def test_verify_verdict_in_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    public = tmp_path / "public.pem"
    assert main(["keygen", str(tmp_path / "private.pem"), str(public)]) == 0
    folder = tmp_path / "p"
    folder.mkdir()
    capsys.readouterr()
    verify = ["verify", str(folder), "--key", str(public)]
    assert main(verify) == 1
    plain = capsys.readouterr().out
    assert plain.startswith("FAILED:")
    assert "\x1b" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(verify) == 1
    coloured = capsys.readouterr().out
    assert coloured.startswith(style.paint("FAILED", style.BOLD, style.RED) + ":")
    assert style.paint("no-manifest", style.RED) in coloured
    assert OURS.sub("", coloured) == plain
    assert main([*verify, "--format", "json"]) == 1
    assert "\x1b" not in capsys.readouterr().out
    ok = "OK: p: Cam 1.0, 3 files match the manifest signed by SHA256:x\n"
    assert style.verify_report(ok) == style.paint("OK", style.BOLD, style.GREEN) + ok[2:]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_real_terminal_gets_colour_and_a_pipe_or_no_color_does_not() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm", COLUMNS="100")
    # the home camera's short report: one medium finding
    command = [
        sys.executable,
        "-m",
        "securable",
        "check",
        "examples/home-camera/securable.yaml",
        "--fail-on",
        "none",
    ]
    code, shown, _ = run_on_terminal(command, env)
    assert code == 0
    assert "\x1b[33mmedium\x1b[0m" in shown
    piped = subprocess.run(command, capture_output=True, env=env, timeout=60, check=False, text=True)
    assert "\x1b" not in piped.stdout
    assert "medium" in piped.stdout
    code, shown, _ = run_on_terminal(command, {**env, "NO_COLOR": "1"})
    assert code == 0
    assert "\x1b" not in shown
    assert "medium" in shown
