"""A chunk's figures that read the register: one grouped scan of the memberships, one of the month's measurements.

The registration counts, the children by sex and band (the weighing denominators), THR entitlement and faces
enrolled all count the same rows — each AWC's memberships open on the figures day — so they are counted in one
statement, grouped by AWC and sex. Every filter comes from its owner (the categories from beneficiaries, the
entitled categories from the THR app), so the counts cannot drift from the pages that list the same people.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from beneficiaries import selectors as people
from beneficiaries.lifestage import Category
from growth.models import Class, Measurement
from poshan.core.dates import last_of_month
from thr_frs.entitlement import ENTITLED_CATEGORIES

BAND_OF = {Category.CHILD_0_6M: "0_6m", Category.CHILD_6M_3Y: "6m_3y", Category.CHILD_3_6Y: "3_6y"}
REGISTER_COLUMNS = {  # AreaMonth column ← register count
    "pregnant": Category.PREGNANT, "lactating": Category.LACTATING, "child_0_6m": Category.CHILD_0_6M,
    "child_6m_3y": Category.CHILD_6M_3Y, "child_3_6y": Category.CHILD_3_6Y, "adolescent": Category.ADOLESCENT,
    "preschool": Category.CHILD_3_6Y,
}
FACE_ENROLLED = (Q(beneficiary__face_enrolment__isnull=False)
                 | Q(beneficiary__thr_face_owner__owner__face_enrolment__isnull=False))
GROWTH_METRICS = {
    "weighed": Q(),
    "height_measured": Q(lenhei_cm__isnull=False),
    "underweight_n": Q(underweight__gte=Class.MODERATE), "underweight_d": Q(underweight__gte=Class.NORMAL),
    "stunting_n": Q(stunting__gte=Class.MODERATE), "stunting_d": Q(stunting__gte=Class.NORMAL),
    "wasting_n": Q(wasting__gte=Class.MODERATE), "wasting_d": Q(wasting__gte=Class.NORMAL),
    "sam": Q(acute=Class.SEVERE), "mam": Q(acute=Class.MODERATE),
}


def count_flags(rows: QuerySet, group_by: tuple[str, ...], flags: dict[str, Q],
                counts: dict[str, people.FlagCount]) -> list[dict]:
    """`counts` summed over `rows`, grouped by `group_by`: one statement, each flag evaluated once per row (a CASE
    in a subquery of the rows), the counts summed around it. Portable SQL, like growth_figures'."""
    names = {flag: f"f_{i}" for i, flag in enumerate(flags)}
    inner = rows.annotate(**{names[flag]: Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
                             for flag, q in flags.items()}).values(*group_by, *names.values()).order_by()
    sql, params = inner.query.sql_with_params()
    connection = connections[inner.db]
    quote = connection.ops.quote_name

    def flag_sum(count: people.FlagCount) -> str:
        test = " OR ".join(f"q.{names[f]} = 1" for f in count.any_of)
        test = " AND ".join([f"({test})", *(f"q.{names[f]} = 1" for f in count.all_of)])
        return f"SUM(CASE WHEN {test} THEN 1 ELSE 0 END)"

    keys = ", ".join(f"q.{quote(column)}" for column in group_by)
    sums = ", ".join(flag_sum(count) for count in counts.values())
    # OFFSET 0 keeps PostgreSQL from pulling the subquery up, which copies each flag's expression (the pregnancy
    # subqueries among them) into every sum that reads it: 225 -> 170 ms for a 500-AWC chunk (bench/RESULTS.md).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {keys}, {sums} FROM ({sql}{fence}) q GROUP BY {keys}", params)
        return [{**dict(zip(group_by, row)), **dict(zip(counts, (int(v or 0) for v in row[len(group_by):])))}
                for row in cursor.fetchall()]


