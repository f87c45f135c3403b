"""Hostile input paths and values: every one is a clear error with its exit code, never a crash or a hang.

Symbolic link loops, over-long paths, named pipes, devices and folders where a file belongs; URLs
that are not RFC 3986 URIs; SBOMs with lone surrogate escapes and VEX files that are not UTF-8. All
are made by the tests themselves. Cases that could block on a named pipe run in a subprocess with a
timeout, as a hang guard only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from securable.cli import main

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera"
REQUIREMENTS = ROOT / "examples" / "agency" / "moderate-requirements.json"
LONG = "a" * 5000  # longer than any file name (255) and any path (4096) Linux allows
HANG_GUARD = 60  # seconds; only so that a blocking open fails the test instead of stalling it


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "securable", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
        env={**os.environ, "SECURABLE_NO_CACHE": "1"},
    )
    return done.returncode, done.stderr


def no_crash(err: str) -> None:
    assert "internal error" not in err
    assert "Traceback" not in err


@pytest.fixture
def camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The home camera example in a folder of its own (the current folder), with a symlink loop."""
    folder = tmp_path / "camera"
    shutil.copytree(CAMERA, folder)
    (folder / "loop").symlink_to("loop")
    from securable.package.keys import keygen

    keygen(tmp_path / "signing.key", folder / "public.pem")
    monkeypatch.chdir(folder)
    return folder


def with_value(folder: Path, pattern: str, replacement: str, name: str = "changed.yaml") -> Path:
    """A copy of the product file with the first line matching ``pattern`` replaced (its indentation,
    group 1, kept)."""
    text = (folder / "securable.yaml").read_text("utf-8")
    changed, count = re.subn(pattern, lambda m: m.group(1) + replacement, text, count=1, flags=re.M)
    assert count == 1, pattern
    (folder / name).write_text(changed, "utf-8")
    return folder / name


# --- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["package", "loop", "-o", "out", "--no-pdf"], "loop: symbolic link loop"),
        (["package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", "loop"], "loop: symbolic link loop"),
        (["package", "securable.yaml", "-o", "out", "--no-pdf", "--key", "loop"], "loop: symbolic link loop"),
        (["package", "securable.yaml", "-o", "loop", "--no-pdf"], "loop: symbolic link loop"),
        (["check", "loop"], "loop: symbolic link loop"),
        (["evaluate", "--requirements", str(REQUIREMENTS), "loop"], "loop: symbolic link loop"),
        (["verify", "loop", "--key", "loop"], "loop: symbolic link loop"),
        (["oscal", "resolve", "loop"], "loop: symbolic link loop"),
        (["requirements", "--profile", "loop"], "loop: symbolic link loop"),
        (["keygen", "loop", "new.pem"], "loop: symbolic link loop"),
        (["init", "loop", "--template"], "loop: symbolic link loop"),
        (["init", LONG, "--template"], "path too long"),
        (["check", "securable.yaml", "--profile", LONG], "path too long"),
        (["package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", LONG], "path too long"),
        (["verify", LONG, "--key", "public.pem"], "path too long"),
        (["evaluate", "--requirements", str(REQUIREMENTS), LONG], "path too long"),
        (["evaluate", "--requirements", str(REQUIREMENTS), f"vendor={LONG}"], "path too long"),
        (["evaluate", "--requirements", LONG, "sbom.cdx.json"], "path too long"),
        (["oscal", "validate", LONG], "path too long"),
        (["package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", "."], "is a folder, not a VEX file"),
        (
            ["package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", "/dev/null"],
            "is a device, not a VEX file",
        ),
        (["check", "securable.yaml", "-o", ""], "-o/--output: the path is empty"),
        (["catalog", "export", "nistir-8259a", "--format", "csv", "-o", ""], "the path is empty"),
        (["check", ""], "PRODUCT: the path is empty"),
    ],
)
def test_unusable_paths_are_exit_2_and_say_what_they_are(
    capsys: pytest.CaptureFixture[str], camera: Path, argv: list[str], words: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert words in err
    assert "hint:" in err
    no_crash(err)
    assert out == ""  # -o '' no longer means standard output
    assert not (camera / "out").exists()


def test_a_long_path_is_shown_cut_in_the_middle(capsys: pytest.CaptureFixture[str], camera: Path) -> None:
    _, _, err = run(capsys, "package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", LONG)
    assert f"({len(LONG):,} characters)" in err
    assert len(err) < 1000


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", "pipe"],
            "is a named pipe, not a VEX",
        ),
        # A product may come from a pipe (`check <(cat securable.yaml)`, `package` too): one that
        # nobody writes to is refused at once as empty.
        (["check", "pipe"], "pipe: nothing was written to this pipe"),
        (["package", "pipe", "-o", "out", "--no-pdf"], "pipe: nothing was written to this pipe"),
        (
            ["package", "securable.yaml", "-o", "out", "--no-pdf", "--key", "pipe"],
            "is a named pipe, not a key",
        ),
        (["oscal", "validate", "pipe"], "is a named pipe"),
        (["evaluate", "--requirements", str(REQUIREMENTS), "pipe"], "is a named pipe"),
    ],
)
def test_a_named_pipe_is_refused_without_blocking(camera: Path, argv: list[str], words: str) -> None:
    os.mkfifo(camera / "pipe")  # nobody ever writes to it: opening it blocking would wait forever
    code, err = run_process(*argv, cwd=camera)
    assert code == 2, err
    assert words in err
    no_crash(err)


