"""Reads of growth monitoring, always starting from the user's scope.

Rows about a child are scoped by the child's current AWC (a child who moved is followed by
the new centre, history and all). Figures per AWC use the AWC where a measurement was taken.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from anganwadi.models import Location
from anganwadi.selectors import awcs_visible_to, scope_queryset, user_area
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import children_q, present_q, scoped_beneficiaries
from poshan.core.dates import add_months, first_of_month
from poshan.core.roles import LEVEL_ORDER, Level, child_level

from .models import Class, FlaggingRun, FollowUp, Measurement

CONDITIONS = ("stunting", "wasting", "underweight", "sam")
RUNS_SHOWN = 30


# --- children and their measurements ----------------------------------------------------------------


def scoped_measurements(user) -> QuerySet[Measurement]:
    return scope_queryset(Measurement.objects.all(), user, awc_field="child__awc")


def growth_children(*, user, on: date | None = None, not_weighed: bool = False, q: str = "") -> QuerySet[Beneficiary]:
    """Children under 6 of the user's area with the id of their latest measurement."""
    on = on or timezone.localdate()
    latest = Measurement.objects.filter(child=OuterRef("pk")).order_by("-date", "-id").values("pk")[:1]
    children = (scoped_beneficiaries(user).filter(present_q(on), children_q(on))
                .select_related("awc").annotate(latest_measurement_id=Subquery(latest)))
    if not_weighed:
        month_start = on.replace(day=1)
        children = children.filter(Q(last_weighed_on__isnull=True) | Q(last_weighed_on__lt=month_start))
    if q.strip():
        children = children.filter(name__icontains=q.strip())
    return children.order_by("name", "pk")


def attach_latest(children: list[Beneficiary]) -> list[Beneficiary]:
    """Set `latest` on each child of a page (one query for the page)."""
    ids = [c.latest_measurement_id for c in children if c.latest_measurement_id]
    found = Measurement.objects.in_bulk(ids)
    for child in children:
        child.latest = found.get(child.latest_measurement_id)
    return children


def child_history(child: Beneficiary) -> list[Measurement]:
    return list(child.measurements.order_by("date", "id"))


# --- the follow-up list -----------------------------------------------------------------------------


def _open_followups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(resolved_at__isnull=True)


def scoped_followups(user) -> QuerySet[FollowUp]:
    return scope_queryset(FollowUp.objects.all(), user, awc_field="child__awc")


def followup_children(*, user, on: date | None = None, reason: str = "") -> QuerySet[Beneficiary]:
    """Children of the user's area with open follow-ups (attached as `open_followups`), AWC by AWC."""
    on = on or timezone.localdate()
    open_ = _open_followups().filter(child=OuterRef("pk"))
    if reason:
        open_ = open_.filter(reason=reason)
    return (scoped_beneficiaries(user).filter(present_q(on)).filter(Exists(open_))
            .select_related("awc", "growth_status")
            .prefetch_related(Prefetch("growth_followups", to_attr="open_followups",
                                       queryset=_open_followups().order_by("-month", "reason")))
            .order_by("awc__name", "name", "pk"))


@dataclass(frozen=True)
class CountRow:
    location: Location
    total: int
    by_reason: dict[str, int]


def followup_counts(*, user, location: Location | None) -> list[CountRow]:
    """Open follow-ups by reason for each place one level below `location` (figures only, no names)."""
    level = location_child_level(location)
    rows = scoped_followups(user).filter(resolved_at__isnull=True)
    if location is not None and location.level == Level.AWC:
        rows = rows.filter(child__awc=location)
    elif location is not None:
        rows = rows.filter(**{f"child__awc__{location.level}_id": location.pk})
    key = "child__awc" if level == "awc" else f"child__awc__{level}"
    counts = {code: Count("id", filter=Q(reason=code)) for code in FollowUp.Reason.values}
    grouped = rows.values(key).annotate(total=Count("id"), **counts).order_by()
    places = Location.objects.in_bulk([g[key] for g in grouped])
    result = [CountRow(places[g[key]], g["total"], {code: g[code] for code in FollowUp.Reason.values})
              for g in grouped if g[key] in places]
    return sorted(result, key=lambda row: (-row.total, row.location.name))


def location_child_level(location: Location | None) -> str:
    """The level of the rows under `location` (an AWC is its own single row)."""
    if location is None:
        return Level.STATE
    return child_level(location.level) or Level.AWC


# --- monthly figures per AWC and rising cases -------------------------------------------------------


