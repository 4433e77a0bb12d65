"""Grievance figures for a user's area: open, overdue, resolved within SLA, by category and by area.

A clean function over the user's scope, so the dashboards' monthly rollups can call it.
"Overdue" here means still unresolved after the time promised when it was lodged
(`sla_due_at`); "resolved in SLA" counts grievances resolved by that time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from anganwadi.selectors import location_children, user_area
from poshan.core.dates import add_months, first_of_month
from poshan.core.roles import Level, child_level

from .models import ACTIVE_STATUSES, Category
from .scope import grievances_visible_to


@dataclass(frozen=True)
class FigureRow:
    key: int | str | None
    label: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    resolved_in_sla: int = 0

    @property
    def resolved_in_sla_pct(self) -> float | None:
        if not self.resolved:
            return None
        return round(100 * self.resolved_in_sla / self.resolved, 1)


@dataclass(frozen=True)
class GrievanceFigures:
    month: dt.date | None
    totals: FigureRow
    by_category: list[FigureRow] = field(default_factory=list)
    area_level: str | None = None
    by_area: list[FigureRow] = field(default_factory=list)

    @property
    def open(self) -> int:
        return self.totals.open

    @property
    def overdue(self) -> int:
        return self.totals.overdue

    @property
    def resolved_in_sla_pct(self) -> float | None:
        return self.totals.resolved_in_sla_pct


def _counters(now: dt.datetime) -> dict:
    resolved = Q(resolved_at__isnull=False)
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        "overdue": Count("pk", filter=Q(status__in=ACTIVE_STATUSES, sla_due_at__lt=now)),
        "resolved": Count("pk", filter=resolved),
        "resolved_in_sla": Count("pk", filter=resolved & Q(resolved_at__lte=F("sla_due_at"))),
    }


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of the month, first instant of the next) in local time."""
    tz = timezone.get_current_timezone()
    start, end = first_of_month(month), add_months(month, 1)
    return (timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
            timezone.make_aware(dt.datetime.combine(end, dt.time()), tz))


def _area_group_field(level: str) -> str:
    return "awc_id" if level == Level.AWC else f"awc__{level}_id"


def grievance_figures(user, month: dt.date | None = None, *, now: dt.datetime | None = None) -> GrievanceFigures:
    """Figures over the grievances the user may see; `month` keeps only those lodged in that month."""
    now = now or timezone.now()
    rows: QuerySet = grievances_visible_to(user)
    if month is not None:
        start, end = month_bounds(month)
        rows = rows.filter(created_at__gte=start, created_at__lt=end)
    counters = _counters(now)
    totals = FigureRow(key=None, label="", **rows.aggregate(**counters))

    per_category = {r["category"]: r for r in rows.values("category").annotate(**counters).order_by()}
    by_category = [
        FigureRow(key=value, label=str(label), **{k: v for k, v in per_category.get(value, {}).items() if k != "category"})
        for value, label in Category.choices
    ]

    area = user_area(user)
    area_level = child_level(area.level) if area is not None else None
    by_area: list[FigureRow] = []
    if area_level is not None:
        group = _area_group_field(area_level)
        per_area = {r[group]: r for r in rows.values(group).annotate(**counters).order_by()}
        for location in location_children(area.location).order_by("name"):
            counts = {k: v for k, v in per_area.get(location.pk, {}).items() if k != group}
            by_area.append(FigureRow(key=location.pk, label=location.name, **counts))
    return GrievanceFigures(month=month, totals=totals, by_category=by_category, area_level=area_level,
                            by_area=by_area)
