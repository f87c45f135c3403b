"""Benchmark: hostile OSCAL import graphs given to ``securable oscal resolve``.

Usage: ``.venv/bin/python bench/profile_imports.py [TIMEOUT]`` (TIMEOUT in seconds, default 120).

Three graphs of tiny generated files, each resolved by the CLI as a whole process:

* a **diamond**: profile *i* imports profile *i-1* twice, 16 levels over a one-control catalog, so
  a resolver that resolves each import afresh does 2**16 resolutions;
* a **chain** of 240 profiles, each importing the next (deep enough to break a recursive resolver);
* a **chain** of 10,000 profiles (longer than any resolver should follow).

For each: wall time, exit code and the first line of what the CLI said. Prints figures only;
asserts nothing (the tests check behaviour).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURABLE = ROOT / ".venv" / "bin" / "securable"
META = {"title": "t", "last-modified": "2024-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"}


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _profile(n: int, hrefs: list[str]) -> dict[str, object]:
    imports = [{"href": href, "include-all": {}} for href in hrefs]
    return {"profile": {"uuid": _uuid(n + 1), "metadata": META, "imports": imports}}


def _write(folder: Path, name: str, doc: dict[str, object]) -> None:
    (folder / name).write_text(json.dumps(doc, separators=(",", ":")), "utf-8")


def _catalog(folder: Path) -> None:
    catalog = {"uuid": _uuid(0), "metadata": META, "controls": [{"id": "c-1", "title": "C"}]}
    _write(folder, "p0.json", {"catalog": catalog})


def diamond(folder: Path, levels: int) -> Path:
    _catalog(folder)
    for i in range(1, levels + 1):
        _write(folder, f"p{i}.json", _profile(i, [f"p{i - 1}.json"] * 2))
    return folder / f"p{levels}.json"


def chain(folder: Path, length: int) -> Path:
    _catalog(folder)
    for i in range(1, length + 1):
        _write(folder, f"p{i}.json", _profile(i, [f"p{i - 1}.json"]))
    return folder / f"p{length}.json"


def run(top: Path, timeout: float) -> str:
    out = top.parent / "resolved.json"
    cmd = [str(SECURABLE), "oscal", "resolve", str(top), "-o", str(out)]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)"
    elapsed = time.perf_counter() - start
    said = (done.stderr.strip().splitlines() or ["(nothing)"])[-1 if done.returncode == 0 else 0]
    return f"{elapsed:7.2f} s  exit {done.returncode}  {said[:110]}"


def main(argv: list[str]) -> int:
    timeout = float(argv[1]) if len(argv) > 1 else 120.0
    if not SECURABLE.exists():
        sys.exit(f"{SECURABLE} not found; run `make install` first")
    cases = [
        ("diamond, 16 levels", diamond, 16),
        ("chain of 240", chain, 240),
        ("chain of 10,000", chain, 10_000),
    ]
    for label, build, size in cases:
        with tempfile.TemporaryDirectory(prefix="securable-imports-") as tmp:
            top = build(Path(tmp), size)
            print(f"{label:20} {run(top, timeout)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
