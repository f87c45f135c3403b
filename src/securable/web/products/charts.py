"""Charts drawn on the server as SVG: horizontal stacked bars, one row per group (a capability, a
risk area), one segment per series (a coverage status, a severity). No JavaScript, no chart
library; colours are SVG attributes (allowed by the strict CSP, unlike style attributes).

Each chart is an image with a title and a description (``role="img"``, ``aria-labelledby``); the
page puts the same numbers in a table beside it, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 230
BAR_WIDTH = 380
ROW = 26
BAR = 18
LEGEND_ROW = 20
MAX_LABEL = 34  # characters shown; the full label is in the row's tooltip and the table


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    values: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.values.values())


COVERAGE = (
    Series("met-by-device", "met by the device", "#2a7a2a"),
    Series("met-by-other-means", "met by other means", "#7cb56a"),
    Series("partial", "partial", "#d9a400"),
    Series("gap", "gap", "#b22222"),
    Series("customer-action", "customer action", "#1f5fa8"),
    Series("not-applicable", "not applicable", "#9aa3ad"),
)
SEVERITY = (
    Series("high", "high", "#b22222"),
    Series("medium", "medium", "#d9a400"),
    Series("low", "low", "#1f5fa8"),
    Series("info", "info", "#9aa3ad"),
)


def stacked_bars(
    ident: str, title: str, desc: str, rows: Sequence[Row], series: Sequence[Series]
) -> SafeString:
    """The chart as inline SVG markup (every text escaped)."""
    scale = max((row.total for row in rows), default=0) or 1
    legend_rows = (len(series) + 2) // 3
    height = len(rows) * ROW + 10 + legend_rows * LEGEND_ROW + 10
    width = LABEL_WIDTH + BAR_WIDTH + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
    ]
    for index, row in enumerate(rows):
        y = index * ROW + 5
        label = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1] + "…"
        parts.append(f"<g><title>{escape(_row_text(row, series))}</title>")
        at = f'x="{LABEL_WIDTH - 8}" y="{y + BAR - 4}"'
        parts.append(f'<text {at} text-anchor="end" font-size="13">{escape(label)}</text>')
        x = float(LABEL_WIDTH)
        for s in series:
            value = row.values.get(s.key, 0)
            if value <= 0:
                continue
            w = BAR_WIDTH * value / scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR}" fill="{s.colour}"/>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + BAR - 4}" font-size="12">{row.total}</text></g>')
    top = len(rows) * ROW + 15
    for index, s in enumerate(series):
        x = 10 + (index % 3) * 215
        y = top + (index // 3) * LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{s.colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 11}" font-size="12">{escape(s.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def _row_text(row: Row, series: Sequence[Series]) -> str:
    counts = ", ".join(f"{s.label} {row.values.get(s.key, 0)}" for s in series if row.values.get(s.key, 0))
    return f"{row.label}: {counts or 'none'}"
