"""Reads about people, always starting from the user's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections, router
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from anganwadi.models import AwcDay
from anganwadi.selectors import awcs_visible_to, scope_queryset
from poshan.core.dates import first_of_month, last_of_month

from . import lifestage
from .lifestage import Category
from .models import (
    Attendance,
    AwcMembership,
    Beneficiary,
    HomeVisit,
    Household,
    LifeStageChange,
    Pregnancy,
    Transfer,
)
from .numbers import mobile_index

PAGE_SIZE = 25


def _ongoing(on: date) -> Q:
    """Pregnant on `on`: also when the delivery recorded since came after it (a past month counted later)."""
    return (Q(lmp__lte=on, lmp__gt=on - timedelta(days=lifestage.MAX_LMP_AGE_DAYS))
            & (Q(delivery_date__isnull=True) | Q(delivery_date__gt=on)))


def _recent_delivery(on: date) -> Q:
    return Q(delivery_date__lte=on, delivery_date__gt=on - timedelta(days=lifestage.LACTATION_DAYS))


def present_q(on: date) -> Q:
    """Still in the programme on `on` (children who aged out can later be adolescent girls)."""
    return Q(exited_on__isnull=True) | Q(exited_on__gt=on) | Q(exit_reason=Beneficiary.ExitReason.AGED_OUT)


def current_purposes(beneficiary: Beneficiary) -> set[str]:
    """What the person's consents still in force allow their data to be kept for."""
    purposes: set[str] = set()
    for consent in beneficiary.consents.filter(withdrawn_at__isnull=True):
        purposes.update(consent.purposes)
    return purposes


def has_consent(beneficiary: Beneficiary, purpose: str) -> bool:
    return purpose in current_purposes(beneficiary)


def category_q(category: str, on: date) -> Q:
    """Filter for beneficiaries in `category` on `on`, from dates alone."""
    yb = lifestage.years_before
    if category == Category.CHILD_0_6M:
        return Q(dob__lte=on, dob__gt=on - timedelta(days=lifestage.SIX_MONTHS_DAYS))
    if category == Category.CHILD_6M_3Y:
        return Q(dob__lte=on - timedelta(days=lifestage.SIX_MONTHS_DAYS), dob__gt=yb(on, 3))
    if category == Category.CHILD_3_6Y:
        return Q(dob__lte=yb(on, 3), dob__gt=yb(on, lifestage.CHILD_EXIT_YEARS))
    if category == Category.ADOLESCENT:
        eligible = Q(awc__is_aspirational=True) | Q(awc__is_north_east=True)
        return Q(sex="F", dob__lte=yb(on, lifestage.ADOLESCENT_FROM), dob__gt=yb(on, lifestage.ADOLESCENT_UNTIL)) & eligible
    pregnancies = Pregnancy.objects.filter(woman=OuterRef("pk"))
    if category == Category.PREGNANT:
        return Q(Exists(pregnancies.filter(_ongoing(on))))
    if category == Category.LACTATING:
        return Q(Exists(pregnancies.filter(_recent_delivery(on))))
    raise ValueError(f"unknown category {category!r}")


def any_category_q(on: date) -> Q:
    combined = Q(pk__in=[])
    for category in Category.values:
        combined |= category_q(category, on)
    return combined


def children_q(on: date) -> Q:
    return Q(dob__lte=on, dob__gt=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS))


def scoped_beneficiaries(user) -> QuerySet[Beneficiary]:
    return scope_queryset(Beneficiary.objects.all(), user)


def scoped_households(user) -> QuerySet[Household]:
    return scope_queryset(Household.objects.all(), user)


@dataclass(frozen=True)
class RegisterFilters:
    q: str = ""
    category: str = ""
    show: str = "current"  # current | all | left
    household: int | None = None


