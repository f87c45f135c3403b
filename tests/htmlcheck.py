"""Accessibility checks on generated HTML, with the standard library's parser.

They cover what a machine can check reliably: the page language, one ``h1`` and no skipped heading
levels, a text alternative on every image, header cells in every table (with ``scope``), a skip
link whose target exists, and unique ``id`` values.
"""

from __future__ import annotations

from html.parser import HTMLParser

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.levels: list[int] = []
        self.ids: list[str] = []
        self.problems: list[str] = []
        self.skip_targets: list[str] = []
        self._table_depth = 0
        self._table_has_th: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in _HEADINGS:
            self.levels.append(_HEADINGS[tag])
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "img" and not (a.get("alt") or "").strip():
            self.problems.append(f"img without alt: {a.get('src')}")
        if tag == "svg" and not ((a.get("aria-label") or "").strip() or a.get("aria-hidden") == "true"):
            self.problems.append("svg without aria-label")
        if tag == "table":
            self._table_has_th.append(False)
        if tag == "th":
            if self._table_has_th:
                self._table_has_th[-1] = True
            if a.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                self.problems.append("th without scope")
        if tag == "a" and "skip-link" in (a.get("class") or ""):
            self.skip_targets.append((a.get("href") or "").removeprefix("#"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table_has_th and not self._table_has_th.pop():
            self.problems.append("table without header cells")


def accessibility_problems(html: str) -> list[str]:
    """Everything wrong with ``html`` by the checks above; empty when it passes."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    problems = list(parser.problems)
    if not (parser.lang or "").strip():
        problems.append("html element without lang")
    if parser.levels.count(1) != 1:
        problems.append(f"expected exactly one h1, found {parser.levels.count(1)}")
    if parser.levels and parser.levels[0] != 1:
        problems.append("the first heading is not the h1")
    for before, after in zip(parser.levels, parser.levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skipped: h{before} followed by h{after}")
    duplicates = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {', '.join(duplicates)}")
    if not parser.skip_targets:
        problems.append("no skip link")
    for target in parser.skip_targets:
        if target not in parser.ids:
            problems.append(f"skip link points to missing id {target!r}")
    return problems
