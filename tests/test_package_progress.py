"""Progress of a package build: numbered steps from the builder, one rewritten line on a terminal
from the CLI, and nothing at all when standard error is not a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pseudoterminal import run_on_terminal
from securable.package.build import build_package
from securable.package.context import PackageContext, Part
from securable.package.progress import CountingRenderings, Steps
from securable.rendering.progress import ProgressLine

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"


def pdf_twice(ctx: PackageContext) -> Part:
    assert ctx.renderings is not None
    made: list[str] = []

    def make(name: str) -> bytes:
        made.append(name)
        return f"%PDF {name}".encode()

    first = ctx.renderings.pdf("docs/a.pdf", "<p>same</p>", lambda: make("a"))
    second = ctx.renderings.pdf("docs/b.pdf", "<p>same</p>", lambda: make("b"))
    return Part({"docs/a.pdf": first, "docs/b.pdf": second, "made.txt": ",".join(made).encode()})


def plain(ctx: PackageContext) -> Part:
    return Part({"factsheet.html": b"<title>Fact sheet</title>"})


def test_the_builder_reports_every_step_in_order(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    result = build_package(
        CAMERA,
        tmp_path / "pkg",
        generators=[pdf_twice, plain],
        today=date(2025, 10, 1),
        progress=lambda step, total, what: seen.append((step, total, what)),
    )
    assert (tmp_path / "pkg" / "made.txt").read_text() == "a"  # the identical HTML is laid out once
    assert {total for _, total, _ in seen} == {4}  # assessment, two generators, writing
    assert [step for step, _, _ in seen] == sorted(step for step, _, _ in seen)
    assert seen[0] == (1, 4, "assessing the product description")
    assert (2, 4, "pdf_twice: laying out docs/a.pdf") in seen
    assert not any("docs/b.pdf" in what for _, _, what in seen)  # shared, not laid out again
    assert seen[-1] == (4, 4, "signing and writing the files")
    assert "made.txt" in result.files


def test_steps_without_a_listener_do_nothing() -> None:
    steps = Steps(None, total=2)
    steps.next("one")
    steps.detail("more")
    renderings = CountingRenderings(None, steps)
    assert renderings.pdf("x.pdf", "<p/>", lambda: b"%PDF") == b"%PDF"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_is_rewritten_in_place_fits_the_terminal_and_is_cleared() -> None:
    stream = Terminal()
    with ProgressLine(stream, width=40, prefix="p ") as line:
        line(1, 3, "a long step name that does not fit in forty columns at all")
        line(2, 3, "short \x1b]0;title\x07")
    shown = stream.getvalue().split("\r")
    assert shown[0] == ""
    assert all(len(part) <= 39 for part in shown)
    assert shown[1].startswith("p [1/3] a long step")
    assert shown[1].endswith("...")
    assert shown[2].startswith("p [2/3] short \\x1b]0;title\\x07")  # the product's text, escaped
    assert "\x1b" not in stream.getvalue()
    assert shown[-2].strip() == ""
    assert len(shown[-2]) == len(shown[2].rstrip())
    assert stream.getvalue().endswith("\r")


def test_no_line_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressLine(stream, width=80) as line:
        line(1, 2, "step")
    assert stream.getvalue() == ""


def run_package(tmp_path: Path, name: str, *, stderr_on_terminal: bool) -> tuple[str, str]:
    """``securable package --no-pdf``'s standard output and standard error."""
    command = [sys.executable, "-m", "securable", "package", str(CAMERA), "-o", str(tmp_path / name)]
    command += ["--no-pdf", "--date", "2025-10-01"]
    env = {**os.environ, "COLUMNS": "100"}
    if not stderr_on_terminal:
        piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=True)
        return piped.stdout, piped.stderr
    code, err, out = run_on_terminal(command, env, stream="stderr")
    assert code == 0
    return out, err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_package_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    out, err = run_package(tmp_path, "a", stderr_on_terminal=True)
    assert "\rsecurable: package [1/9] assessing the product description" in err
    assert "[2/9] writing the customer documents" in err
    # cleared before the first warning (the package date has the security.txt expired today)
    before, warning, _ = err.partition("securable: warning:")
    assert warning
    assert before.endswith("\r")
    assert before.rsplit("\r", 2)[-2].strip() == ""
    quiet_out, quiet_err = run_package(tmp_path, "b", stderr_on_terminal=False)
    assert "[1/9]" not in quiet_err
    assert "\r" not in quiet_err
    assert out.replace(str(tmp_path / "a"), "X") == quiet_out.replace(str(tmp_path / "b"), "X")