def register_figures(awc_ids: list[int], on: date, also: list[int]):
    """(awc → AreaMonth register columns, (awc, sex, band) → children) from one grouped scan of the memberships."""
    served, tests = people.served_by_category(awc_ids=awc_ids, on=on, also=also)
    flags, counts = people.register_counts(tests, on)
    flags["face"] = FACE_ENROLLED
    entitled = tuple(str(category) for category in ENTITLED_CATEGORIES)
    counts = {**counts, "thr_entitled": people.FlagCount(entitled),
              "face_enrolled": people.FlagCount(entitled, ("face",))}
    area: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    children: dict[tuple[int, str, str], int] = {}
    for row in count_flags(served, ("awc_id", "beneficiary__sex"), flags, counts):
        awc, sex = row.pop("awc_id"), row.pop("beneficiary__sex")
        counts_of = area[awc]
        for column, category in REGISTER_COLUMNS.items():
            counts_of[column] += row[str(category)]
        for column in ("beneficiaries", "aadhaar_seeded", "underage_mothers", "thr_entitled", "face_enrolled"):
            counts_of[column] += row[column]
        for category, band in BAND_OF.items():
            children[(awc, sex, band)] = row[str(category)]
    return area, children


def band_q(on: date) -> dict[str, Q]:
    """Each band's filter on a fact's child (its date of birth, as on the day `on`), from the register's own."""
    return {band: Q(**{f"child__{key}": value for key, value in people.category_q(category, on).children})
            for category, band in BAND_OF.items()}


def _band_case(on: date) -> Case:
    """The child's band on `on` ("" outside the three)."""
    return Case(*(When(q, then=Value(band)) for band, q in band_q(on).items()), default=Value(""))


def growth_figures(awc_ids: list[int], month: date, on: date, also: list[int]) -> dict[tuple[int, str, str], dict]:
    """(awc, sex, band) → growth counts; each child once, by the latest measurement of the month at that AWC.

    Only children on that AWC's register on the figures day are counted, so every numerator is part of its
    denominator (a child weighed and then gone is in neither). One statement: the month's measurements at the
    chunk's AWCs, ranked per child, each flagged in SQL, summed by AWC, sex and band around the ranked rows.
    """
    start, end = month.replace(day=1), last_of_month(month)
    registered = people.members_on(awc_ids=awc_ids, on=on, also=also).filter(
        awc_id=OuterRef("awc_id"), beneficiary_id=OuterRef("child_id")).filter(
        Q(beneficiary__exited_on__isnull=True) | Q(beneficiary__exited_on__gt=on)
        | Q(beneficiary__exit_reason="aged_out"))
    # Most children are still where they were weighed: the cheap test first, the membership only for the others.
    still_here = Q(child__awc_id=F("awc_id")) & (Q(child__exited_on__isnull=True) | Q(child__exited_on__gt=on))
    ranked = (Measurement.objects.filter(awc_id__in=awc_ids, date__gte=start, date__lte=end)
              .annotate(rank=Window(RowNumber(), partition_by=[F("child_id")],
                                    order_by=[F("date").desc(), F("id").desc()]),
                        sex=F("child__sex"), band=_band_case(on),
                        counted=ExpressionWrapper(still_here | Exists(registered), output_field=BooleanField()),
                        **{f"m_{name}": Case(When(metric, then=Value(1)), default=Value(0)) if metric else Value(1)
                           for name, metric in GROWTH_METRICS.items()})
              .values("awc_id", "sex", "band", "counted", "rank", *(f"m_{name}" for name in GROWTH_METRICS)))
    inner, params = ranked.query.sql_with_params()
    sums = ", ".join(f"SUM(q.m_{name})" for name in GROWTH_METRICS)
    sql = (f"SELECT q.awc_id, q.sex, q.band, {sums} FROM ({inner}) q "
           "WHERE q.rank = 1 AND q.counted AND q.band <> '' GROUP BY q.awc_id, q.sex, q.band")
    with connections[ranked.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {(awc, sex, band): dict(zip(GROWTH_METRICS, (int(v) for v in values)))
                for awc, sex, band, *values in cursor.fetchall()}
