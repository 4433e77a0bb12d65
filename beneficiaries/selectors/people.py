"""The register, consents, moves, the worker's due list and the nightly life-stage changes, from the user's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from anganwadi.selectors import awcs_visible_to, scope_queryset

from .. import lifestage
from ..lifestage import Category
from ..models import Beneficiary, HomeVisit, Household, LifeStageChange, Pregnancy, Transfer
from ..numbers import mobile_index
from .categories import any_category_q, category_q, children_q, pregnant_or_lactating_q, present_q


PAGE_SIZE = 25


def current_purposes(beneficiary: Beneficiary) -> set[str]:
    """What the person's consents still in force allow their data to be kept for."""
    purposes: set[str] = set()
    for consent in beneficiary.consents.filter(withdrawn_at__isnull=True):
        purposes.update(consent.purposes)
    return purposes


def has_consent(beneficiary: Beneficiary, purpose: str) -> bool:
    return purpose in current_purposes(beneficiary)


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
            .filter(pregnant_or_lactating_q(on))
            .filter(Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=month_start))
            .select_related("household").order_by("name"))


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
    from .. import schedules, signals

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
