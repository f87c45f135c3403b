"""Shared fixtures. NIST sources are vendored in ``upstream/sources`` (see its README for provenance)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
# Tests must not read or fill the user's `securable check` cache; tests of the cache turn it on.
os.environ["SECURABLE_NO_CACHE"] = "1"
# Output is compared as plain text: a CI runner's FORCE_COLOR must not colour it (tests of colour set it).
os.environ.pop("FORCE_COLOR", None)

# Property tests (Hypothesis). `make test` runs the same bounded examples every time (derandomize);
# `make fuzz` selects the "fuzz" profile: fresh random examples, SECURABLE_FUZZ_EXAMPLES of them per
# test. No deadline in either: on a shared machine a slow example is not a failure (no test asserts
# time); no example database, so nothing is written into the checkout.
settings.register_profile("securable", derandomize=True, max_examples=100, deadline=None, database=None)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("SECURABLE_FUZZ_EXAMPLES", "10000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("securable")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Hypothesis test `fuzz`, so that `make fuzz` (`-m fuzz`) finds each one written."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.fuzz)


SOURCES = Path(os.environ.get("SECURABLE_SOURCES", ROOT / "upstream" / "sources"))


@pytest.fixture(scope="session")
def sources() -> Path:
    """The NIST source tree the catalogs are built from; fidelity tests compare against it."""
    if not SOURCES.is_dir():
        pytest.fail(
            f"NIST sources not found at {SOURCES}; set SECURABLE_SOURCES to a copy of upstream/sources"
        )
    return SOURCES