@dataclass
class Figures:
    """Numerators and denominators of one place in one month (latest plausible measurement per child)."""

    measured: int = 0
    stunting: tuple[int, int] = (0, 0)
    wasting: tuple[int, int] = (0, 0)
    underweight: tuple[int, int] = (0, 0)
    sam: tuple[int, int] = (0, 0)

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.measured + other.measured,
                       *(tuple(a + b for a, b in zip(getattr(self, c), getattr(other, c))) for c in CONDITIONS))

    def prevalence(self, condition: str) -> float | None:
        numerator, denominator = getattr(self, condition)
        return 100.0 * numerator / denominator if denominator else None


_CONDITION_FIELD = {"stunting": "stunting", "wasting": "wasting", "underweight": "underweight", "sam": "acute"}


def monthly_awc_figures(awc_ids, month: date) -> dict[int, Figures]:
    """Per AWC, for the month: children measured, and for each condition (numerator, denominator).

    Each child counts once, by their latest measurement of the month at that AWC. Numerator:
    moderate + severe (SAM: severe acute malnutrition); denominator: children whose indicator
    was assessed and plausible (implausible values are out of both). `awc_ids` may be a list
    or a queryset of ids. The dashboards build their monthly rollups from this.
    """
    start, end = first_of_month(month), add_months(month, 1)
    ranked = (Measurement.objects.filter(awc_id__in=awc_ids, date__gte=start, date__lt=end)
              .annotate(rank=Window(RowNumber(), partition_by=[F("child_id")],
                                    order_by=[F("date").desc(), F("id").desc()]))
              .filter(rank=1))
    # Aggregate outside the window query (Django would group inside it).
    # The month bounds again: on PostgreSQL the table is partitioned by month, so the outer query
    # reads one partition instead of probing every month's for each id.
    latest = Measurement.objects.filter(date__gte=start, date__lt=end, pk__in=ranked.values("pk"))
    aggregates = {"measured": Count("id")}
    for condition, field in _CONDITION_FIELD.items():
        moderate = Class.SEVERE if condition == "sam" else Class.MODERATE
        aggregates[f"{condition}_n"] = Count("id", filter=Q(**{f"{field}__gte": moderate}))
        aggregates[f"{condition}_d"] = Count("id", filter=Q(**{f"{field}__gte": Class.NORMAL}))
    figures = {}
    for row in latest.values("awc_id").annotate(**aggregates).order_by():
        figures[row["awc_id"]] = Figures(row["measured"], *((row[f"{c}_n"], row[f"{c}_d"]) for c in CONDITIONS))
    return figures


def recent_runs(limit: int = RUNS_SHOWN) -> list[FlaggingRun]:
    return list(FlaggingRun.objects.order_by("-started_at", "-id")[:limit])


RISING_LEVELS = ("project", "sector", "awc")
RISING_MAX_ROWS = 100


@dataclass(frozen=True)
class ConditionChange:
    condition: str
    now: float | None
    before: float | None
    numerator: int
    denominator: int

    @property
    def rise(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return round(self.now - self.before, 1)


@dataclass(frozen=True)
class RisingRow:
    location: Location
    measured: int
    measured_before: int
    changes: list[ConditionChange]

    def rise(self, condition: str = "") -> float | None:
        rises = [c.rise for c in self.changes if c.rise is not None and (not condition or c.condition == condition)]
        return max(rises, default=None)


def rising_levels(user) -> list[str]:
    """Levels (project, sector, AWC) at or below the user's area."""
    area = user_area(user)
    if area is None:
        return []
    depth = LEVEL_ORDER.index(area.level)
    return [level for level in RISING_LEVELS if LEVEL_ORDER.index(level) >= depth]


def rising_cases(*, user, level: str, month: date, condition: str = "") -> tuple[list[RisingRow], int]:
    """Places of `level` in the user's area, this month's prevalence against last month's,
    the biggest rise first (of `condition`, or of any condition). Returns (rows shown, places)."""
    awcs = list(awcs_visible_to(user).values_list("pk", "sector_id", "project_id"))
    group_of = {pk: {"awc": pk, "sector": sector, "project": project}[level] for pk, sector, project in awcs}
    ids = awcs_visible_to(user).values("pk")
    totals: dict[int, list[Figures]] = {}
    for slot, which in enumerate((month, add_months(month, -1))):
        for awc_id, figures in monthly_awc_figures(ids, which).items():
            pair = totals.setdefault(group_of[awc_id], [Figures(), Figures()])
            pair[slot] = pair[slot] + figures
    places = Location.objects.in_bulk(list(totals))
    rows = []
    for place_id, (now, before) in totals.items():
        changes = [ConditionChange(c, now.prevalence(c), before.prevalence(c), *getattr(now, c)) for c in CONDITIONS]
        rows.append(RisingRow(places[place_id], now.measured, before.measured, changes))

    def order(row: RisingRow):
        rise = row.rise(condition)
        return (rise is None, -(rise or 0.0), row.location.name)

    rows.sort(key=order)
    return rows[:RISING_MAX_ROWS], len(rows)
