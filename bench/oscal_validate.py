"""Benchmark: ``securable oscal validate`` against compliance-trestle on NIST's SP 800-53 Rev. 5 catalog.

Usage: ``.venv/bin/python bench/oscal_validate.py [RUNS]`` (RUNS defaults to 5).

Both tools are timed as whole processes (interpreter start-up included), because that is what a user
or a CI job waits for. Each command runs once untimed first so both read the catalog from a warm
file cache; the figure is the median of RUNS timed runs. Prints figures only; asserts nothing.

compliance-trestle is only the yardstick: it is installed into its own venv, ``.bench/trestle-venv``
(created on first use, git-ignored), and never into the project's environment. Trestle validates a
file inside a trestle workspace, so the catalog is first imported into a temporary one
(``trestle import``, timed once, reported separately) and then ``trestle validate -f`` is timed.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = Path(os.environ.get("SECURABLE_SOURCES", ROOT / "upstream" / "sources"))
CATALOG = SOURCES / "nist-sp800-53-rev5-oscal" / "5.0.1_a849dbc" / "NIST_SP-800-53_rev5_catalog.json"
PROJECT_BIN = ROOT / ".venv" / "bin"
TRESTLE_VENV = ROOT / ".bench" / "trestle-venv"

# Used only if the CLI is not installed or cannot validate yet: the same library call, same process cost.
_STAND_IN = (
    "import sys; from pathlib import Path; from securable.oscal.validate import validate_file; "
    "sys.exit(0 if validate_file(Path(sys.argv[1])).ok else 1)"
)


def run(cmd: list[str], cwd: Path | None = None) -> float:
    """Run a command to completion and return its wall time in seconds; stop on failure."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"command failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}{done.stderr}")
    return elapsed


def median_time(cmd: list[str], runs: int, cwd: Path | None = None) -> float:
    run(cmd, cwd)  # warm-up: file cache, .pyc files
    return statistics.median(run(cmd, cwd) for _ in range(runs))


def securable_command() -> tuple[list[str], str]:
    cli = [str(PROJECT_BIN / "securable"), "oscal", "validate", str(CATALOG)]
    if (PROJECT_BIN / "securable").exists():
        probe = subprocess.run(cli, capture_output=True, check=False)
        if probe.returncode == 0:
            return cli, "securable oscal validate (CLI)"
    stand_in = [str(PROJECT_BIN / "python"), "-c", _STAND_IN, str(CATALOG)]
    return stand_in, "python -c validate_file(...) (stand-in: the CLI could not validate)"


def trestle() -> Path:
    """The trestle executable in the bench-only venv, installing it there on first use."""
    exe = TRESTLE_VENV / "bin" / "trestle"
    if not exe.exists():
        print(f"installing compliance-trestle into {TRESTLE_VENV} (first run only) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(TRESTLE_VENV)], check=True)
        pip = [str(TRESTLE_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "compliance-trestle"], check=True)
    return exe


def trestle_version(exe: Path) -> str:
    done = subprocess.run([str(exe), "version"], capture_output=True, text=True, check=False)
    return (done.stdout.strip().splitlines() or ["unknown"])[-1]


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 5
    if runs < 1:
        sys.exit("RUNS must be at least 1")
    if not CATALOG.is_file():
        sys.exit(f"NIST catalog not found at {CATALOG}; set SECURABLE_SOURCES to a copy of upstream/sources")
    ours, label = securable_command()
    exe = trestle()

    ours_median = median_time(ours, runs)
    with tempfile.TemporaryDirectory(prefix="trestle-bench-") as tmp:
        workspace = Path(tmp)
        run([str(exe), "init"], workspace)
        import_time = run([str(exe), "import", "-f", str(CATALOG), "-o", "nist53"], workspace)
        validate = [str(exe), "validate", "-f", str(Path("catalogs") / "nist53" / "catalog.json")]
        trestle_median = median_time(validate, runs, workspace)

    size_mib = CATALOG.stat().st_size / 2**20
    print(f"catalog:   {CATALOG.name} ({size_mib:.1f} MiB)")
    print(f"platform:  Python {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"runs:      {runs} timed (+1 warm-up each), median wall time of the whole process")
    print(f"securable: {ours_median * 1000:8.0f} ms  [{label}]")
    print(f"trestle:   {trestle_median * 1000:8.0f} ms  [trestle validate -f; {trestle_version(exe)}]")
    print(f"ratio:     trestle / securable = {trestle_median / ours_median:.1f}x")
    print(f"(trestle import of the same file, once: {import_time * 1000:.0f} ms; not part of the ratio)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
