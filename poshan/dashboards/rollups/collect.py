"""AWC-level figures for one month, gathered from each app's batched selectors (a few queries per chunk)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from anganwadi.models import AwcDay
from anganwadi.equipment.selectors import working_on
from beneficiaries import selectors as people
from beneficiaries.lifestage import Category
from beneficiaries.models import Attendance, AwcMembership, HomeVisit
from grievances.models import ACTIVE_STATUSES, Grievance
from growth.models import Class, FollowUp, Measurement
from poshan.core.dates import last_of_month as month_end
from thr_frs.models import ThrDistribution
from thr_frs.selectors.figures import thr_figures_by_awc

BAND_OF = {Category.CHILD_0_6M: "0_6m", Category.CHILD_6M_3Y: "6m_3y", Category.CHILD_3_6Y: "3_6y"}
SEXES = ("F", "M", "O")


def figures_day(month: date, today: date) -> date:
    """The day whose situation a month's counts describe: its last day, or today for the current month."""
    return min(month_end(month), today)


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
    return list(AwcMembership.objects.filter(awc_id__in=awc_ids, start__gt=on).filter(~Exists(earlier))
            .filter(at_centre(Measurement, "child_id") | at_centre(Attendance, "child_id")
                    | at_centre(HomeVisit, "beneficiary_id") | at_centre(ThrDistribution, "beneficiary_id", "month"))
            .values_list("pk", flat=True))


def area_figures(awc_ids: list[int], month: date, today: date,
                 also: list[int] | None = None) -> dict[int, dict[str, int]]:
    on = figures_day(month, today)
    also = served_before_registration(awc_ids, on) if also is None else also
    rows: dict[int, dict[str, int]] = {pk: defaultdict(int, awcs=1) for pk in awc_ids}
    for pk, s in people.service_summary(awc_ids=awc_ids, month=month).items():
        rows[pk].update(days_open=s.days_open, attendance_total=s.attendance_total,
                        attendance_days=max(s.days_open, s.days_with_attendance), hcm_21=s.children_hcm_21,
                        pse_21=s.children_pse_21,
                        visits_due=s.visits_due, visits_done=s.visits_done, home_visits=s.home_visits)
    for pk, counts in people.registration_counts(awc_ids=awc_ids, on=on, also=also).items():
        rows[pk].update(pregnant=counts["pregnant"], lactating=counts["lactating"],
                        child_0_6m=counts["child_0_6m"], child_6m_3y=counts["child_6m_3y"],
                        child_3_6y=counts["child_3_6y"], adolescent=counts["adolescent"],
                        beneficiaries=counts["beneficiaries"], aadhaar_seeded=counts["aadhaar_seeded"],
                        preschool=counts["child_3_6y"], underage_mothers=counts["underage_mothers"])
    if month.replace(day=1) == today.replace(day=1):
        for pk in AwcDay.objects.filter(awc_id__in=awc_ids, date=today, opened=True).values_list("awc_id", flat=True):
            rows[pk]["awcs_open_today"] = 1
    for pk, f in thr_figures_by_awc(awc_ids, month, today=today, also=also).items():
        rows[pk].update(thr_entitled=f.entitled, thr_distributed=f.distributed, thr_face=f.by_face,
                        thr_otp=f.by_otp, thr_nominee=f.by_nominee, thr_override=f.by_override,
                        thr_failures=f.match_failures, face_enrolled=f.face_enrolled)
    at = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    grievances = (Grievance.objects.filter(awc_id__in=awc_ids, created_at__lt=at).values("awc_id")
                  .annotate(open=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
                            overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, sla_due_at__lt=at))).order_by())
    for row in grievances:
        rows[row["awc_id"]].update(grievances_open=row["open"], grievances_overdue=row["overdue"])
    for pk, working in working_on(awc_ids, on).items():  # equipment
        rows[pk].update(working)
    return {pk: dict(values) for pk, values in rows.items()}


def _band_q(prefix: str, on: date) -> dict[str, Q]:
    """Band filters on the child's date of birth (reached through `prefix`), as on the day `on`."""
    result = {}
    for category, band in BAND_OF.items():
        q = people.category_q(category, on)
        result[band] = Q(**{f"{prefix}{key}": value for key, value in q.children})
    return result


def nutrition_figures(awc_ids: list[int], month: date, today: date,
                      also: list[int] | None = None) -> dict[tuple[int, str, str], dict[str, int]]:
    """(awc, sex, band) → growth counts; each child once, by the latest measurement of the month at that AWC.

    Only children on that AWC's register on the figures day are counted, so every numerator is part of its
    denominator (a child weighed and then gone is in neither).
    """
    on = figures_day(month, today)
    also = served_before_registration(awc_ids, on) if also is None else also
    start, end = month.replace(day=1), month_end(month)
    bands = _band_q("child__", on)
    rows: dict[tuple[int, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (awc, sex, band), n in people.children_by_sex_band(awc_ids=awc_ids, on=on, also=also).items():
        rows[(awc, sex, BAND_OF[band])]["children"] = n
    ranked = (Measurement.objects.filter(awc_id__in=awc_ids, date__gte=start, date__lte=end)
              .annotate(rank=Window(RowNumber(), partition_by=[F("child_id")],
                                    order_by=[F("date").desc(), F("id").desc()])).filter(rank=1))
    registered = people.members_on(awc_ids=awc_ids, on=on, also=also).filter(
        awc_id=OuterRef("awc_id"), beneficiary_id=OuterRef("child_id")).filter(
        Q(beneficiary__exited_on__isnull=True) | Q(beneficiary__exited_on__gt=on)
        | Q(beneficiary__exit_reason="aged_out"))
    # Month-bounded again: the outer query then reads one monthly partition (PostgreSQL).
    # Most children are still where they were weighed: the cheap test first, the membership only for the others.
    still_here = Q(child__awc_id=F("awc_id")) & (Q(child__exited_on__isnull=True) | Q(child__exited_on__gt=on))
    latest = Measurement.objects.filter(date__gte=start, date__lte=end, pk__in=ranked.values("pk")).filter(
        still_here | Exists(registered))
    metrics = {
        "weighed": Q(),
        "height_measured": Q(lenhei_cm__isnull=False),
        "underweight_n": Q(underweight__gte=Class.MODERATE), "underweight_d": Q(underweight__gte=Class.NORMAL),
        "stunting_n": Q(stunting__gte=Class.MODERATE), "stunting_d": Q(stunting__gte=Class.NORMAL),
        "wasting_n": Q(wasting__gte=Class.MODERATE), "wasting_d": Q(wasting__gte=Class.NORMAL),
        "sam": Q(acute=Class.SEVERE), "mam": Q(acute=Class.MODERATE),
    }
    aggregates = {f"{band}__{name}": Count("pk", filter=band_q & metric)
                  for band, band_q in bands.items() for name, metric in metrics.items()}
    for row in latest.values("awc_id", "child__sex").annotate(**aggregates).order_by():
        for band in bands:
            for name in metrics:
                rows[(row["awc_id"], row["child__sex"], band)][name] = row[f"{band}__{name}"]
    faltering = (FollowUp.objects.filter(awc_id__in=awc_ids, month=start, reason=FollowUp.Reason.FALTERING)
                 .values("awc_id", "child__sex")
                 .annotate(**{band: Count("child", filter=q, distinct=True) for band, q in bands.items()}).order_by())
    for row in faltering:
        for band in bands:
            rows[(row["awc_id"], row["child__sex"], band)]["faltering"] = row[band]
    return {key: dict(values) for key, values in rows.items()}
