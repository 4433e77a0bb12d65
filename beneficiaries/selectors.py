"""Reads about people, always starting from the user's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from anganwadi.selectors import awcs_visible_to, scope_queryset

from . import lifestage
from .lifestage import Category
from .models import AwcMembership, Beneficiary, Household, Pregnancy, Transfer
from .services import mobile_index

PAGE_SIZE = 25


def _ongoing(on: date) -> Q:
    return Q(delivery_date__isnull=True, lmp__lte=on, lmp__gt=on - timedelta(days=lifestage.MAX_LMP_AGE_DAYS))


def _recent_delivery(on: date) -> Q:
    return Q(delivery_date__lte=on, delivery_date__gt=on - timedelta(days=lifestage.LACTATION_DAYS))


def present_q(on: date) -> Q:
    """Still in the programme on `on` (children who aged out can later be adolescent girls)."""
    return Q(exited_on__isnull=True) | Q(exited_on__gt=on) | Q(exit_reason=Beneficiary.ExitReason.AGED_OUT)


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


def members_on(*, awc_ids, on: date) -> QuerySet[AwcMembership]:
    """Who each AWC served on a day (month-end for monthly counts): moves attribute months correctly."""
    return AwcMembership.objects.filter(awc_id__in=awc_ids, start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


def transfers_for(*, user) -> QuerySet[Transfer]:
    """Moves in and out of the centres the user may see."""
    awcs = awcs_visible_to(user).values("pk")
    return (Transfer.objects.filter(Q(from_awc__in=awcs) | Q(to_awc__in=awcs))
            .select_related("beneficiary", "from_awc", "to_awc").order_by("-requested_at"))
