"""Time to build the customer package of each example product, in process.

Usage: python bench/package.py [RUNS]   (prints figures; asserts nothing)

The target (issue: "Speed") is the HTML package (``pdf=False``: documents, fact sheet as HTML,
machine-readable files, index, signed manifest) under 50 ms for one product, measured warm: after
one build in the same process, so imports and template compilation are not counted, as they are
not for a release script or a test suite that builds many packages. The first (cold) build and the
package with PDF and PNG renderings are reported too; the PDF one against no target.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 50.0
TODAY = date.today()  # the build day, used only where a product states no release date


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def breakdown(product: Path, runs: int) -> str:
    """Median time of each stage: loading and assessing, then each generator (HTML only)."""
    from securable.package.build import default_generators, generator_name, make_context

    stages: list[tuple[str, Callable[[], object]]] = [
        ("load+assess", lambda: make_context(product, today=TODAY))
    ]
    ctx, _ = make_context(product, today=TODAY)
    for generate in default_generators(pdf=False):
        stages.append((generator_name(generate).removeprefix("build_"), partial(generate, ctx)))
    figures = [
        f"{label} {statistics.median(timed_ms(run) for _ in range(runs)):.1f}" for label, run in stages
    ]
    return ", ".join(figures) + " ms (the rest: index, manifest, signing, writing)"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    from securable.package.build import build_package
    from securable.package.keys import keygen

    products = sorted((ROOT / "examples").glob("*/securable.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "private.pem"
        keygen(key, Path(tmp) / "public.pem")
        for product in products:
            name = product.parent.name
            out = Path(tmp) / name

            def html(product: Path = product, out: Path = out) -> object:
                return build_package(product, out, key=key, pdf=False, today=TODAY)

            def with_pdf(product: Path = product, out: Path = out) -> object:
                return build_package(product, out, key=key, pdf=True, today=TODAY)

            cold = timed_ms(html)
            times = [timed_ms(html) for _ in range(runs)]
            median, best = statistics.median(times), min(times)
            verdict = "OK" if median < TARGET_MS else f"OVER the {TARGET_MS:.0f} ms target"
            print(
                f"{name:20s} HTML package  median {median:6.1f} ms  best {best:6.1f} ms  "
                f"cold {cold:6.1f} ms  ({runs} runs)  {verdict}"
            )
            print(f"{'':20s} where the HTML time goes: " + breakdown(product, runs))
            pdf_runs = max(3, runs // 7)
            pdf_times = [timed_ms(with_pdf) for _ in range(pdf_runs)]
            print(
                f"{name:20s} PDF package   median {statistics.median(pdf_times):6.1f} ms  "
                f"best {min(pdf_times):6.1f} ms  ({pdf_runs} runs)"
            )


if __name__ == "__main__":
    main()
