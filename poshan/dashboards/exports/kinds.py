"""What each export holds: its columns and the rows, read with a server-side cursor (memory stays flat)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.equipment import selectors as equipment
from anganwadi.models import Location
from beneficiaries.lifestage import Category, trimester
from beneficiaries.models import Beneficiary, Pregnancy
from beneficiaries.selectors import category_q, present_q
from growth.models import ChildStatus
from poshan.core.dates import add_months
from poshan.core.masking import mask_aadhaar
from poshan.core.models import AuditEvent
from poshan.core.roles import Level
from poshan.db_router import replica_reads
from thr_frs.models import ThrDistribution

from ..incentive import rules as incentive_rules
from ..incentive import selectors as incentive
from ..models import AreaMonth
from ..rollups.collect import month_end
from .copycsv import SqlForm, local_date, neutralised, two_decimals, usable, yes_no

CHUNK = 2_000
CLASS_NAMES = {-1: "", 0: "normal", 1: "moderate", 2: "severe"}


@dataclass(frozen=True)
class Scope:
    """The export's place (inside the user's area) and month range."""

    awc_ids: QuerySet  # ids of the AWCs in the chosen place
    month_from: date
    month_to: date


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str
    headers: tuple[str, ...]
    count: Callable[[Scope], int]
    rows: Callable[[Scope], Iterator[tuple]]
    sql: SqlForm | None = None  # how PostgreSQL writes it as CSV (copycsv.py); None: the Python rows only


def _z(value) -> Decimal | str:
    """Two decimals, as a number (a negative z-score is a number in the spreadsheet, not text)."""
    return "" if value is None else Decimal(f"{value:.2f}")


def _children_qs(scope: Scope) -> QuerySet:
    return (ChildStatus.objects.filter(awc_id__in=scope.awc_ids)
            .filter(measured_on__gte=scope.month_from, measured_on__lte=month_end(scope.month_to)))


def _children_values(scope: Scope) -> QuerySet:
    """The status row holds its measurement's values too, so no partition of growth_measurement is read."""
    fields = ("child__pseudonym", "awc__code", "child__sex", "child__dob", "measured_on", "weight_kg", "lenhei_cm",
              "muac_cm", "waz", "haz", "whz", "underweight", "stunting", "wasting", "acute", "faltering",
              "is_implausible")
    return _children_qs(scope).order_by("awc_id", "child_id").values_list(*fields)


def _class_name(expr: str) -> str:
    return "CASE " + expr + " " + " ".join(f"WHEN {k} THEN '{v}'" for k, v in CLASS_NAMES.items() if v) + " END"


# Python's floor division of the days by 365/12; integer division (which truncates) when they are not negative.
AGE_MONTHS = ("CASE WHEN {4} >= {3} THEN ({4} - {3}) * 12 / 365 "
              "ELSE floor((({4} - {3}) * 12)::numeric / 365)::int END")
CHILDREN_SQL = SqlForm(_children_values, (
    "{0}", "{1}", neutralised("{2}", tuple(Beneficiary.Sex.values)), AGE_MONTHS, "{4}", "{5}",
    "NULLIF({6}, 0)", "NULLIF({7}, 0)", two_decimals("{8}"), two_decimals("{9}"), two_decimals("{10}"),
    _class_name("{11}"), _class_name("{12}"), _class_name("{13}"), _class_name("{14}"), yes_no("{15}"),
    yes_no("{16}")))


def _children_rows(scope: Scope) -> Iterator[tuple]:
    for row in _children_values(scope).iterator(chunk_size=CHUNK):
        (pseudonym, awc, sex, dob, measured, weight, height, muac, waz, haz, whz, uw, st, wa, ac, falter, bad) = row
        age_months = (measured - dob).days * 12 // 365 if measured else ""
        yield (str(pseudonym), awc, sex, age_months, measured, weight, height or "", muac or "", _z(waz), _z(haz),
               _z(whz), CLASS_NAMES[uw], CLASS_NAMES[st], CLASS_NAMES[wa], CLASS_NAMES[ac],
               "yes" if falter else "no", "yes" if bad else "no")


