"""``securable check`` end to end: formats, --fail-on exit codes, -o, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from securable.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "examples/home-camera/securable.yaml"
PROFILE = "examples/profiles/medical-device.yaml"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_report_covers_both_core_baselines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, EXAMPLE, "--date", "2025-10-01", "--fail-on", "none")
    assert code == 0
    assert "== baseline nistir-8259a" in out
    assert "== baseline nistir-8259b" in out
    assert "as of:     2025-10-01" in out


def test_json_with_baselines_and_a_profile(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        EXAMPLE,
        "--baseline",
        "sp800-213a",
        "--profile",
        PROFILE,
        "--format",
        "json",
        "--fail-on",
        "none",
    )
    assert code == 0
    data = json.loads(out)
    assert [c["target"]["id"] for c in data["coverage"]] == ["sp800-213a", "medical-device"]


def test_fail_on_sets_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(capsys, EXAMPLE, "--format", "json", "--fail-on", "none", "--date", "2025-10-01")
    severities = {f["severity"] for f in json.loads(out)["findings"]}
    assert "medium" in severities  # the example has coverage gaps
    for level, expected in (("medium", 1), ("low", 1), ("info", 1), ("none", 0)):
        assert run(capsys, EXAMPLE, "--fail-on", level, "--date", "2025-10-01")[0] == expected, level
    high = 1 if "high" in severities else 0
    assert run(capsys, EXAMPLE, "--date", "2025-10-01")[0] == high  # the default is --fail-on high


def test_output_file_and_sarif(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "check.sarif"
    code, out, _ = run(capsys, EXAMPLE, "--format", "sarif", "-o", str(target), "--fail-on", "none")
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_source_date_epoch_sets_the_date(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, out, _ = run(capsys, EXAMPLE, "--format", "json", "--fail-on", "none")
    assert json.loads(out)["date"] == "2023-11-14"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "missing.yaml: no such file"),
        ([EXAMPLE, "--baseline", "nistir-8259c"], "nistir-8259c"),
        ([EXAMPLE, "--profile", "nope.yaml"], "no such profile file"),
        ([EXAMPLE, "--date", "2025-13-01"], "is not a date"),
        ([EXAMPLE, "--format", "xml"], "xml"),
    ],
)
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert message in err


def test_a_bad_profile_lists_every_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "securable-profile: 1\nid: p\nselect: [sp800-213a:SU-1.55]\nexclude: {8259A-DP.3: ''}\n"
    )
    code, _, err = run(capsys, EXAMPLE, "--profile", str(profile))
    assert code == 2
    assert f"{profile}:3:10: select[0]: no catalog record 'sp800-213a:SU-1.55'" in err
    assert f"{profile}:4:23: exclude.8259A-DP.3: no reason given" in err


def test_check_stays_out_of_cli_start_up() -> None:
    import subprocess
    import sys

    code = (
        "import sys, securable.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'securable.assess'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_blank_template_fails_with_high_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from securable.product.template import template_yaml

    blank = tmp_path / "securable.yaml"
    blank.write_text(template_yaml(), "utf-8")
    code, out, _ = run(capsys, str(blank), "--format", "json", "--date", "2025-10-01")
    assert code == 1  # --fail-on high, the default
    high = {f["rule"] for f in json.loads(out)["findings"] if f["severity"] == "high"}
    assert high == {"QST-003", "QST-004"}


def test_the_help_names_the_default_baselines_the_core_uses() -> None:
    from securable.assess import DEFAULT_BASELINES
    from securable.cli import help_for

    assert f"(default: {' and '.join(DEFAULT_BASELINES)})" in " ".join(help_for(["check"]).split())