@pytest.mark.parametrize(
    ("sbom", "words"),
    [
        (".", "SBOM path '.': is a folder, not an SBOM file"),
        ("loop", "SBOM path 'loop': symbolic link loop"),
        ("pipe", "SBOM path 'pipe': is a named pipe"),
        (LONG, "path too long"),
        ("../elsewhere.cdx.json", "leads outside"),
    ],
)
def test_sbom_paths_that_name_no_regular_file(camera: Path, sbom: str, words: str) -> None:
    os.mkfifo(camera / "pipe")
    product = with_value(camera, r"^(\s*)sbom:.*$", f'sbom: "{sbom}"')
    for command in (["check", product.name], ["package", product.name, "-o", "out", "--no-pdf"]):
        code, err = run_process(*command, cwd=camera)
        assert code == 1, err  # the product description does not validate
        assert re.search(rf"{product.name}:\d+:\d+: composition\.software_inventory\.sbom: ", err), err
        assert words in err
        no_crash(err)


# --- file content --------------------------------------------------------------------------------


def test_a_lone_surrogate_in_the_sbom_is_refused_by_check_and_package(
    capsys: pytest.CaptureFixture[str], camera: Path
) -> None:
    bom = json.loads((camera / "sbom.cdx.json").read_text("utf-8"))
    bom["metadata"]["component"]["name"] = "cam\ud800era"
    (camera / "bad.cdx.json").write_text(json.dumps(bom, indent=2), "utf-8")  # "\ud800" as an escape
    product = with_value(camera, r"^(\s*)sbom:.*$", "sbom: bad.cdx.json")
    for command in (["check", product.name], ["package", product.name, "-o", "out", "--no-pdf"]):
        code, _, err = run(capsys, *command)
        assert code == 1, err
        assert "surrogate pair on its own (\\ud800 at line" in err
        no_crash(err)
    assert not (camera / "out").exists()


def test_a_vex_that_is_not_utf8_is_refused(capsys: pytest.CaptureFixture[str], camera: Path) -> None:
    (camera / "bad.vex.json").write_bytes(
        b'{"@context": "https://openvex.dev/ns/v0.2.0",\n "author": "\xff\xfe"}'
    )
    code, _, err = run(capsys, "package", "securable.yaml", "-o", "out", "--no-pdf", "--vex", "bad.vex.json")
    assert code == 2
    assert "not UTF-8 text (byte 0xff at line 2, column 13)" in err
    no_crash(err)


# --- URL fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("documentation_url", '"https://[::1"', "has no valid host name"),
        ("documentation_url", '"https://example.com/a|b"', "is not a valid URI (RFC 3986)"),
        ("documentation_url", '"https://example.com/{x}"', "is not a valid URI (RFC 3986)"),
        ("documentation_url", '"https://example.com/\\""', "is not a valid URI (RFC 3986)"),
        ("documentation_url", '"https://example.com/\\x1c"', "U+001C"),
        ("documentation_url", '"www.example.com"', "does not start with https:// or http://"),
        ("security_contact", '"https://[::1"', "has no valid host name"),
        ("security_contact", '"mailto:a@example.com\\r\\nContact: x"', "U+000D"),
        ("security_contact", '"sec|urity@example.com"', "is not a valid URI"),
        ("policy_url", '"https://example.com/{policy}"', "is not a valid URI"),
        ("address", '"https://[::1"', "has no valid host name"),
        ("address", '"https://example.com/report\\x1cContact: x"', "U+001C"),
    ],
)
def test_url_fields_must_be_rfc3986_uris(
    capsys: pytest.CaptureFixture[str], camera: Path, key: str, value: str, words: str
) -> None:
    """check accepted these and package crashed (urlsplit) or wrote files that break their formats."""
    product = with_value(camera, rf"^(\s*){key}:.*$", f"{key}: {value}")
    for command in (["check", product.name], ["package", product.name, "-o", "out", "--no-pdf"]):
        code, _, err = run(capsys, *command)
        assert code == 1, err
        assert re.search(rf"{product.name}:\d+:\d+: [a-z_.\[\]0-9]*{key}: ", err), err
        assert words in err
        assert "hint" in err or "; " in err  # every problem says how to fix it
        no_crash(err)
    assert not (camera / "out").exists()


def test_good_uris_still_load(capsys: pytest.CaptureFixture[str], camera: Path) -> None:
    text = (camera / "securable.yaml").read_text("utf-8")
    text = re.sub(
        r"^(\s*documentation_url:).*$",
        lambda m: f"{m.group(1)} 'https://[2001:db8::1]:8443/docs/a%20b?x=1&y=(2)#top'",
        text,
        count=1,
        flags=re.M,
    )
    (camera / "good.yaml").write_text(text, "utf-8")
    code, _, err = run(capsys, "check", "good.yaml", "--format", "json", "--fail-on", "none")
    assert code == 0, err
