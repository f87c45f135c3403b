"""Time to build the customer package of each example product, in process.

Usage: python bench/package.py [RUNS]   (prints figures; asserts nothing)

The target (issue: "Speed") is the HTML package (``pdf=False``: documents, fact sheet as HTML,
machine-readable files, index, signed manifest) under 50 ms for one product, measured warm: after
one build in the same process, so imports and template compilation are not counted, as they are
not for a release script or a test suite that builds many packages. The first (cold) build and the
package with PDF and PNG renderings are reported too; the PDF one against no target.

Two figures follow the issue "Fast at any size": how the OSCAL component's grouping of means by
control grows with the number of means (it must grow linearly), and how many PDFs WeasyPrint lays
out per package: a first build into an empty folder, then a rebuild over the previous package
(unchanged documents keep their PDFs).
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
MEANS_SIZES = (100, 400, 1700)
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
    ctx = make_context(product, today=TODAY)
    for generate in default_generators(pdf=False):
        stages.append((generator_name(generate).removeprefix("build_"), partial(generate, ctx)))
    figures = [
        f"{label} {statistics.median(timed_ms(run) for _ in range(runs)):.1f}" for label, run in stages
    ]
    return ", ".join(figures) + " ms (the rest: index, manifest, signing, writing)"


def means_scaling() -> None:
    """Grouping N means by the controls they cite (``oscal_component._requirements``)."""
    from securable.package.machine import oscal_component
    from securable.product import load_document

    source = [
        m
        for product in sorted((ROOT / "examples").glob("*/securable.yaml"))
        for m in load_document(product).product.means or ()
        if m.catalog
    ]
    for size in MEANS_SIZES:
        means = [source[i % len(source)].model_copy(update={"id": f"m-{i}"}) for i in range(size)]
        elapsed = min(timed_ms(partial(oscal_component._requirements, means)) for _ in range(3))
        print(f"OSCAL component, {size:5d} means: grouped by control in {elapsed:8.1f} ms")


def pdf_renders(product: Path, key: Path, out: Path) -> None:
    """PDFs laid out and time taken by a first build, then by a rebuild over that package."""
    from securable.package.build import build_package
    from securable.package.documents import pdfrender

    count = [0]
    real = pdfrender.html_to_pdf

    def counting(html: str, day: object) -> bytes:
        count[0] += 1
        return real(html, day)  # type: ignore[arg-type]

    pdfrender.html_to_pdf = counting
    try:
        for label in ("first build", "rebuild"):
            count[0] = 0
            elapsed = timed_ms(partial(build_package, product, out, key=key, pdf=True))
            pdfs = sum(1 for p in out.rglob("*.pdf"))
            print(
                f"{product.parent.name:20s} PDF package, {label:11s}: {elapsed:7.1f} ms, "
                f"{count[0]} PDF layouts for {pdfs} PDF files"
            )
    finally:
        pdfrender.html_to_pdf = real


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    from securable.package.build import build_package
    from securable.package.keys import keygen

    means_scaling()
    products = sorted((ROOT / "examples").glob("*/securable.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "private.pem"
        keygen(key, Path(tmp) / "public.pem")
        for product in products:
            name = product.parent.name
            out = Path(tmp) / name

            def html(product: Path = product, out: Path = out) -> object:
                return build_package(product, out, key=key, pdf=False, today=TODAY)

            cold = timed_ms(html)
            times = [timed_ms(html) for _ in range(runs)]
            median, best = statistics.median(times), min(times)
            verdict = "OK" if median < TARGET_MS else f"OVER the {TARGET_MS:.0f} ms target"
            print(
                f"{name:20s} HTML package  median {median:6.1f} ms  best {best:6.1f} ms  "
                f"cold {cold:6.1f} ms  ({runs} runs)  {verdict}"
            )
            print(f"{'':20s} where the HTML time goes: " + breakdown(product, runs))
            pdf_renders(product, key, Path(tmp) / f"{name}-pdf")


if __name__ == "__main__":
    main()
