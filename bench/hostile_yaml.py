"""Benchmark: how long refusing deeply nested YAML takes, and what ``check /dev/zero`` costs in memory.

Usage: ``.venv/bin/python bench/hostile_yaml.py [--timeout SECONDS] [--shape NAME]...`` (default 60 s,
every shape).

Each figure is one whole process (``python -c``; start-up and PyYAML's import not timed): the YAML
reader (``securable.product.yamlsource.read_yaml``) given a generated text of the size shown,
and ``securable check /dev/zero`` with the cache off, whose peak resident memory is that of the
process (``wait4``, which counts this small script's own memory too, as the process is forked from
it). A run that outlives the timeout is stopped and shown as ``> SECONDS``.

To compare with another version of Securable, point ``PYTHONPATH`` at its ``src`` folder: the
processes started here import whatever ``securable`` Python finds first. Prints figures only;
asserts nothing about them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

SIZES = (("16 KiB", 16 * 1024), ("200 KB", 200_000), ("1 MiB", 1024 * 1024 - 8))

# name -> Python expression of the text, given n, its length in characters (about).
SHAPES = {
    "flow lists [[[": '"x: " + "[" * n',
    "flow lists closed [[]]": '"x: " + "[" * (n // 2) + "]" * (n // 2)',
    "flow mappings {a: {a:": '"x: " + "{a: " * (n // 4)',
    "flow mappings {{{": '"x: " + "{" * n',
    "block mappings": '"".join(" " * i + "a:\\n" for i in range(int((2 * n) ** 0.5)))',
    "block lists - - -": '"- " * (n // 2) + "x\\n"',
    "mixed block and flow": '"a:\\n  b:\\n    - - " + "[{a: " * (n // 4)',
}

PROBE = """
import sys, time
from securable.errors import SecurableError
from securable.product.yamlsource import read_yaml
n = int(sys.argv[1])
text = {shape}
read_yaml("warm: up", "warm.yaml")  # imports PyYAML: a cost of the first file, not of this one
start = time.perf_counter()
try:
    read_yaml(text, "hostile.yaml")
    outcome = "read"
except SecurableError as err:
    outcome = f"{{err.location}}: {{err.message}}"
print(f"{{time.perf_counter() - start:.4f}} {{outcome}}")
"""


def refuse(shape: str, size: int, timeout: float) -> str:
    command = [sys.executable, "-c", PROBE.format(shape=SHAPES[shape]), str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s"
    if done.returncode != 0:
        return f"failed: {done.stderr.strip().splitlines()[-1]}"
    seconds, outcome = done.stdout.split(" ", 1)
    return f"{float(seconds) * 1000:9.1f} ms  {outcome.strip()[:70]}"


def check_dev_zero(timeout: float) -> str:
    """Wall time, exit code and peak memory of ``securable check /dev/zero``."""
    env = {**os.environ, "SECURABLE_NO_CACHE": "1"}
    command = [sys.executable, "-m", "securable", "check", "/dev/zero"]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if os.WIFSIGNALED(status):
        return f"stopped after {seconds:.1f} s, peak memory {peak:.0f} MiB"
    return f"exit {os.WEXITSTATUS(status)} after {seconds:.2f} s, peak memory {peak:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--shape", action="append", choices=list(SHAPES), help="only these (repeatable)")
    options = parser.parse_args()
    timeout = options.timeout
    import securable

    print(f"securable from {os.path.dirname(securable.__file__)}; timeout {timeout:.0f} s")
    for shape in options.shape or SHAPES:
        print(shape)
        for label, size in SIZES:
            print(f"  {label:>7}: {refuse(shape, size, timeout)}")
    print(f"check /dev/zero: {check_dev_zero(timeout)}")


if __name__ == "__main__":
    main()
