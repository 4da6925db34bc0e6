"""Charts as SVG drawn on the server: no script, readable by screen readers (a <title> and
<desc>, and each bar's value as text), and printed as they are shown."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40


def last_months(today: dt.date, count: int = 12) -> list[str]:
    """The `count` months up to and including today's, oldest first, as YYYY-MM."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def bar_chart(series: list[tuple[str, int]], title: str, description: str) -> Markup:
    """A bar per (label, value), with the value above the bar and the label under it."""
    step = max(1, -(-max([value for _, value in series] + [1]) // 4))  # whole numbers on the axis
    top = step * 4
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(series), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'class="chart" aria-labelledby="chart-title chart-desc">',
             f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" class="axis"/>']
    for tick in range(5):
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{step * tick}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="gridline"/>')
    for index, (label, value) in enumerate(series):
        bar_h = plot_h * value / top
        x = LEFT + index * slot + slot * 0.15
        y = TOP + plot_h - bar_h
        parts.append(f'<g><rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_h:.1f}" class="bar">'
                     f'<title>{escape(label)}: {value}</title></rect>'
                     f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" class="value" '
                     f'text-anchor="middle">{value}</text>'
                     f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" class="label" '
                     f'text-anchor="middle">{escape(label[2:] if len(label) == 7 else label)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()
