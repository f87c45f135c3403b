"""Times a workspace's pages in process and prints p50/p95 per page: shared by the page benchmarks."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Mapping
from typing import Any

WARM_UP = 5  # requests per page before timing starts (caches, first queries)


def time_pages(client: Any, pages: Mapping[str, str], rounds: int) -> int:
    """GET each page ``rounds`` times after the warm-up; print its p50 and p95 and the worst p95
    against the 100 ms budget. Exit code 1 when a page does not answer 200."""
    worst = 0.0
    for name, url in pages.items():
        times = []
        for round_ in range(rounds + WARM_UP):
            begin = time.perf_counter()
            response = client.get(url)
            spent = (time.perf_counter() - begin) * 1000
            if response.status_code != 200:
                print(f"{name}: HTTP {response.status_code}", file=sys.stderr)
                return 1
            if round_ >= WARM_UP:
                times.append(spent)
        p95 = statistics.quantiles(times, n=20)[-1]
        worst = max(worst, p95)
        print(f"{name:34} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")
    print(f"worst p95: {worst:.1f} ms ({'within' if worst < 100 else 'OVER'} the 100 ms budget)")
    return 0
