"""ICDS-CAS's child growth tracker: per child, the last three months of pre-school days, hot-cooked-meal days and
nutrition status (the month's last measurement), for one page of children in three queries whatever its size."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from beneficiaries.models import Attendance, Beneficiary
from poshan.core.dates import add_months, last_of_month

from .models import Measurement
from .results import Result, describe

TRACKER_MONTHS = 3


@dataclass(frozen=True)
class TrackerMonth:
    month: date
    pse_days: int
    meal_days: int
    status: Result | None  # the month's last measurement, described; None: not weighed that month


@dataclass(frozen=True)
class TrackerRow:
    child: Beneficiary
    months: tuple[TrackerMonth, ...]


def tracker_months(month: date) -> list[date]:
    """The months shown, oldest first, ending with `month`."""
    first = month.replace(day=1)
    return [add_months(first, -back) for back in range(TRACKER_MONTHS - 1, -1, -1)]


def growth_tracker(children: list[Beneficiary], month: date) -> list[TrackerRow]:
    """Rows for these children (already scoped by the caller) over the three months ending with `month`."""
    months = tracker_months(month)
    start, end = months[0], last_of_month(months[-1])
    ids = [child.pk for child in children]
    days: dict[tuple[int, date], tuple[int, int]] = {}
    for row in (Attendance.objects.filter(child_id__in=ids, date__gte=start, date__lte=end)
                .annotate(m=TruncMonth("date")).values("child_id", "m")
                .annotate(days=Count("id"), meals=Count("id", filter=Q(hcm=True))).order_by()):
        days[(row["child_id"], _as_date(row["m"]))] = (row["days"], row["meals"])
    last: dict[tuple[int, date], Measurement] = {}
    for m in Measurement.objects.filter(child_id__in=ids, date__gte=start, date__lte=end).order_by("date", "id"):
        last[(m.child_id, m.date.replace(day=1))] = m  # the month's latest wins
    return [TrackerRow(child, tuple(
        TrackerMonth(mo, *days.get((child.pk, mo), (0, 0)),
                     describe(last[(child.pk, mo)]) if (child.pk, mo) in last else None) for mo in months))
        for child in children]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
