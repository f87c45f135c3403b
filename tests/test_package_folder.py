"""The package folder: the user's files are never deleted, one build at a time, interrupted builds
recovered (including by SIGKILL at random points), and keys never written over devices."""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from securable.cli import main
from securable.package import build
from securable.package.context import PackageContext, Part
from securable.package.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
CAMERA = str(ROOT / "examples" / "home-camera" / "securable.yaml")


def fake(ctx: PackageContext) -> Part:
    return Part({"docs/guide.html": b"<title>Guide</title>", "machine/security.txt": b"Contact: x\n"})


@pytest.fixture
def keys(tmp_path: Path) -> tuple[str, str]:
    private, public = str(tmp_path / "private.pem"), str(tmp_path / "public.pem")
    assert main(["keygen", private, public]) == 0
    return private, public


@pytest.fixture
def built(
    tmp_path: Path, keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setattr(build, "default_generators", lambda pdf: [fake])
    out = tmp_path / "pkg"
    assert main(["package", CAMERA, "-o", str(out), "--key", keys[0]]) == 0
    capsys.readouterr()
    return out


def package(out: Path, keys: tuple[str, str]) -> int:
    return main(["package", CAMERA, "-o", str(out), "--key", keys[0]])


def hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_files_the_manifest_does_not_list_are_never_deleted(
    built: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    (built / "notes.txt").write_text("mine")
    (built / "docs" / "draft.html").write_text("mine too")
    (built / "empty").mkdir()
    before = sorted(p.name for p in built.rglob("*"))
    assert package(built, keys) == 2
    err = capsys.readouterr().err
    assert "holds 3 files that the old package's manifest does not list" in err
    for name in ("notes.txt", "docs/draft.html", "empty/"):
        assert f"  - {name}\n" in err
    assert sorted(p.name for p in built.rglob("*")) == before
    for path in ("notes.txt", "docs/draft.html", "empty"):
        (built / path).unlink() if (built / path).is_file() else (built / path).rmdir()
    assert package(built, keys) == 0  # the old package's own files are replaced as before


def test_a_link_in_the_old_package_is_not_followed_or_deleted_silently(
    built: Path, tmp_path: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (built / "docs" / "guide.html").unlink()
    (built / "docs" / "guide.html").symlink_to(tmp_path / "elsewhere")
    assert package(built, keys) == 2
    assert "docs/guide.html" in capsys.readouterr().err


def test_a_second_build_of_the_same_folder_is_refused_while_one_runs(
    built: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    lock = built.parent / f".{built.name}.lock"
    with open(lock, "w") as handle:  # another build holding the lock
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert package(built, keys) == 2
        assert "another build of" in capsys.readouterr().err
    assert package(built, keys) == 0
    assert hidden(built.parent) == []  # the lock file goes with the build that took it


def test_a_kill_between_the_two_renames_is_recovered_by_the_next_build(
    built: Path, keys: tuple[str, str]
) -> None:
    (built / "docs" / "guide.html").write_text("the old one, complete")
    old = built.parent / f".{built.name}.old-k1ll3d"
    built.rename(old)  # the state a kill after the first rename leaves
    stale = built.parent / f".{built.name}.new-st4le"
    stale.mkdir()
    (stale / "half.html").write_text("half")
    # The old package is found, put back, and (as it holds only its own files) rebuilt.
    assert package(built, keys) == 0
    assert (built / MANIFEST).is_file()
    assert (built / "docs" / "guide.html").read_text() == "<title>Guide</title>"
    assert hidden(built.parent) == []


def test_verify_points_to_an_old_package_left_by_a_kill(
    built: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    old = built.parent / f".{built.name}.old-k1ll3d"
    built.rename(old)
    assert main(["verify", str(built), "--key", keys[1]]) == 2
    err = capsys.readouterr().err
    assert f"an interrupted build left the previous package in {old}" in err
    assert main(["verify", str(old), "--key", keys[1]]) == 0


def test_leftovers_go_even_when_the_folder_is_there(built: Path, keys: tuple[str, str]) -> None:
    for name in (f".{built.name}.old-x", f".{built.name}.new-y"):
        shutil.copytree(built, built.parent / name)
    assert package(built, keys) == 0
    assert hidden(built.parent) == []


def test_leftovers_of_another_folder_are_left_alone(built: Path, keys: tuple[str, str]) -> None:
    (built.parent / ".pkg2.new-z").mkdir()
    assert package(built, keys) == 0
    assert hidden(built.parent) == [".pkg2.new-z"]


# --- keys ------------------------------------------------------------------------------------------


def test_keygen_force_never_replaces_a_device_with_a_private_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", "/dev/null", str(tmp_path / "public.pem"), "--force"]) == 2
    assert "refusing to write a private key to /dev/null" in capsys.readouterr().err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not (tmp_path / "public.pem").exists()  # nothing written when one target is refused


def test_keygen_force_writes_a_public_key_into_a_device_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", str(tmp_path / "k.pem"), "/dev/null", "--force"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert stat.S_IMODE((tmp_path / "k.pem").stat().st_mode) == 0o600


@pytest.mark.parametrize("kind", ["fifo", "link to a device"])
def test_keygen_refuses_a_private_key_to_a_pipe_or_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = tmp_path / "private.pem"
    if kind == "fifo":
        os.mkfifo(target)  # opening it for writing would block without a reader: refused before
    else:
        target.symlink_to("/dev/null")
    assert main(["keygen", str(target), str(tmp_path / "public.pem"), "--force"]) == 2
    assert "refusing to write a private key" in capsys.readouterr().err
    assert stat.S_ISFIFO(target.stat().st_mode) or stat.S_ISCHR(target.stat().st_mode)


def test_keygen_force_keeps_the_private_key_private(tmp_path: Path) -> None:
    private = tmp_path / "private.pem"
    private.write_text("old")
    private.chmod(0o644)
    assert main(["keygen", str(private), str(tmp_path / "public.pem"), "--force"]) == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in private.read_bytes()


# --- SIGKILL at random points --------------------------------------------------------------------


def _securable(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "securable", *argv],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_a_build_killed_at_any_point_leaves_a_package_that_verifies(
    tmp_path: Path, keys: tuple[str, str]
) -> None:
    out = tmp_path / "pkg"
    env = {**os.environ, "SECURABLE_NO_CACHE": "1"}
    argv = ("package", CAMERA, "-o", str(out), "--key", keys[0], "--no-pdf")
    first = _securable(*argv, env={**env, "SOURCE_DATE_EPOCH": "1700000000"})
    assert first.returncode == 0, first.stderr
    rng = random.Random(8259)
    # Spread over the whole build (a build takes about a second here); each kill is followed by a
    # build that completes, dated differently, so old and new packages really differ.
    for round_, delay in enumerate(sorted(rng.uniform(0.05, 2.0) for _ in range(4))):
        epoch = {"SOURCE_DATE_EPOCH": str(1700000000 + 86400 * (round_ + 1))}
        process = subprocess.Popen(
            [sys.executable, "-m", "securable", *argv],
            env={**env, **epoch},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=20)
        after_kill = _securable("verify", str(out), "--key", keys[1], env=env)
        assert after_kill.returncode == 0, (delay, after_kill.stdout, after_kill.stderr)
        again = _securable(*argv, env={**env, **epoch})
        assert again.returncode == 0, (delay, again.stderr)
        assert hidden(tmp_path) == [], delay
        assert _securable("verify", str(out), "--key", keys[1], env=env).returncode == 0
