"""The worker's monthly report: per AWC, counts from the month's rollups and the sheets' submission times.

Five queries per page whatever the number of centres: the centres in view, their area rollup rows, the children
due for weighing and weighed, their workers, and the attendance sheets' timeliness. The weighing measure counts the
children under 5 (the monthly weighing the due list asks for, beneficiaries.schedules), not the rollup's under-6
register: a 5-year-old is never due a monthly weighing, so she cannot hold the worker's incentive back. Scoped through the one scoping selector: a
worker sees her own centre (and one she holds in charge), a supervisor her sector, and so on up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from anganwadi.models import Location, StaffAssignment
from anganwadi.selectors import awcs_visible_to
from beneficiaries.lifestage import years_before
from beneficiaries.models import AttendanceSubmission
from beneficiaries.schedules import WEIGHING_UNDER_YEARS
from beneficiaries.selectors import members_on
from growth.models import Measurement
from poshan.core.dates import last_of_month
from poshan.core.roles import Level, Role

from ..models import AreaMonth
from .rules import DAYS_OPEN_NORM, Assessment, assess, thresholds
from .rules import Count as Done

PAGE_SIZE = 50
IST = ZoneInfo("Asia/Kolkata")


@dataclass(frozen=True)
class WorkerMonth:
    awc: Location
    worker_name: str  # "" when the centre has no worker (vacant)
    counts: dict[str, Done]
    assessment: Assessment
    counted_at: datetime | None  # when the month's rollup was made; None: not counted yet


def minimums() -> dict[str, int]:
    return thresholds(getattr(settings, "POSHAN_INCENTIVE_THRESHOLDS", None))


def centres(user, place: Location | None = None):
    """The AWCs of the report: the user's, or those under `place` (already checked to be inside her area)."""
    awcs = awcs_visible_to(user)
    if place is not None and place.level != Level.AWC:
        awcs = awcs.filter(**{f"{place.level}_id": place.pk})
    elif place is not None:
        awcs = awcs.filter(pk=place.pk)
    return awcs.order_by("name", "pk")


def _on_time(awc_ids: list[int], month: date) -> dict[int, Done]:
    """Days with an attendance sheet, and of those the days whose sheet was sent on the day itself (IST)."""
    sent_that_day = Q(date=TruncDate("submitted_at", tzinfo=IST))
    rows = (AttendanceSubmission.objects
            .filter(awc_id__in=awc_ids, date__gte=month, date__lte=last_of_month(month))
            .values("awc_id").annotate(days=Count("date", distinct=True),
                                       on_time=Count("date", distinct=True, filter=sent_that_day)).order_by())
    return {row["awc_id"]: Done(row["on_time"], row["days"]) for row in rows}


def _weighing(awc_ids: list[int], month: date) -> dict[int, Done]:
    """Children under 5 on the centre's register on the month's last day (today for the current month), and of
    them those weighed at the centre during the month."""
    end = last_of_month(month)
    on = min(end, timezone.localdate())
    weighed = Measurement.objects.filter(child_id=OuterRef("beneficiary_id"), awc_id=OuterRef("awc_id"),
                                         date__gte=month, date__lte=end)
    rows = (members_on(awc_ids=awc_ids, on=on)
            .filter(beneficiary__dob__lte=on, beneficiary__dob__gt=years_before(on, WEIGHING_UNDER_YEARS))
            .filter(Q(beneficiary__exited_on__isnull=True) | Q(beneficiary__exited_on__gt=on))
            .values("awc_id").annotate(due=Count("beneficiary_id", distinct=True),
                                       done=Count("beneficiary_id", distinct=True, filter=Q(Exists(weighed))))
            .order_by())
    return {row["awc_id"]: Done(row["done"], row["due"]) for row in rows}


def _counts(area: AreaMonth | None, weighing: Done | None, on_time: Done | None) -> dict[str, Done]:
    return {
        "home_visits": Done(area.visits_done, area.visits_due) if area else Done(0, 0),
        "weighing": weighing or Done(0, 0),
        "days_open": Done(area.days_open, DAYS_OPEN_NORM) if area else Done(0, DAYS_OPEN_NORM),
        "thr": Done(area.thr_distributed, area.thr_entitled) if area else Done(0, 0),
        "on_time": on_time or Done(0, 0),
    }


def worker_months(awcs: list[Location], month: date) -> list[WorkerMonth]:
    """The report's rows for these centres and month."""
    month = month.replace(day=1)
    ids = [awc.pk for awc in awcs]
    areas = {row.location_id: row for row in AreaMonth.objects.filter(month=month, level=Level.AWC,
                                                                       location_id__in=ids)}
    weighing = _weighing(ids, month)
    workers: dict[int, str] = {}
    for location_id, first, last, username in (StaffAssignment.objects.filter(
            location_id__in=ids, user__role=Role.AWW, user__is_active=True).order_by("user_id")
            .values_list("location_id", "user__first_name", "user__last_name", "user__username")):
        workers.setdefault(location_id, f"{first} {last}".strip() or username)
    on_time = _on_time(ids, month)
    limits = minimums()
    rows = []
    for awc in awcs:
        counts = _counts(areas.get(awc.pk), weighing.get(awc.pk), on_time.get(awc.pk))
        area = areas.get(awc.pk)
        rows.append(WorkerMonth(awc, workers.get(awc.pk, ""), counts, assess(counts, limits),
                                area.refreshed_at if area else None))
    return rows


def report_page(user, month: date, *, place: Location | None = None, page: int = 1) -> tuple[Page, list]:
    """One page of the report (PAGE_SIZE centres) and its rows."""
    paginator = Paginator(centres(user, place).only("pk", "name", "code", "sector_id"), PAGE_SIZE)
    current = paginator.get_page(page)
    return current, worker_months(list(current.object_list), month)
