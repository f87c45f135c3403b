"""Shared fixtures. NIST sources are vendored in ``upstream/sources`` (see its README for provenance)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Tests must not read or fill the user's `securable check` cache; tests of the cache turn it on.
os.environ["SECURABLE_NO_CACHE"] = "1"
SOURCES = Path(os.environ.get("SECURABLE_SOURCES", ROOT / "upstream" / "sources"))


@pytest.fixture(scope="session")
def sources() -> Path:
    """The NIST source tree the catalogs are built from; fidelity tests compare against it."""
    if not SOURCES.is_dir():
        pytest.fail(
            f"NIST sources not found at {SOURCES}; set SECURABLE_SOURCES to a copy of upstream/sources"
        )
    return SOURCES