def _pregnant_qs(scope: Scope) -> QuerySet:
    on = min(month_end(scope.month_to), timezone.localdate())
    return (Pregnancy.objects.filter(woman__awc_id__in=scope.awc_ids, delivery_date__isnull=True, lmp__isnull=False)
            .filter(woman__in=_women(scope, on)))


def _women(scope: Scope, on: date):
    return Beneficiary.objects.filter(awc_id__in=scope.awc_ids).filter(present_q(on), category_q(Category.PREGNANT, on))


def _pregnant_rows(scope: Scope) -> Iterator[tuple]:
    on = min(month_end(scope.month_to), timezone.localdate())
    fields = ("woman__pseudonym", "woman__awc__code", "woman__dob", "lmp", "edd", "woman__aadhaar",
              "woman__last_visited_on")
    for pseudonym, awc, dob, lmp, edd, aadhaar, visited in (
            _pregnant_qs(scope).order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)):
        yield (str(pseudonym), awc, (on - dob).days // 365, lmp, edd, trimester(lmp, on), mask_aadhaar(aadhaar),
               visited or "")


def _thr_qs(scope: Scope) -> QuerySet:
    return ThrDistribution.objects.filter(awc_id__in=scope.awc_ids, month__gte=scope.month_from,
                                          month__lte=scope.month_to)


def _thr_values(scope: Scope) -> QuerySet:
    return _thr_qs(scope).order_by("month", "awc_id", "pk").values_list(
        "month", "awc__code", "beneficiary__pseudonym", "quantity", "verified_by", "handed_over_at", "failed_matches")


# A pseudonym (a UUID's hex) and a code (a number) cannot start a formula: they skip the neutralising expression.
THR_SQL = SqlForm(_thr_values, (
    "to_char({0}, 'YYYY-MM')", "{1}", "{2}", "{3}", neutralised("{4}"), local_date("{5}"), "{6}"))


def _thr_rows(scope: Scope) -> Iterator[tuple]:
    for month, awc, pseudonym, qty, how, at, failures in _thr_values(scope).iterator(chunk_size=CHUNK):
        yield month.strftime("%Y-%m"), awc, str(pseudonym), qty, how, timezone.localtime(at).date(), failures


def _summary_qs(scope: Scope) -> QuerySet:
    return AreaMonth.objects.filter(level=Level.AWC, location_id__in=scope.awc_ids, month__gte=scope.month_from,
                                    month__lte=scope.month_to)


SUMMARY_FIELDS = ("days_open", "attendance_total", "attendance_days", "preschool", "hcm_21", "visits_done",
                  "visits_due", "thr_entitled", "thr_distributed", "beneficiaries", "aadhaar_seeded")


def _summary_values(scope: Scope) -> QuerySet:
    return (_summary_qs(scope).order_by("month", "location__code")
            .values_list("month", "location__code", "location__name", *SUMMARY_FIELDS))


SUMMARY_SQL = SqlForm(_summary_values, ("to_char({0}, 'YYYY-MM')", "{1}", neutralised("{2}"),
                                        *(f"{{{i}}}" for i in range(3, 3 + len(SUMMARY_FIELDS)))))


def _summary_rows(scope: Scope) -> Iterator[tuple]:
    for row in _summary_values(scope).iterator(chunk_size=CHUNK):
        yield (row[0].strftime("%Y-%m"), *row[1:])


def _activity_rows(scope: Scope) -> Iterator[tuple]:
    today = timezone.localdate()
    awcs = Location.objects.filter(pk__in=scope.awc_ids).order_by("code")
    last = dict(AuditEvent.objects.filter(awc_id__in=scope.awc_ids, action__in=["create", "update"])
                .values("awc_id").annotate(last=Max("at")).values_list("awc_id", "last"))
    for pk, code, name in awcs.values_list("pk", "code", "name").iterator(chunk_size=CHUNK):
        at = last.get(pk)
        local = timezone.localtime(at).date() if at else None
        yield code, name, local or "", (today - local).days if local else ""


