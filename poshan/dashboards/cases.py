"""The dashboard's section on malnourished children under treatment (CMAM), at every level.

The place's admissions, open cases and programme-quality indicators for the month — recovered, died and
defaulted with Sphere's bands, length of stay, weight gain, NRC referrals and returns, relapses — counted by
growth.cases.indicators, the one count the indicators page and the export also use (three queries whatever
the place).

These figures are read from the cases as they stand, not from the monthly rollups, so the page's cached body
(page_cache) cannot be kept by the rollup's version alone: its key also names the ten minutes the cases were
counted in (`fresh_key`). A step recorded now shows on every dashboard within ten minutes, with no query spent
on finding out whether anything changed; the section says when it was counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from anganwadi.models import Location
from growth.cases.indicators import SPHERE, Indicators, indicators
from growth.cases.models import Case
from growth.cases.selectors import place_cases

from .rollups.collect import figures_day

FRESH_SECONDS = 10 * 60


@dataclass
class CasesSection:
    figures: Indicators
    start: date
    end: date
    counted_at: datetime

    @property
    def bands(self) -> dict[str, str]:
        return self.figures.bands

    @property
    def sphere(self) -> dict[str, tuple[str, float]]:
        return SPHERE

    @property
    def categories(self) -> list[tuple[str, int]]:
        """Admissions by category, those with any."""
        return [(str(Case.Category(c).label), n) for c, n in self.figures.admissions_by_category.items() if n]

    @property
    def exits(self) -> list[tuple[str, int]]:
        return [(str(Case.Outcome(o).label), n) for o, n in self.figures.exits.items()]


def fresh_key(now: datetime | None = None) -> int:
    """The ten minutes we are in: part of the cached page's key, so the cases' figures are never older."""
    return int((now or timezone.now()).timestamp()) // FRESH_SECONDS


def section(*, user, place: tuple[str, Location | None], month: date) -> CasesSection:
    """The cases of the place (inside the user's area) for the month: from its first day to its last, or to
    today for the current month — the day the month's rollups describe (figures_day)."""
    level, location = place
    end = figures_day(month, timezone.localdate())
    cases = place_cases(user=user, level=level, location_id=location.pk if location else None)
    return CasesSection(figures=indicators(cases, start=month, end=end), start=month, end=end,
                        counted_at=timezone.now())
