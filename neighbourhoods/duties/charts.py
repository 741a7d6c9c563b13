"""Server-side SVG bar charts for the burden board: no JavaScript, no network,
readable in large-text mode and in print. Labels are escaped; sizes in integers."""

from __future__ import annotations

from xml.sax.saxutils import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 360, 160, 28, 26, 12


def bar_chart(labels: list[str], values: list[int], *, title: str) -> str:
    """One series as bars, with each value written above its bar."""
    peak = max([*values, 1])
    inner_w, inner_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = inner_w // max(len(values), 1)
    quoted = escape(title, {'"': "&quot;"})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" class="burden-chart" aria-label="{quoted}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - 8}" '
        f'y2="{TOP + inner_h}" stroke="#555"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = inner_h * value // peak
        x = LEFT + i * slot + slot // 6
        y = TOP + inner_h - height
        bar_w = slot * 2 // 3
        parts.append(
            f'<rect x="{x}" y="{y}" width="{bar_w}" height="{height}" fill="#2f6f9f"/>'
        )
        parts.append(
            f'<text x="{x + bar_w // 2}" y="{y - 2}" font-size="11" '
            f'text-anchor="middle">{value}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w // 2}" y="{HEIGHT - 8}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
