"""Turning results into text: layout helpers (wrapping, tables) and the options every writer takes.

Every report writer has one signature, ``render(result, options) -> str``, and is found through the
table of formats of its report kind (:mod:`securable.rendering.formats`). Nothing here looks at the
terminal: the width is an option, which only the command-line shell measures.

This package is imported by the CLI at start-up (for :func:`~securable.rendering.layout.wrap`), so it
imports nothing itself.
"""
