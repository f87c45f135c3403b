"""Inputs that are not ordinary files: `/dev/zero`, named pipes, pipes, deep nesting, through the CLI.

Each command runs as its own process with a hang guard (a timeout), so a hang fails the test, and
its peak memory can be read. Every outcome is an exit code and a message, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import HANG_GUARD, MIB
from securable.inputs import read_capped

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ROOT / "examples" / "home-camera" / "securable.yaml"
PROFILE = ROOT / "examples" / "profiles" / "medical-device.yaml"
DATE = ("--date", "2025-10-01")


def _run(
    command: list[str], argv: tuple[str, ...], env: dict[str, str] | None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [*command, *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=HANG_GUARD,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"securable {' '.join(argv)} still running after {HANG_GUARD} s: a hang")


def securable(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``securable ARGV``; a hang fails the test."""
    done = _run([sys.executable, "-m", "securable"], argv, env)
    return done.returncode, done.stdout, done.stderr


# The peak resident memory of the process itself (VmHWM), printed as it ends: wait4's figure would
# include the test process it was forked from.
MEASURED = """
import sys
from securable.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print("PEAK-KIB", peak, file=sys.stderr)
sys.exit(code)
"""


def securable_measured(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, int]:
    """Exit code, stderr and peak memory (KiB) of ``securable ARGV``; a hang fails the test."""
    done = _run([sys.executable, "-c", MEASURED], argv, env)
    err, _, peak = done.stderr.rpartition("PEAK-KIB ")
    return done.returncode, err, int(peak)


def cache_on(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SECURABLE_NO_CACHE"}
    return {**env, "SECURABLE_CACHE_DIR": str(tmp_path / "cache")}


def assert_clean(err: str) -> None:
    assert "Traceback" not in err
    assert "this is a bug" not in err


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
@pytest.mark.parametrize(
    "argv",
    [
        ("check", "/dev/zero"),
        ("check", str(PRODUCT), "--profile", "/dev/zero"),
        ("questions", "/dev/zero"),
    ],
)
@pytest.mark.parametrize("cached", [False, True])
def test_dev_zero_is_refused_at_the_cap_in_little_memory(
    argv: tuple[str, ...], cached: bool, tmp_path: Path
) -> None:
    code, err, peak_kib = securable_measured(*argv, env=cache_on(tmp_path) if cached else None)
    assert code == 2
    assert "/dev/zero is larger than 1 MiB" in err
    assert_clean(err)
    assert peak_kib < 64 * 1024  # the interpreter and a 1 MiB read (some 16 MiB), not gigabytes


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "named-pipe.yaml"
    os.mkfifo(path)
    return path


def feed(fifo: Path, source: Path) -> subprocess.Popen[bytes]:
    """A writer process that fills ``fifo`` with ``source`` once a reader opens it."""
    return subprocess.Popen(["dd", f"if={source}", f"of={fifo}", "status=none"])


def stop(writer: subprocess.Popen[bytes]) -> None:
    if writer.poll() is None:
        writer.kill()
    writer.wait()


def test_a_named_pipe_is_read_as_the_product(fifo: Path, tmp_path: Path) -> None:
    expected = securable("check", str(PRODUCT), "--format", "json", *DATE)
    writer = feed(fifo, PRODUCT)
    try:
        code, out, err = securable("check", str(fifo), "--format", "json", *DATE, env=cache_on(tmp_path))
    finally:
        stop(writer)
    assert_clean(err)
    assert code == expected[0]
    assert out.replace(str(fifo), "P") == expected[1].replace(str(PRODUCT), "P")


def test_a_named_pipe_is_read_as_a_profile(fifo: Path) -> None:
    expected = securable("check", str(PRODUCT), "--profile", str(PROFILE), *DATE)
    writer = feed(fifo, PROFILE)
    try:
        code, out, err = securable("check", str(PRODUCT), "--profile", str(fifo), *DATE)
    finally:
        stop(writer)
    assert_clean(err)
    assert code == expected[0]
    assert "medical" in out.lower()


@pytest.mark.parametrize("as_profile", [False, True])
def test_a_named_pipe_nobody_writes_to_is_empty_not_a_hang(fifo: Path, as_profile: bool) -> None:
    argv = ("check", str(PRODUCT), "--profile", str(fifo)) if as_profile else ("check", str(fifo))
    code, _, err = securable(*argv, *DATE)
    assert code == 2
    assert f"{fifo}: nothing was written to this pipe" in err
    assert_clean(err)


@pytest.mark.skipif(shutil.which("bash") is None, reason="process substitution needs bash")
def test_a_pipe_is_read_once_and_its_content_is_what_is_checked(tmp_path: Path) -> None:
    """``check <(cat securable.yaml)``: the cache key is made from the bytes read, not a second read."""
    env = cache_on(tmp_path)
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(PRODUCT.read_text("utf-8").replace("Acme HomeCam 2", "Acme HomeCam 9"), "utf-8")
    outputs = []
    for source in (PRODUCT, renamed, PRODUCT):
        script = 'exec "$0" -m securable check <(cat "$1") --format json --date 2025-10-01'
        try:
            done = subprocess.run(
                ["bash", "-c", script, sys.executable, str(source)],
                capture_output=True,
                text=True,
                env=env,
                timeout=HANG_GUARD,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"check <(cat {source}) still running after {HANG_GUARD} s: a hang")
        assert_clean(done.stderr)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout)
    assert "Acme HomeCam 2" in outputs[0]
    assert "Acme HomeCam 9" in outputs[1]
    assert outputs[2] == outputs[0]  # the same bytes again: the same report (from the cache)


@pytest.mark.parametrize("cached", [False, True])
def test_a_deeply_nested_product_is_refused_at_our_limit(tmp_path: Path, cached: bool) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("securable: 1\nproduct: " + "[" * (MIB - 64) + "\n", "utf-8")
    code, _, err = securable("check", str(path), env=cache_on(tmp_path) if cached else None)
    assert code == 2
    assert f"{path}:2:74: nesting deeper than 64 levels" in err
    assert_clean(err)


def test_reading_is_capped_and_never_waits_for_a_writer(fifo: Path, tmp_path: Path) -> None:
    assert read_capped(fifo, 10) == b""  # no writer: empty at once
    assert read_capped("/dev/zero", 10) == bytes(11)  # the cap and one byte more, to tell it is over
    with pytest.raises(OSError, match="not a regular file"):
        read_capped("/dev/zero", 10, regular_only=True)
    with pytest.raises(OSError, match="not a regular file"):
        read_capped(fifo, 10, regular_only=True)
    with pytest.raises(IsADirectoryError):
        read_capped(tmp_path, 10)
    small = tmp_path / "small.txt"
    small.write_bytes(b"12345")
    assert read_capped(small, 10, regular_only=True) == b"12345"
