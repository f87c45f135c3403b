"""``securable requirements`` and ``securable oscal resolve`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from golden import assert_golden
from securable.cli import main
from securable.oscal.validate import validate_file

OSCAL = Path("nist-sp800-53-rev5-oscal")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def nist(sources: Path) -> tuple[Path, Path]:
    profile = sources / OSCAL / "5.1.1_88bb8de" / "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"
    return profile, sources / OSCAL / "5.0.1_a849dbc" / "NIST_SP-800-53_rev5_catalog.json"


def test_moderate_markdown_report_is_golden(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "requirements", "--baseline", "moderate", "--format", "markdown")
    assert code == 0
    assert err == ""
    assert_golden("requirements/moderate.md", out)


def test_profile_gives_the_same_requirements_as_the_shipped_baseline(
    capsys: pytest.CaptureFixture[str], sources: Path
) -> None:
    profile, catalog = nist(sources)
    code, out, err = run(
        capsys, "requirements", "--profile", str(profile), "--catalog", str(catalog), "--format", "json"
    )
    assert code == 0
    assert "warning: NIST_SP-800-53_rev5_MODERATE-baseline_profile.json: imports[0]" in err
    from_profile = json.loads(out)
    _, out, _ = run(capsys, "requirements", "--baseline", "moderate", "--format", "json")
    from_baseline = json.loads(out)
    for key in ("technical", "support", "agency"):
        assert from_profile[key] == from_baseline[key]
    assert from_profile["controls"]["kind"] == "profile"


def test_oscal_output_with_tailoring_validates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "requirements.json"
    code, out, _ = run(
        capsys,
        "requirements",
        "--baseline",
        "low",
        "--add",
        "LAI-1.4=kiosk mode needs it",
        "--drop",
        "FPN-MA-4=budgeted elsewhere",
        "--format",
        "oscal",
        "-o",
        str(target),
    )
    assert code == 0
    assert out == ""
    assert validate_file(target).ok
    props = json.loads(target.read_text())["profile"]["metadata"]["props"]
    assert any(p["name"] == "tailoring-add" and p["value"] == "sp800-213a:LAI-1.4" for p in props)


@pytest.mark.parametrize("fmt", ["table", "html", "json"])
def test_other_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "requirements", "--baseline", "privacy", "--format", fmt)
    assert code == 0
    assert "Securable-derived" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "give either --baseline NAME or --profile FILE"),
        (("--baseline", "low", "--profile", "p.json"), "give either"),
        (("--baseline", "low", "--catalog", "c.json"), "--catalog goes with --profile"),
        (("--baseline", "extreme"), "invalid choice"),
        (("--baseline", "low", "--add", "DI-1.1"), "expected ID=REASON"),
        (("--baseline", "low", "--drop", "XX-9=typo"), "to tailor"),
        (("--profile", "/nonexistent/profile.json"), "file not found"),
    ],
)
def test_bad_input_is_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    code, _, err = run(capsys, "requirements", *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_catalog_given_as_profile(capsys: pytest.CaptureFixture[str], sources: Path) -> None:
    _, catalog = nist(sources)
    code, _, err = run(capsys, "requirements", "--profile", str(catalog))
    assert code == 2
    assert "expected an OSCAL profile, found an OSCAL catalog" in err


def test_oscal_resolve_writes_a_valid_catalog(
    capsys: pytest.CaptureFixture[str], sources: Path, tmp_path: Path
) -> None:
    profile, catalog = nist(sources)
    target = tmp_path / "resolved.json"
    code, out, err = run(
        capsys, "oscal", "resolve", str(profile), "--catalog", str(catalog), "-o", str(target)
    )
    assert code == 0
    assert out == ""
    assert "used" in err
    assert target.read_text().count("\n") == 1  # compact, like NIST's *-min.json
    assert validate_file(target).ok
    code, out, _ = run(capsys, "oscal", "resolve", str(profile), "--catalog", str(catalog), "--pretty")
    assert code == 0
    assert json.loads(out) == json.loads(target.read_text())
    assert out.count("\n") > 1000


def test_oscal_resolve_without_the_catalog_says_what_to_do(
    capsys: pytest.CaptureFixture[str], sources: Path
) -> None:
    profile, _ = nist(sources)
    code, _, err = run(capsys, "oscal", "resolve", str(profile))
    assert code == 2
    assert "cannot find the imported document '#84cbf061-eb87-4ec1-8112-1f529232e907'" in err
    assert "--catalog FILE" in err


def test_help_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--help")
    assert "requirements" in out
    _, out, _ = run(capsys, "oscal", "--help")
    assert "resolve" in out
    code, out, _ = run(capsys, "requirements", "--help")
    assert code == 0
    assert "--add ID=REASON" in out
