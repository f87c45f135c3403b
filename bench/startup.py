"""Start-up cost of the CLI as whole processes, against a bare interpreter start.

Usage: python bench/startup.py [RUNS]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timings_ms(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median and best wall time; the best is the steadier figure on a busy machine."""
    subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def compile_package() -> None:
    """Byte-compile Securable first, as pip does on install.

    With PYTHONDONTWRITEBYTECODE set (it is on some machines here), an editable checkout would
    otherwise recompile every module on every start and measure the compiler, not Securable.
    """
    import compileall

    import securable

    compileall.compile_dir(Path(securable.__file__).parent, quiet=1)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    compile_package()
    securable = str(BIN / "securable")
    base, base_min = timings_ms([sys.executable, "-c", "pass"], runs)
    print(f"{'python -c pass':42s} median {base:6.1f} ms  best {base_min:6.1f} ms  ({runs} runs)")
    for label, cmd in (
        ("securable --help", [securable, "--help"]),
        ("securable catalog show DI-1.1", [securable, "catalog", "show", "DI-1.1"]),
        ("securable catalog show ac-2", [securable, "catalog", "show", "ac-2"]),
        (
            "securable catalog show ac-2 --format json",
            [securable, "catalog", "show", "ac-2", "--format", "json"],
        ),
    ):
        ms, ms_min = timings_ms(cmd, runs)
        print(
            f"{label:42s} median {ms:6.1f} ms  best {ms_min:6.1f} ms"
            f"  = {ms / base:4.2f}x (median) {ms_min / base_min:4.2f}x (best) python -c pass"
        )


if __name__ == "__main__":
    main()