def beneficiary_list(*, user, filters: RegisterFilters, on: date | None = None) -> QuerySet[Beneficiary]:
    """The AWC register: search by name, household head or mobile; filter by category."""
    on = on or timezone.localdate()
    people = scoped_beneficiaries(user).select_related("household", "awc").prefetch_related(
        Prefetch("pregnancies", queryset=Pregnancy.objects.order_by("-id"))
    )
    if filters.show == "current":
        people = people.filter(present_q(on)).filter(any_category_q(on))
    elif filters.show == "left":
        people = people.filter(exited_on__isnull=False)
    if filters.category in Category.values:
        people = people.filter(category_q(filters.category, on))
    if filters.household:
        people = people.filter(household_id=filters.household)
    text = filters.q.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        match = Q(name__icontains=text) | Q(household__head_name__icontains=text)
        if len(digits) == 10:
            match |= Q(household__mobile_index=mobile_index(digits))
        people = people.filter(match)
    return people.order_by("name", "pk")


def categories_of(beneficiary: Beneficiary, on: date | None = None) -> list[str]:
    """Categories of one person (uses prefetched pregnancies when present)."""
    on = on or timezone.localdate()
    pregnancies = list(beneficiary.pregnancies.all())
    pregnant = any(
        p.delivery_date is None and p.lmp and p.lmp <= on and (on - p.lmp).days <= lifestage.MAX_LMP_AGE_DAYS
        for p in pregnancies
    )
    deliveries = [p.delivery_date for p in pregnancies if p.delivery_date and p.delivery_date <= on]
    return lifestage.categories(
        dob=beneficiary.dob, sex=beneficiary.sex, on=on, pregnant=pregnant,
        last_delivery=max(deliveries, default=None),
        awc_eligible=beneficiary.awc.is_aspirational or beneficiary.awc.is_north_east,
    )


def due_for_weighing(*, user, on: date | None = None) -> QuerySet[Beneficiary]:
    """Children under 6 not yet weighed this month."""
    on = on or timezone.localdate()
    month_start = on.replace(day=1)
    return (scoped_beneficiaries(user).filter(present_q(on), children_q(on))
            .filter(Q(last_weighed_on__isnull=True) | Q(last_weighed_on__lt=month_start))
            .select_related("household").order_by("dob"))


def due_for_home_visit(*, user, on: date | None = None) -> QuerySet[Beneficiary]:
    """Pregnant women (and mothers of newborns) not visited this month."""
    on = on or timezone.localdate()
    month_start = on.replace(day=1)
    return (scoped_beneficiaries(user).filter(present_q(on))
            .filter(category_q(Category.PREGNANT, on) | category_q(Category.LACTATING, on))
            .filter(Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=month_start))
            .select_related("household").order_by("name"))


def members_on(*, awc_ids, on: date, also=None) -> QuerySet[AwcMembership]:
    """Who each AWC served on a day (month-end for monthly counts): moves attribute months correctly.

    `also`: ids (a list) of memberships that count although they start later (served before being registered: the
    dashboards' rollups pass them, see `poshan.dashboards.rollups.collect.served_before_registration`).
    """
    served = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))
    return AwcMembership.objects.filter(awc_id__in=awc_ids).filter(
        served | Q(pk__in=also) if also else served)


def transfers_for(*, user) -> QuerySet[Transfer]:
    """Moves in and out of the centres the user may see."""
    awcs = awcs_visible_to(user).values("pk")
    return (Transfer.objects.filter(Q(from_awc__in=awcs) | Q(to_awc__in=awcs))
            .select_related("beneficiary", "from_awc", "to_awc").order_by("-requested_at"))


# A pull shows its person to the asking centre only once the holding centre has said yes.
PULL_PERSON_SHOWN = (Transfer.Status.ACCEPTED, Transfer.Status.RETURNED)


def transfers_mark_hidden(*, user, transfers: list[Transfer]) -> list[Transfer]:
    """Set `person_hidden` on each move: a pull not accepted (waiting, refused, lapsed) shows the person and
    their centre only to users who may see that centre; the asker sees just her request."""
    pending = {t.from_awc_id for t in transfers if t.pulled and t.status not in PULL_PERSON_SHOWN}
    seen = set(awcs_visible_to(user).filter(pk__in=pending).values_list("pk", flat=True)) if pending else set()
    for t in transfers:
        t.person_hidden = t.pulled and t.status not in PULL_PERSON_SHOWN and t.from_awc_id not in seen
    return transfers


# --- the centre's daily services ----------------------------------------------------------------------