def _equipment_rows(scope: Scope) -> Iterator[tuple]:
    """Each AWC's devices as on the last month's figures day."""
    yield from equipment.export_rows(scope.awc_ids, min(month_end(scope.month_to), timezone.localdate()))


def _months(scope: Scope) -> Iterator[date]:
    month = scope.month_from.replace(day=1)
    while month <= scope.month_to:
        yield month
        month = add_months(month, 1)


INCENTIVE_HEADERS = ("month", "awc_code", "awc_name", "worker", "eligible",
                     *(f"{m}_{part}" for m in incentive_rules.MEASURES for part in ("done", "due")), "below_minimum")


def _incentive_rows(scope: Scope) -> Iterator[tuple]:
    """Each AWC's worker and month, as on her report page: what the district pays the incentive from."""
    awcs = Location.objects.filter(pk__in=scope.awc_ids).only("pk", "code", "name").order_by("code")
    for month in _months(scope):
        for start in range(0, awcs.count(), CHUNK):
            for row in incentive.worker_months(list(awcs[start:start + CHUNK]), month):
                counts = [value for m in incentive_rules.MEASURES
                          for value in (row.counts[m].done, row.counts[m].due)]
                yield (month.strftime("%Y-%m"), row.awc.code, row.awc.name, row.worker_name,
                       ("yes" if row.assessment.eligible else "no") if row.counted_at else "", *counts,
                       " ".join(line.key for line in row.assessment.missed))


KINDS: dict[str, ExportKind] = {k.key: k for k in (
    ExportKind("children", _("Children with latest z-scores and status"),
               ("child_id", "awc_code", "sex", "age_months", "measured_on", "weight_kg", "lenhei_cm", "muac_cm",
                "waz", "haz", "whz", "underweight", "stunting", "wasting", "acute", "faltering", "implausible"),
               lambda s: _children_qs(s).count(), _children_rows, CHILDREN_SQL),
    ExportKind("pregnant", _("Pregnant women"),
               ("woman_id", "awc_code", "age_years", "lmp", "edd", "trimester", "aadhaar", "last_home_visit"),
               lambda s: _pregnant_qs(s).count(), _pregnant_rows),
    ExportKind("thr", _("THR register"),
               ("month", "awc_code", "beneficiary_id", "packets", "verified_by", "handed_over_on", "failed_matches"),
               lambda s: _thr_qs(s).count(), _thr_rows, THR_SQL),
    ExportKind("summary", _("Monthly service summary"),
               ("month", "awc_code", "awc_name", *SUMMARY_FIELDS), lambda s: _summary_qs(s).count(), _summary_rows,
               SUMMARY_SQL),
    ExportKind("activity", _("AWC activity"), ("awc_code", "awc_name", "last_submission", "days_inactive"),
               lambda s: Location.objects.filter(pk__in=s.awc_ids).count(), _activity_rows),
    ExportKind("equipment", _("Equipment per AWC"), equipment.EXPORT_HEADERS,
               lambda s: Location.objects.filter(pk__in=s.awc_ids).count(), _equipment_rows),
    ExportKind("incentive", _("Workers' performance and incentive"), INCENTIVE_HEADERS,
               lambda s: Location.objects.filter(pk__in=s.awc_ids).count() * len(list(_months(s))), _incentive_rows),
)}


def postgres_writes(kind: ExportKind, file_format: str, scope: Scope) -> bool:
    """A CSV of a kind with a SQL form, read from PostgreSQL: COPY writes it (copycsv.py)."""
    if file_format != "csv" or kind.sql is None:
        return False
    with replica_reads():
        return usable(kind.sql.values(scope))
