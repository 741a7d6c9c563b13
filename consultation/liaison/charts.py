"""Server-side SVG bar charts for the statistics pages: no script, no outside
resource, readable on an old phone and printable. Labels are escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 22, 8, 110, 420


def bar_chart(rows: list[tuple[str, int]], *, title: str) -> str:
    """Horizontal bars, one per (label, value); values are counts (≥ 0)."""
    top = max((value for _label, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 50
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        length = span * value // top
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" '
            f'font-size="14">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="#1d6fa5"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}" '
            f'font-size="14">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
