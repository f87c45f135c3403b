"""No command writes its output over one of its own inputs: exit 2, the input untouched.

Every command that writes a file is run with ``-o`` naming each kind of file it reads: given on the
command line, found through another file (the SBOM a product description names, the catalog a
profile imports, a file inside a vendor's package), and reached through a symbolic or hard link.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluation_builders import component, component_definition, requirement, requirements_profile, write
from securable.cli import main
from securable.fileio import CommandInputs, note_input, write_text_atomic
from securable.package.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera"
MEDICAL = ROOT / "examples" / "profiles" / "medical-device.yaml"
NIST_501 = Path("nist-sp800-53-rev5-oscal") / "5.0.1_a849dbc"


def refused(capsys: pytest.CaptureFixture[str], target: Path, *argv: str, shown: str | None = None) -> None:
    """``argv`` exits 2 naming the input, and ``target`` (an input) keeps every byte."""
    before = target.read_bytes() if target.is_file() else None
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "it is an input of this command" in err or "holds an input of this command" in err, err
    assert (shown or target.name) in err
    if before is not None:
        assert target.read_bytes() == before


@pytest.fixture
def camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "camera"
    shutil.copytree(CAMERA, folder)
    shutil.copy(MEDICAL, folder / "medical.yaml")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the check cache is exercised too
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("cached", [False, True])
@pytest.mark.parametrize("target", ["securable.yaml", "medical.yaml", "sbom.cdx.json"])
def test_check(camera: Path, capsys: pytest.CaptureFixture[str], target: str, cached: bool) -> None:
    argv = ["check", "securable.yaml", "--profile", "medical.yaml"]
    if cached:  # the second run answers from the cache and reads the files only to hash them
        main([*argv, "-o", "report.txt"])
        capsys.readouterr()
    refused(capsys, camera / target, *argv, "-o", target)


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symbolic link", "hard link"])
def test_check_through_a_link(
    camera: Path, capsys: pytest.CaptureFixture[str], link: Callable[[str, str], None]
) -> None:
    link("sbom.cdx.json", "other-name.json")
    refused(
        capsys, camera / "sbom.cdx.json", "check", "securable.yaml", "-o", "other-name.json", shown="sbom"
    )


@pytest.fixture
def nist(tmp_path: Path, sources: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A NIST 5.0.1 profile beside the catalog it imports (found by name), copied to play with."""
    for name in ("NIST_SP-800-53_rev5_LOW-baseline_profile.json", "NIST_SP-800-53_rev5_catalog.json"):
        shutil.copy(sources / NIST_501 / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("target", ["LOW-baseline_profile", "catalog"])
@pytest.mark.parametrize("command", [["oscal", "resolve"], ["requirements", "--profile"]])
def test_resolve_and_requirements(
    nist: Path, capsys: pytest.CaptureFixture[str], command: list[str], target: str
) -> None:
    path = nist / f"NIST_SP-800-53_rev5_{target}.json"
    refused(capsys, path, *command, "NIST_SP-800-53_rev5_LOW-baseline_profile.json", "-o", path.name)


@pytest.fixture
def vendors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Requirements, a vendor file and a signed vendor package, with its key."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "requirements.json", requirements_profile(["di-1.1"], []))
    good = component_definition("Good", component("hardware", "Good Sensor", requirement("di-1.1")))
    write(tmp_path / "good.json", good)
    assert main(["keygen", "vendor.key", "vendor.pem"]) == 0
    assert (
        main(["package", str(CAMERA / "securable.yaml"), "-o", "pkg", "--key", "vendor.key", "--no-pdf"]) == 0
    )
    return tmp_path


@pytest.mark.parametrize(
    "target",
    [
        "requirements.json",
        "good.json",
        "vendor.pem",
        "pkg/machine/oscal/component-definition.json",
        "pkg/new.txt",
    ],
)
def test_evaluate(vendors: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    capsys.readouterr()
    argv = [
        "evaluate",
        "--requirements",
        "requirements.json",
        "good.json",
        "cam=pkg",
        "--key",
        "cam=vendor.pem",
    ]
    shown = "pkg" if target.startswith("pkg/") else target
    refused(capsys, vendors / target, *argv, "-o", target, shown=shown)
    assert not (vendors / "pkg" / "new.txt").exists()
    assert main(["verify", "pkg", "--key", "vendor.pem"]) == 0


def test_package_folder_holding_the_sbom(camera: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (camera / "pkg").mkdir()
    (camera / "sbom.cdx.json").rename(camera / "pkg" / "sbom.cdx.json")
    text = (camera / "securable.yaml").read_text("utf-8")
    (camera / "securable.yaml").write_text(text.replace("sbom: sbom.cdx.json", "sbom: pkg/sbom.cdx.json"))
    refused(capsys, camera / "pkg" / "sbom.cdx.json", "package", "securable.yaml", "-o", "pkg", "--no-pdf")
    assert os.listdir(camera / "pkg") == ["sbom.cdx.json"]


def test_package_can_still_write_beside_its_inputs(camera: Path) -> None:
    assert main(["check", "securable.yaml", "-o", "report.txt"]) == 0
    assert main(["package", "securable.yaml", "-o", "pkg", "--no-pdf"]) == 0
    assert (camera / "pkg" / MANIFEST).is_file()


def test_outside_a_command_nothing_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old")
    note_input(target)  # no command is running: not recorded
    write_text_atomic(target, "new")
    with CommandInputs():
        note_input(target)
        with pytest.raises(Exception, match="it is an input of this command"):
            write_text_atomic(target, "newer")
    assert target.read_text() == "new"
    write_text_atomic(target, "after")  # the command is over: its inputs are forgotten
    assert json.dumps(target.read_text()) == '"after"'
