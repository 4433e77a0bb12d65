"""AWC-level figures for one month, gathered from each app's batched selectors (a few statements per chunk)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from anganwadi.equipment.selectors import working_on
from anganwadi.models import AwcDay
from beneficiaries import selectors as people
from beneficiaries.models import Attendance, AwcMembership, HomeVisit
from grievances.models import ACTIVE_STATUSES, Grievance
from growth.models import FollowUp, Measurement
from poshan.core.dates import day_start
from poshan.core.dates import last_of_month as month_end
from thr_frs.models import MATCH_FAILED, FaceCheck, ThrDistribution, Verification

from .members import band_q, growth_figures

THR_COLUMN = {Verification.FACE: "thr_face", Verification.OTP: "thr_otp", Verification.NOMINEE: "thr_nominee",
              Verification.OVERRIDE: "thr_override"}


def figures_day(month: date, today: date) -> date:
    """The day whose situation a month's counts describe: its last day, or today for the current month."""
    return min(month_end(month), today)


CANDIDATE_BATCH = 5_000  # memberships probed in one statement (an IN list; SQLite takes up to 32,766)


def served_before_registration(awc_ids: list[int], on: date) -> list[int]:
    """Ids of first memberships at these AWCs that start after `on`, of people the AWC served on or before `on`.

    Registration opens a membership on the day the record is made, but the centre may have served the person
    long before: past weighings copied from the growth card, a back-dated attendance sheet or home visit, a
    ration. Those facts count in their months, so the person counts on that month's register too (else a past
    month shows "79 weighed of 0 children" and no one registered). Only the first membership: someone who moved
    is counted where their membership was open. Read once per chunk into a list (usually empty): as a subquery
    it would be evaluated again in every count that uses it.
    """
    def at_centre(model, person: str, day: str = "date"):
        return Exists(model.objects.filter(**{person: OuterRef("beneficiary_id"), "awc_id": OuterRef("awc_id"),
                                              f"{day}__lte": on}))

    earlier = AwcMembership.objects.filter(beneficiary_id=OuterRef("beneficiary_id"), start__lt=OuterRef("start"))
    # First the candidates, on their own: someone born after `on` was not served on or before it, so a newborn's
    # registration (a past month's: every child born since) is not a candidate. Asked in one statement with the
    # probes below, PostgreSQL expected thousands of candidates and hashed every fact of the country before `on`
    # (a past month's 500-AWC chunk: 0.8 of its 1.4 s, to find no one).
    candidates = list(AwcMembership.objects.filter(awc_id__in=awc_ids, start__gt=on, beneficiary__dob__lte=on)
                      .filter(~Exists(earlier)).values_list("pk", flat=True))
    served = []
    for i in range(0, len(candidates), CANDIDATE_BATCH):
        served += (AwcMembership.objects.filter(pk__in=candidates[i:i + CANDIDATE_BATCH])
                   .filter(at_centre(Measurement, "child_id") | at_centre(Attendance, "child_id")
                           | at_centre(HomeVisit, "beneficiary_id")
                           | at_centre(ThrDistribution, "beneficiary_id", "month"))
                   .values_list("pk", flat=True))
    return served


def _thr_figures(awc_ids: list[int], month: date) -> dict[int, dict[str, int]]:
    """The month's hand-overs by way of verification, and failed face matches (entitlement: members.py)."""
    rows: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    given = ThrDistribution.objects.filter(awc_id__in=awc_ids, month=month)
    for row in given.values("awc_id", "verified_by").annotate(n=Count("id")).order_by():
        rows[row["awc_id"]]["thr_distributed"] += row["n"]
        rows[row["awc_id"]][THR_COLUMN[row["verified_by"]]] = row["n"]
    failures = FaceCheck.objects.filter(MATCH_FAILED, awc_id__in=awc_ids, month=month)
    for row in failures.values("awc_id").annotate(n=Count("id")).order_by():
        rows[row["awc_id"]]["thr_failures"] = row["n"]
    return rows


def area_figures(awc_ids: list[int], month: date, today: date,
                 register: dict[int, dict[str, int]]) -> dict[int, dict[str, int]]:
    """awc → AreaMonth counts; `register`: the register's counts (members.register_figures)."""
    on = figures_day(month, today)
    rows: dict[int, dict[str, int]] = {pk: defaultdict(int, awcs=1) for pk in awc_ids}
    for pk, s in people.service_summary(awc_ids=awc_ids, month=month).items():
        rows[pk].update(days_open=s.days_open, attendance_total=s.attendance_total,
                        attendance_days=max(s.days_open, s.days_with_attendance), hcm_21=s.children_hcm_21,
                        pse_21=s.children_pse_21,
                        visits_due=s.visits_due, visits_done=s.visits_done, home_visits=s.home_visits)
    for source in (register, _thr_figures(awc_ids, month)):
        for pk, counts in source.items():
            rows[pk].update(counts)
    if month.replace(day=1) == today.replace(day=1):
        for pk in AwcDay.objects.filter(awc_id__in=awc_ids, date=today, opened=True).values_list("awc_id", flat=True):
            rows[pk]["awcs_open_today"] = 1
    at = day_start(on + timedelta(days=1))
    grievances = (Grievance.objects.filter(awc_id__in=awc_ids, created_at__lt=at).values("awc_id")
                  .annotate(open=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
                            overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, sla_due_at__lt=at))).order_by())
    for row in grievances:
        rows[row["awc_id"]].update(grievances_open=row["open"], grievances_overdue=row["overdue"])
    for pk, working in working_on(awc_ids, on).items():  # equipment
        rows[pk].update(working)
    return {pk: dict(values) for pk, values in rows.items()}


def nutrition_figures(awc_ids: list[int], month: date, on: date, also: list[int],
                      children: dict[tuple[int, str, str], int]) -> dict[tuple[int, str, str], dict[str, int]]:
    """(awc, sex, band) → growth counts; `children`: the denominators (members.register_figures)."""
    rows: dict[tuple[int, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, n in children.items():
        rows[key]["children"] = n
    for key, counts in growth_figures(awc_ids, month, on, also).items():
        rows[key].update(counts)
    bands = band_q(on)
    faltering = (FollowUp.objects.filter(awc_id__in=awc_ids, month=month.replace(day=1),
                                         reason=FollowUp.Reason.FALTERING)
                 .values("awc_id", "child__sex")
                 .annotate(**{band: Count("child", filter=q, distinct=True) for band, q in bands.items()}).order_by())
    for row in faltering:
        for band in bands:
            rows[(row["awc_id"], row["child__sex"], band)]["faltering"] = row[band]
    return {key: dict(values) for key, values in rows.items()}