HCM_FULL_MONTH_DAYS = 21  # a child with at least this many days of hot cooked meal in a month


def preschool_children(*, awc, on: date) -> QuerySet[Beneficiary]:
    """The attendance sheet: children of 3–6 years served by the AWC on `on`."""
    return (Beneficiary.objects.filter(awc=awc).filter(present_q(on), category_q(Category.CHILD_3_6Y, on))
            .select_related("household", "mother")
            .only("pk", "name", "dob", "sex", "household__head_name", "mother__name")
            .order_by("name", "pk"))


def attendance_on(*, awc, on: date) -> dict[int, bool]:
    """child id → meal served, for the children marked present."""
    return dict(Attendance.objects.filter(awc=awc, date=on).values_list("child_id", "hcm"))


@dataclass
class ServiceSummary:
    awc_id: int
    days_open: int = 0
    days_with_attendance: int = 0
    attendance_total: int = 0
    children_hcm_21: int = 0
    children_pse_21: int = 0  # children at the pre-school (on the sheet) 21 days or more in the month
    home_visits: int = 0
    visits_due: int = 0
    visits_done: int = 0

    @property
    def average_attendance(self) -> float:
        days = max(self.days_open, self.days_with_attendance)
        return round(self.attendance_total / days, 1) if days else 0.0


_ATTENDANCE_IN_ONE_SCAN = """
    SELECT awc_id, SUM(days), COUNT(*) FILTER (WHERE days >= %(full)s), COUNT(*) FILTER (WHERE fed >= %(full)s),
           bit_count(bit_or(seen)::bit(32))
    FROM (SELECT awc_id, child_id, COUNT(*) AS days, COUNT(*) FILTER (WHERE hcm) AS fed,
                 bit_or(1 << (EXTRACT(DAY FROM date)::int - 1)) AS seen
          FROM {table} WHERE awc_id = ANY(%(awcs)s) AND date >= %(start)s AND date <= %(end)s
          GROUP BY awc_id, child_id) per_child
    GROUP BY awc_id"""


