"""The performance-linked incentive as data: which measures count, and the share of what was due each must reach.

Pure Python (no Django), like the z-score engine: the report (selectors.py) counts, this module judges.
The defaults follow the programme's example rule (at least 60 % of the home visits due and 60 % of the children
due for weighing → eligible); a state sets its own with the setting POSHAN_INCENTIVE_THRESHOLDS, e.g.
{"home_visits": 70, "weighing": 60, "thr": 80} (a measure left out of it is shown but does not decide).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RULES_VERSION = "PLI-2026.1"
DEFAULT_THRESHOLDS: dict[str, int] = {"home_visits": 60, "weighing": 60}
# The measures of the report, in the order shown: key → what it compares.
MEASURES = ("home_visits", "weighing", "days_open", "thr", "on_time")
DAYS_OPEN_NORM = 25  # ICDS: the centre opens at least 25 days a month (300 a year)


@dataclass(frozen=True)
class Count:
    """Done against due. `due` 0: nothing was due, so the measure cannot fail."""

    done: int
    due: int

    @property
    def percent(self) -> int | None:
        if self.due <= 0:
            return None
        return min(100, (100 * self.done) // self.due)


@dataclass(frozen=True)
class Line:
    key: str
    count: Count
    minimum: int | None  # the percent this measure must reach; None: shown, does not decide

    @property
    def met(self) -> bool | None:
        if self.minimum is None:
            return None
        percent = self.count.percent
        return True if percent is None else percent >= self.minimum


@dataclass(frozen=True)
class Assessment:
    lines: tuple[Line, ...]

    @property
    def eligible(self) -> bool:
        return all(line.met is not False for line in self.lines)

    @property
    def missed(self) -> tuple[Line, ...]:
        """The measures that kept the incentive back: the reasons shown to the worker and her supervisor."""
        return tuple(line for line in self.lines if line.met is False)


def thresholds(overrides: Mapping[str, int] | None = None) -> dict[str, int]:
    """The thresholds in force: the defaults, replaced by a state's own when it sets them."""
    chosen = dict(DEFAULT_THRESHOLDS if overrides is None else overrides)
    unknown = set(chosen) - set(MEASURES)
    if unknown:
        raise ValueError(f"unknown incentive measures: {sorted(unknown)}")
    if any(not 0 <= value <= 100 for value in chosen.values()):
        raise ValueError("incentive thresholds are percentages from 0 to 100")
    return chosen


def assess(counts: Mapping[str, Count], minimums: Mapping[str, int]) -> Assessment:
    """Each measure against its minimum (if it has one); eligible when none that decides falls short."""
    return Assessment(tuple(Line(key, counts[key], minimums.get(key)) for key in MEASURES if key in counts))
