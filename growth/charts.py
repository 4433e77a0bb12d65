"""Growth charts drawn by the server: WHO curves (−3, −2, 0, +2, +3 SD) and the child's points.

The curves come from the LMS tables the engine reads (value = M (1 + L S z)^(1/L)); the
template turns the coordinates into inline SVG, so the chart works without JavaScript
and prints well. No Django here except translations.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from .zscores import AGE_SLOTS, DAYS_PER_MONTH, LAST_TABLE_DAY, load_tables

# About the width the chart gets on a 360 px phone, so its 14-unit labels are drawn at 13–14 px there
# (at least 12 px: tests/e2e/test_readable.py measures them); growth.css sets the font size.
WIDTH, HEIGHT = 320, 260
LEFT, RIGHT, TOP, BOTTOM = 38, 24, 10, 30
LABEL_GAP = 18  # units between two labels' baselines: a 14-unit label and some air
SD_LINES = (-3, -2, 0, 2, 3)
CURVE_STEP_DAYS = 7
UNDER_TWO_DAYS = 730  # a child under 2 gets the birth-to-2-years chart, as on the WHO cards
MONTH_TICKS = {UNDER_TWO_DAYS: range(0, 25, 6), LAST_TABLE_DAY: range(0, 61, 12)}  # labels that do not overlap
INDICATORS = {
    "wfa": {"table": "wei", "unit": "kg", "step": 2},
    "lhfa": {"table": "len", "unit": "cm", "step": 10},
}


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Curve:
    sd: int
    points: str
    label_y: float

    @property
    def css(self) -> str:
        return {0: "sd0", 2: "sd2", -2: "sd2", 3: "sd3", -3: "sd3"}[self.sd]

    @property
    def label(self) -> str:
        return "0" if self.sd == 0 else f"{self.sd:+d}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    indicator: str
    title: str
    description: str
    curves: list[Curve]
    points: list[Point]
    path: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM


def sd_curve(table: str, sex: int, z: float, days: np.ndarray) -> np.ndarray:
    """The measurement at z SD for each day of age (WHO LMS, sex 1 male / 2 female)."""
    l, m, s = load_tables().by_age[table].take(sex * AGE_SLOTS + days, axis=1)
    return m * (1.0 + l * s * z) ** (1.0 / l)


def build(indicator: str, *, sex: int, points: list[tuple[int, float, str]], sex_label: str,
          age_days: int) -> Chart:
    """A chart of `indicator` ("wfa" or "lhfa") for a child `age_days` old; points are (age in days, value, label).

    Birth to 2 years while the child is under 2, birth to 5 years after.
    """
    spec = INDICATORS[indicator]
    last_day = UNDER_TWO_DAYS if age_days <= UNDER_TWO_DAYS else LAST_TABLE_DAY
    days = np.unique(np.append(np.arange(0, last_day + 1, CURVE_STEP_DAYS), last_day))
    curves = {z: sd_curve(spec["table"], sex, z, days) for z in SD_LINES}
    shown = [(d, v, label) for d, v, label in points if 0 <= d <= last_day]
    values = [v for _, v, _ in shown]
    step = spec["step"]
    low = step * math.floor(min([curves[-3].min(), *values]) / step)
    high = step * math.ceil(max([curves[3].max(), *values]) / step)

    def x(day: float) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * day / last_day, 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (value - low) / (high - low), 1)

    ends = _apart({z: y(curve[-1]) for z, curve in curves.items()})
    lines = [Curve(z, " ".join(f"{x(d)},{y(v)}" for d, v in zip(days, curve)), ends[z])
             for z, curve in curves.items()]
    dots = [Point(x(d), y(v), label) for d, v, label in shown]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(dots))
    x_ticks = [Tick(x(min(months * DAYS_PER_MONTH, last_day)), _month_label(months))
               for months in MONTH_TICKS[last_day]]
    per_step = (HEIGHT - TOP - BOTTOM) * step / (high - low)
    step *= math.ceil(LABEL_GAP / per_step)  # fewer labels rather than labels on top of each other
    y_ticks = [Tick(y(v), f"{v:g}") for v in np.arange(low, high + step / 2, step)]
    name = _("Weight-for-age") if indicator == "wfa" else _("Length/height-for-age")
    span = _("birth to 2 years") if last_day == UNDER_TWO_DAYS else _("birth to 5 years")
    title = _("%(name)s, %(sex)s, %(span)s (WHO Child Growth Standards)") % {
        "name": name, "sex": sex_label, "span": span}
    description = _describe(spec["unit"], shown, len(points) - len(shown), last_day)
    return Chart(indicator, title, description, lines, dots, path, x_ticks, y_ticks)


def _apart(at: dict[int, float]) -> dict[int, float]:
    """The SD labels at the curves' ends, moved apart where curves end closer than a label's height."""
    placed, last = {}, -math.inf
    for z in sorted(at, key=at.get):
        placed[z] = last = round(max(at[z], last + LABEL_GAP), 1)
    return placed


def _month_label(months: int) -> str:
    if months == 0:
        return _("birth")
    if months % 12 == 0:
        return _("%(n)s y") % {"n": months // 12}
    return _("%(n)s m") % {"n": months}


def _describe(unit: str, shown: list[tuple[int, float, str]], beyond: int, last_day: int) -> str:
    text = _("Curves at −3, −2, 0 (median), +2 and +3 standard deviations. ")
    if shown:
        day, value, _label = shown[-1]
        text += _("%(n)s points; the last %(v)s %(unit)s at %(m)s months.") % {
            "n": len(shown), "v": f"{value:g}", "unit": unit, "m": f"{day / DAYS_PER_MONTH:.1f}"}
    else:
        text += _("No measurements yet.")
    if beyond and last_day == LAST_TABLE_DAY:
        text += " " + _("%(n)s measurements after 5 years are not drawn.") % {"n": beyond}
    return text
