"""The options every report writer takes, and the lookup of a writer in its report kind's table.

A report kind (the check's assessment, the agency's requirements, the vendor evaluation, ...) keeps
one table ``{format: "module:function"}``; each function is ``render(result, options) -> str``.
Writers are imported only when their format is asked for. An unknown format is an error, never a
silent fallback to another one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from securable.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

DEFAULT_WIDTH = 100


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render: ``width`` is the line width of text layouts (the CLI passes the terminal's)."""

    width: int = DEFAULT_WIDTH


def writer(kind: str, writers: Mapping[str, str], fmt: str) -> Callable[[Any, RenderOptions], str]:
    """The writer of ``fmt`` in ``writers``, the table of report ``kind``."""
    target = writers.get(fmt)
    if target is None:
        raise UsageError(f"unknown format {fmt!r} for the {kind}", hint=f"choose one of {', '.join(writers)}")
    module, _, function = target.partition(":")
    found: Callable[[Any, RenderOptions], str] = getattr(importlib.import_module(module), function)
    return found


def render(
    kind: str, writers: Mapping[str, str], result: object, fmt: str, options: RenderOptions | None = None
) -> str:
    """``result`` in format ``fmt``, written by the writer registered for it."""
    return writer(kind, writers, fmt)(result, options or RenderOptions())
