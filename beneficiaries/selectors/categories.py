"""Who is in which category on a day: as filters for a query, and for one person."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone

from .. import lifestage
from ..lifestage import Category
from ..models import AwcMembership, Beneficiary, Pregnancy


def _ongoing(on: date) -> Q:
    """Pregnant on `on`: also when the delivery recorded since came after it (a past month counted later)."""
    return (Q(lmp__lte=on, lmp__gt=on - timedelta(days=lifestage.MAX_LMP_AGE_DAYS))
            & (Q(delivery_date__isnull=True) | Q(delivery_date__gt=on)))


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


def pregnant_or_lactating_q(on: date) -> Q:
    """Pregnant or lactating on `on` (the women due a home visit), each woman's pregnancies probed by her index.

    A scalar subquery, not EXISTS: PostgreSQL may turn an EXISTS (or two, ORed) into a hash of every pregnancy in
    the country when it expects a few thousand people around it, so one sector's page read the nation's
    pregnancies (~100 ms at 5,000 AWCs, and growing with the nation); a scalar subquery is run per person, one
    index lookup each (~14 ms for a sector there): the cost follows the area asked about, not the country.
    Children under six (most of a centre's register) are never pregnant or lactating: the cheap test on the date of
    birth comes first, so only people past six are probed (a 500-AWC rollup chunk probed 100,000, now 20,000)."""
    first = (Pregnancy.objects.filter(woman=OuterRef("pk")).filter(_ongoing(on) | _recent_delivery(on))
             .order_by().values("pk")[:1])
    return Q(dob__lte=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS)) & Q(IsNull(Subquery(first), False))


def any_category_q(on: date) -> Q:
    combined = Q(pk__in=[])
    for category in Category.values:
        combined |= category_q(category, on)
    return combined


def children_q(on: date) -> Q:
    return Q(dob__lte=on, dob__gt=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS))


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


def members_on(*, awc_ids, on: date, also=None) -> QuerySet[AwcMembership]:
    """Who each AWC served on a day (month-end for monthly counts): moves attribute months correctly.

    `also`: ids (a list) of memberships that count although they start later (served before being registered: the
    dashboards' rollups pass them, see `poshan.dashboards.rollups.collect.served_before_registration`).
    """
    served = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))
    return AwcMembership.objects.filter(awc_id__in=awc_ids).filter(
        served | Q(pk__in=also) if also else served)


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


@dataclass(frozen=True)
class FlagCount:
    """A count made of per-row flags: the rows with any of `any_of` set and all of `all_of`."""

    any_of: tuple[str, ...]
    all_of: tuple[str, ...] = ()


def register_counts(tests: dict[str, Q], on: date) -> tuple[dict[str, Q], dict[str, FlagCount]]:
    """Counts over `served_by_category`'s rows, as per-row flags and the counts made of them: people in each
    category, in any category, and of those how many are Aadhaar-seeded; mothers under 18 (ICDS-CAS's "underage
    mothers": pregnant or lactating girls not yet 18).

    Flags, not one filtered COUNT per figure: each figure that ORs the categories repeated every category's test,
    the two pregnancy subqueries among them (12 hashed subplans, ~20 filters a row). A caller works out each flag
    once per row and sums the counts over them (poshan.dashboards.rollups.members.count_flags): a 500-AWC rollup
    chunk's scan, 225-250 -> 170-185 ms."""
    categories = tuple(tests)
    flags = {**tests,
             "seeded": Q(beneficiary__aadhaar_index__isnull=False) | Q(beneficiary__aadhaar_guardian__isnull=False),
             "under_18": Q(beneficiary__dob__gt=lifestage.years_before(on, UNDERAGE_MOTHER_YEARS))}
    counts = {name: FlagCount((name,)) for name in categories}
    counts["beneficiaries"] = FlagCount(categories)
    counts["aadhaar_seeded"] = FlagCount(categories, ("seeded",))
    counts["underage_mothers"] = FlagCount((str(Category.PREGNANT), str(Category.LACTATING)), ("under_18",))
    return flags, counts
