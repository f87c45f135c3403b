"""Golden-file comparison for tests: ``assert_golden("oscal/x.json", text)``.

Golden files live in ``tests/golden/``. Regenerate them after an intended change with
``SECURABLE_REGEN_GOLDEN=1 pytest ...`` and review the diff before committing.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
REGEN_ENV = "SECURABLE_REGEN_GOLDEN"
_MAX_DIFF_LINES = 80  # enough to see what changed without flooding the test report


def assert_golden(name: str, text: str) -> None:
    """Fail unless ``text`` equals ``tests/golden/<name>`` byte for byte (or rewrite it when regenerating)."""
    path = GOLDEN_DIR / name
    if os.environ.get(REGEN_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        raise AssertionError(f"golden file {path} is missing; create it with {REGEN_ENV}=1")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = list(
            difflib.unified_diff(
                expected.splitlines(), text.splitlines(), f"golden/{name}", "actual", lineterm="", n=2
            )
        )
        shown = "\n".join(diff[:_MAX_DIFF_LINES])
        more = f"\n... {len(diff) - _MAX_DIFF_LINES} more diff lines" if len(diff) > _MAX_DIFF_LINES else ""
        raise AssertionError(
            f"output differs from golden/{name} (rerun with {REGEN_ENV}=1 if the change is intended):\n"
            f"{shown}{more}"
        )
