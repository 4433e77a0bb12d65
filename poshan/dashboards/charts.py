"""Small server-side SVG charts: attributes only (no inline styles, no scripts), readable when printed."""
from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape

WIDTH, HEIGHT, PAD = 340, 150, 28
BAR_HEIGHT = 18


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def trend_line(points: list[tuple[date, float | None]], *, title: str) -> str:
    """12 months as a polyline with dots; gaps where a month has no figure."""
    title = escape(title)
    values = [v for _, v in points if v is not None]
    top = max(values + [1.0]) * 1.1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top

    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{title}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#9ca3af"/>']
    segment: list[str] = []
    for i, (month, value) in enumerate(points):
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline fill="none" stroke="#b45309" stroke-width="2" points="{" ".join(segment)}"/>')
            segment = []
            continue
        x, y = xy(i, value)
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#b45309"><title>{date_format(month, "M Y")}: '
                     f'{_fmt(value)}</title></circle>')
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="#b45309" stroke-width="2" points="{" ".join(segment)}"/>')
    for i, (month, _) in enumerate(points):
        if i % 3 == 0 or i == len(points) - 1:
            parts.append(f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="middle" '
                         f'fill="#6b7280">{date_format(month, "M y")}</text>')
    parts.append(f'<text x="4" y="14" font-size="10" fill="#6b7280">{_fmt(top / 1.1)}</text></svg>')
    return "".join(parts)


def bars(rows: list[tuple[str, float | None, str]], *, title: str) -> str:
    """One horizontal bar per place; colour from the indicator's band."""
    title = escape(title)
    colours = {"ok": "#16a34a", "warn": "#d97706", "bad": "#dc2626", "": "#6b7280"}
    shown = [(name, value, band) for name, value, band in rows if value is not None]
    top = max([v for _, v, _ in shown] + [1.0])
    height = BAR_HEIGHT * len(shown) + 8
    label_w = 120
    parts = [f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{title}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>']
    for i, (name, value, band) in enumerate(shown):
        y = 4 + i * BAR_HEIGHT
        w = (WIDTH - label_w - 40) * value / top
        parts.append(f'<text x="{label_w - 4}" y="{y + 12}" font-size="11" text-anchor="end" fill="#1f2937">'
                     f'{escape(name[:18])}</text><rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{BAR_HEIGHT - 5}" '
                     f'fill="{colours[band]}"/><text x="{label_w + w + 4:.1f}" y="{y + 12}" font-size="11" '
                     f'fill="#1f2937">{_fmt(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
