"""Hostile inputs made by code (no big files in git), and a hang guard for reading them.

The guard is the only time limit in these tests: nothing asserts how fast something is, but a read
that has not ended after :data:`HANG_GUARD` seconds fails the test instead of stalling the suite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

HANG_GUARD = 20.0  # seconds; a refusal takes milliseconds, so this only catches a hang
MIB = 1024 * 1024
SIZES = (16 * 1024, 200_000, MIB - 16)  # up to the 1 MiB cap, leaving room for a BOM or a newline

T = TypeVar("T")


def finishes(work: Callable[[], T], timeout: float = HANG_GUARD) -> T:
    """``work()``'s result or exception, failing the test if it has not ended within ``timeout``.

    A thread, so that the monkeypatching of the test (e.g. PyYAML's Python parser) still applies.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as err:  # handed to the test's thread, whatever it is
            failure.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"still running after {timeout} s: a hang"
    if failure:
        raise failure[0]
    return outcome[0]


def _fill(head: str, unit: str, size: int, closer: str = "") -> str:
    """``head`` and as many ``unit`` (each closed by ``closer`` at the end) as fit in ``size``."""
    count = (size - len(head)) // (len(unit) + len(closer))
    return head + unit * count + closer * count


def _block_mappings(size: int) -> str:
    lines: list[str] = []
    used = 0
    while used + 2 * len(lines) + 3 <= size:  # each line is two spaces deeper than the one above
        line = "  " * len(lines) + "a:\n"
        lines.append(line)
        used += len(line)
    return "".join(lines)


# Each makes a text of about ``size`` characters nested as deep as that allows.
SHAPES: dict[str, Callable[[int], str]] = {
    "flow lists": lambda size: _fill("x: ", "[", size),
    "flow lists closed": lambda size: _fill("x: ", "[", size, "]"),
    "flow mappings": lambda size: _fill("x: ", "{a: ", size),
    "flow mappings closed": lambda size: _fill("x: ", "{a: ", size, "}"),
    "flow mappings as keys": lambda size: _fill("x: ", "{", size),
    "flow lists on lines": lambda size: _fill("x: ", "[\n", size),
    "block mappings": _block_mappings,
    "block lists": lambda size: _fill("", "- ", size) + "\n",
    "block lists of flow lists": lambda size: _fill("- - - - - - - - - - ", "[", size),
    "block mappings of flow mappings": lambda size: _fill("a:\n  b:\n    c: ", "[{a: ", size),
}
