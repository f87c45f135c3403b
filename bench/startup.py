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


def median_ms(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    securable = str(BIN / "securable")
    base = median_ms([sys.executable, "-c", "pass"], runs)
    print(f"python -c pass                      {base:7.1f} ms  (median of {runs})")
    for label, cmd in (
        ("securable --help", [securable, "--help"]),
        ("securable catalog show DI-1.1", [securable, "catalog", "show", "DI-1.1"]),
        ("securable catalog show ac-2", [securable, "catalog", "show", "ac-2", "--format", "json"]),
    ):
        ms = median_ms(cmd, runs)
        print(f"{label:35s} {ms:7.1f} ms  = {ms / base:4.2f}x python -c pass")


if __name__ == "__main__":
    main()