def _attendance_summary(summary: dict[int, ServiceSummary], awc_ids: list[int], start: date, end: date) -> None:
    """Days with attendance, children present, and children at 21 days or more of pre-school and of hot meal.

    On PostgreSQL one scan of the month's partition: each child's days and meals, and the days of the month it
    was seen as bits, summed per AWC (the days with attendance = the bits set in any child's). Elsewhere two
    grouped queries (per AWC, per child)."""
    connection = connections[router.db_for_read(Attendance)]
    if connection.vendor == "postgresql":
        sql = _ATTENDANCE_IN_ONE_SCAN.format(table=connection.ops.quote_name(Attendance._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(sql, {"full": HCM_FULL_MONTH_DAYS, "awcs": list(awc_ids), "start": start, "end": end})
            for awc_id, total, pse_21, hcm_21, days in cursor.fetchall():
                row = summary[awc_id]
                row.attendance_total, row.days_with_attendance = int(total), days
                row.children_pse_21, row.children_hcm_21 = pse_21, hcm_21
        return
    in_month = {"awc_id__in": awc_ids, "date__gte": start, "date__lte": end}
    for row in (Attendance.objects.filter(**in_month).values("awc_id")
                .annotate(days=Count("date", distinct=True), total=Count("id"))):
        summary[row["awc_id"]].days_with_attendance = row["days"]
        summary[row["awc_id"]].attendance_total = row["total"]
    full_month = Q(days__gte=HCM_FULL_MONTH_DAYS) | Q(fed__gte=HCM_FULL_MONTH_DAYS)
    for row in (Attendance.objects.filter(**in_month).values("awc_id", "child_id")
                .annotate(days=Count("id"), fed=Count("id", filter=Q(hcm=True))).filter(full_month)):
        summary[row["awc_id"]].children_hcm_21 += row["fed"] >= HCM_FULL_MONTH_DAYS
        summary[row["awc_id"]].children_pse_21 += row["days"] >= HCM_FULL_MONTH_DAYS


def service_summary(*, awc_ids: list[int], month: date) -> dict[int, ServiceSummary]:
    """Monthly figures per AWC in five queries (four on PostgreSQL), whatever the number of AWCs or children."""
    start, end = first_of_month(month), last_of_month(month)
    summary = {pk: ServiceSummary(awc_id=pk) for pk in awc_ids}
    in_month = {"awc_id__in": awc_ids, "date__gte": start, "date__lte": end}
    for row in AwcDay.objects.filter(opened=True, **in_month).values("awc_id").annotate(n=Count("id")):
        summary[row["awc_id"]].days_open = row["n"]
    _attendance_summary(summary, awc_ids, start, end)
    visited = set()
    for awc_id, beneficiary_id in HomeVisit.objects.filter(**in_month).values_list("awc_id", "beneficiary_id"):
        summary[awc_id].home_visits += 1
        visited.add(beneficiary_id)
    due = (Beneficiary.objects.filter(awc_id__in=awc_ids).filter(present_q(end))
           .filter(category_q(Category.PREGNANT, end) | category_q(Category.LACTATING, end))
           .values_list("awc_id", "pk"))
    for awc_id, pk in due:
        summary[awc_id].visits_due += 1
        summary[awc_id].visits_done += pk in visited
    return summary


def home_visits(*, user, month: date) -> QuerySet[HomeVisit]:
    return (scope_queryset(HomeVisit.objects.all(), user)
            .filter(date__gte=first_of_month(month), date__lte=last_of_month(month))
            .select_related("beneficiary").order_by("-date", "-pk"))


REGISTER_CATEGORIES = (Category.PREGNANT, Category.LACTATING, Category.CHILD_0_6M, Category.CHILD_6M_3Y,
                       Category.CHILD_3_6Y, Category.ADOLESCENT)


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter, reached through a relation (e.g. "beneficiary__")."""
    rebuilt = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        rebuilt.children.append(_prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1]))
    return rebuilt


def served_by_category(*, awc_ids, on: date, also=None) -> tuple[QuerySet[AwcMembership], dict[str, Q]]:
    """The memberships open on `on` at these AWCs (one per person) of people still in the programme, and a filter
    on them for each of REGISTER_CATEGORIES: a caller counts every category, grouped as it needs, in one scan.

    Counting from memberships attributes every month to the AWC that served the person then, whatever moves came
    later, and reads people by primary key (no table scan). `also`: see `members_on`.
    """
    pregnancies = Pregnancy.objects.filter(woman=OuterRef("beneficiary_id"))
    served = (members_on(awc_ids=awc_ids, on=on, also=also).filter(_prefixed(present_q(on), "beneficiary__"))
              .annotate(is_pregnant=Exists(pregnancies.filter(_ongoing(on))),
                        is_lactating=Exists(pregnancies.filter(_recent_delivery(on)))))
    tests = {str(c): _prefixed(category_q(c, on), "beneficiary__") for c in REGISTER_CATEGORIES
             if c not in (Category.PREGNANT, Category.LACTATING)}
    tests[str(Category.PREGNANT)], tests[str(Category.LACTATING)] = Q(is_pregnant=True), Q(is_lactating=True)
    return served, tests


UNDERAGE_MOTHER_YEARS = 18


def register_aggregates(tests: dict[str, Q], on: date) -> dict[str, Count]:
    """Counts over `served_by_category`'s rows: people in each category, in any category, and of those how many
    are Aadhaar-seeded; mothers under 18 (ICDS-CAS's "underage mothers": pregnant or lactating girls not yet 18)."""
    anyone = Q(pk__in=[])
    for test in tests.values():
        anyone |= test
    seeded = Q(beneficiary__aadhaar_index__isnull=False) | Q(beneficiary__aadhaar_guardian__isnull=False)
    aggregates = {name: Count("pk", filter=test) for name, test in tests.items()}
    aggregates["beneficiaries"] = Count("pk", filter=anyone)
    aggregates["aadhaar_seeded"] = Count("pk", filter=anyone & seeded)
    under_18 = Q(beneficiary__dob__gt=lifestage.years_before(on, UNDERAGE_MOTHER_YEARS))
    aggregates["underage_mothers"] = Count("pk", filter=(Q(is_pregnant=True) | Q(is_lactating=True)) & under_18)
    return aggregates


TONIGHT_DAYS = 1  # the nightly task runs late in the evening: "last night" is the run of yesterday (or today's)


def life_stage_changes_tonight(user, *, today: date | None = None) -> list:
    """What the nightly life-stage task changed in the user's area since yesterday (one query, scoped)."""
    today = today or timezone.localdate()
    return list(scope_queryset(LifeStageChange.objects.all(), user)
                .filter(run_on__gte=today - timedelta(days=TONIGHT_DAYS), run_on__lte=today)
                .select_related("beneficiary").order_by("kind", "beneficiary__name", "id"))


@dataclass(frozen=True)
class DueRow:
    beneficiary: Beneficiary
    item: object  # schedules.Due


@dataclass(frozen=True)
class WorkerDueList:
    today: list[DueRow]
    week: list[DueRow]
    missed: int


DUE_VISITS_LOOKBACK_DAYS = 320  # a pregnancy's windows and the newborn care fit in it


def due_list(*, user, on: date | None = None) -> WorkerDueList:
    """One list for the worker's centre(s), today and this week, from schedules.py (three queries, any size).

    Heights, the month's THR and a young face's new photo are asked of the growth and THR apps through signals
    (signals.last_heights, thr_received, face_refreshes_due: one query each, answered by growth and thr_frs)."""
    from . import schedules, signals

    on = on or timezone.localdate()
    people = list(scoped_beneficiaries(user).filter(present_q(on)).exclude(
        exit_reason=Beneficiary.ExitReason.AGED_OUT).select_related("household", "awc").order_by("name", "id"))
    ids = [p.pk for p in people]
    ongoing, delivered = {}, {}
    for woman, lmp, edd, delivery in Pregnancy.objects.filter(woman_id__in=ids).values_list(
            "woman_id", "lmp", "edd", "delivery_date"):
        if delivery is None:
            ongoing[woman] = lmp or (edd - timedelta(days=lifestage.GESTATION_DAYS) if edd else None)
        elif delivery <= on and delivery > delivered.get(woman, date.min):
            delivered[woman] = delivery
    visits: dict[int, list[date]] = {}
    for pk, day in HomeVisit.objects.filter(
            beneficiary_id__in=ids, date__gt=on - timedelta(days=DUE_VISITS_LOOKBACK_DAYS)).values_list(
            "beneficiary_id", "date"):
        visits.setdefault(pk, []).append(day)
    by_id = {p.pk: p for p in people}
    heights, given = signals.last_heights(ids, on), signals.thr_received(ids, on)
    found = schedules.due_lists((schedules.PersonDates(
        id=p.pk, dob=p.dob, sex=p.sex, awc_eligible=p.awc.is_aspirational or p.awc.is_north_east,
        lmp=ongoing.get(p.pk), last_delivery=delivered.get(p.pk), visits=tuple(visits.get(p.pk, ())),
        weighings=(p.last_weighed_on,) if p.last_weighed_on else (),
        heights=None if heights is None else tuple(d for d in (heights.get(p.pk),) if d),
        thr_this_month=None if given is None else p.pk in given,
        registered_on=timezone.localtime(p.created_at).date()) for p in people), on)
    for pk, due_on in signals.face_refreshes_due(ids, on).items():  # told ahead (answered by thr_frs)
        found.today.append(schedules.Due(pk, schedules.FACE_REFRESH, due_on, due_on))
    return WorkerDueList(today=[DueRow(by_id[d.person_id], d) for d in found.today],
                         week=[DueRow(by_id[d.person_id], d) for d in sorted(found.week, key=lambda d: d.due_on)],
                         missed=found.missed)


LIFE_STAGE_REVIEW_DAYS = 60  # the supervisor's page lists the nights of the last two months


def life_stage_changes(user, *, today: date | None = None) -> QuerySet:
    """The nightly task's changes in the user's area over the review window, newest night first (scoped)."""
    today = today or timezone.localdate()
    return (scope_queryset(LifeStageChange.objects.all(), user)
            .filter(run_on__gte=today - timedelta(days=LIFE_STAGE_REVIEW_DAYS), run_on__lte=today)
            .select_related("beneficiary", "awc", "undone_by").order_by("-run_on", "awc__name", "kind", "id"))
