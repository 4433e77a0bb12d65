"""The centre's daily services to people: attendance with the hot cooked meal, and home visits."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F
from django.utils.translation import gettext as _

from anganwadi.models import AwcDay, Location
from poshan.core.audit import audit_record
from poshan.core.dates import check_service_date
from poshan.core.idempotency import create_once_claiming
from poshan.core.models import AuditEvent

from .. import lifestage
from ..lifestage import Category
from ..models import Attendance, AttendanceSubmission, Beneficiary, HomeVisit
from ..selectors import category_q, present_q
from .people import mark_visited

NOT_HERE = "not_enrolled"
NOT_PRESCHOOL = "not_3_6"


@dataclass
class AttendanceResult:
    """What happened to each child of a sheet: saved, already marked, or refused with a reason."""

    saved: int = 0
    meals: int = 0
    already: list[int] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    replayed: bool = False

    def as_json(self) -> dict:
        return asdict(self)


def _reason_text(code: str) -> str:
    return {
        NOT_HERE: _("not registered at this centre"),
        NOT_PRESCHOOL: _("not a child of 3–6 years on that day"),
    }[code]


def _preschool_children(awc: Location, day: date, ids: set[int]) -> tuple[set[int], set[int]]:
    """(ids of this AWC's children aged 3–6 on `day`, ids registered here but outside that band) — one query."""
    here = Beneficiary.objects.filter(awc=awc, pk__in=ids).filter(present_q(day))
    eligible, other = set(), set()
    for pk, dob in here.values_list("pk", "dob"):
        (eligible if lifestage.child_band(dob, day) == Category.CHILD_3_6Y else other).add(pk)
    return eligible, other


def _refuse_closed_day(awc: Location, day: date) -> None:
    record = AwcDay.objects.filter(awc=awc, date=day).only("opened").first()
    if record is not None and not record.opened:
        raise ValidationError({"date": _("The centre was recorded as not open on %(d)s.") % {"d": day.isoformat()}})


def attendance_record(*, actor, awc: Location, day: date, present: list[int], hcm: list[int],
                      backdate_reason: str = "", client_uuid=None) -> AttendanceResult:
    """Save one day's sheet; bad children are reported, the good ones saved. One transaction.

    A sheet sent again with its client id is answered with the first sheet's result. A sheet of children who
    may all be marked costs three statements: the ticks (poshan: one INSERT … SELECT that checks the day is not
    recorded closed, that each child is registered here, still in the programme and 3–6 years old that day,
    and skips the ones already marked), the receipt and the audit row; the reasons for any child left out are
    read only then.
    """
    def create(claim) -> AttendanceResult:
        check_service_date(day, backdate_reason=backdate_reason)
        result = _save_sheet(awc=awc, day=day, present=present, hcm=hcm)
        claim(AttendanceSubmission(awc=awc, date=day, client_uuid=client_uuid, submitted_by=actor,
                                   backdate_reason=backdate_reason, result=result.as_json()))
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, object_type="beneficiaries.attendance",
                     object_id=f"{awc.pk}:{day.isoformat()}", awc_id=awc.pk, fields=["present", "hcm"])
        return result

    result, _created = create_once_claiming(
        AttendanceSubmission, client_uuid=client_uuid, scope={"awc": awc}, create=create,
        replay=lambda first: AttendanceResult(**{**first.result, "replayed": True}))
    return result


def _insert_ticks(awc: Location, day: date, wanted: set[int], meals: set[int]) -> set[int]:
    """Mark the wanted children who may be marked, in one statement; the ids marked now.

    INSERT … SELECT from the children registered at this centre, still in the programme and 3–6 years old
    on `day` (the same rule as _preschool_children, in SQL: selectors.category_q), when the day is not
    recorded as closed; ON CONFLICT DO NOTHING skips a child already marked that day (the unique
    (child, date)), also one marked a moment ago by a concurrent sheet.
    """
    if not wanted:
        return set()
    closed = AwcDay.objects.filter(awc=awc, date=day, opened=False)
    children = (Beneficiary.objects.filter(awc=awc, pk__in=wanted).filter(present_q(day))
                .filter(category_q(Category.CHILD_3_6Y, day)).filter(~Exists(closed)).values(tick_child=F("pk")))
    select_sql, select_params = children.query.sql_with_params()
    connection = connections[router.db_for_write(Attendance)]
    qn, table = connection.ops.quote_name, Attendance._meta.db_table
    fed = sorted(meals & wanted)
    meal_sql = f"t.tick_child IN ({', '.join(['%s'] * len(fed))})" if fed else "1 = 0"
    sql = (f"INSERT INTO {qn(table)} ({qn('awc_id')}, {qn('child_id')}, {qn('date')}, {qn('hcm')}) "
           f"SELECT %s, t.tick_child, %s, {meal_sql} FROM ({select_sql}) t WHERE 1 = 1 "  # WHERE: SQLite's ON parses
           f"ON CONFLICT DO NOTHING RETURNING {qn('child_id')}")
    params = (awc.pk, connection.ops.adapt_datefield_value(day), *fed, *select_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _save_sheet(*, awc: Location, day: date, present: list[int], hcm: list[int]) -> AttendanceResult:
    wanted, meals = set(present), set(hcm)
    new = _insert_ticks(awc, day, wanted, meals)
    if not new:
        _refuse_closed_day(awc, day)  # nothing went in: say so if the day is recorded closed
    left_out = wanted - new
    in_band = dict(Beneficiary.objects.filter(awc=awc, pk__in=left_out).filter(present_q(day)).annotate(
        _in_band=ExpressionWrapper(category_q(Category.CHILD_3_6Y, day), output_field=BooleanField()))
        .values_list("pk", "_in_band")) if left_out else {}
    already = {pk for pk, ok in in_band.items() if ok}  # could be marked, yet skipped: marked already that day
    return AttendanceResult(
        saved=len(new), meals=len(new & meals), already=sorted(already),
        rejected=[{"child": pk, "code": code, "reason": _reason_text(code)} for pk, code in sorted(
            [(pk, NOT_PRESCHOOL) for pk, ok in in_band.items() if not ok]
            + [(pk, NOT_HERE) for pk in left_out - set(in_band)])],
    )


@transaction.atomic
def attendance_correct(*, actor, awc: Location, day: date, present: list[int], hcm: list[int],
                       backdate_reason: str = "") -> AttendanceResult:
    """Make the day's sheet exactly `present` (a later edit, audited with what changed)."""
    check_service_date(day, backdate_reason=backdate_reason)
    _refuse_closed_day(awc, day)
    eligible, outside_band = _preschool_children(awc, day, set(present))
    existing = dict(Attendance.objects.filter(awc=awc, date=day).values_list("child_id", "hcm"))
    meals = set(hcm)
    removed = set(existing) - eligible
    added = eligible - set(existing)
    meal_changes = [pk for pk in eligible & set(existing) if existing[pk] != (pk in meals)]
    Attendance.objects.filter(awc=awc, date=day, child_id__in=removed).delete()
    Attendance.objects.bulk_create([Attendance(awc=awc, child_id=pk, date=day, hcm=pk in meals) for pk in added])
    if meal_changes:
        Attendance.objects.filter(awc=awc, date=day, child_id__in=[p for p in meal_changes if p in meals]).update(hcm=True)
        Attendance.objects.filter(awc=awc, date=day, child_id__in=[p for p in meal_changes if p not in meals]).update(
            hcm=False)
    changed = (["present"] if removed or added else []) + (["hcm"] if meal_changes or added else [])
    if changed:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="beneficiaries.attendance",
                     object_id=f"{awc.pk}:{day.isoformat()}", awc_id=awc.pk, fields=changed)
    return AttendanceResult(saved=len(added), meals=len([p for p in eligible if p in meals]),
                            rejected=[{"child": pk, "code": NOT_PRESCHOOL, "reason": _reason_text(NOT_PRESCHOOL)}
                                      for pk in sorted(outside_band)])


def home_visit_record(*, actor, awc: Location, beneficiary: Beneficiary, day: date, purpose: str, topic: str = "",
                      notes: str = "", backdate_reason: str = "", client_uuid=None) -> HomeVisit:
    """One home visit, once per client id (a retry is answered with the first visit). One transaction
    (create_once_claiming's): the INSERT claiming the id, the person marked visited, the audit row."""
    def create(claim) -> HomeVisit:
        check_service_date(day, backdate_reason=backdate_reason)
        if beneficiary.awc_id != awc.pk or beneficiary.exited_on:
            raise ValidationError({"beneficiary": _("This person is not served by your centre.")})
        visit = HomeVisit(awc=awc, beneficiary=beneficiary, date=day, purpose=purpose, topic=topic, notes=notes,
                          backdate_reason=backdate_reason, client_uuid=client_uuid, recorded_by=actor)
        # The fields' own validation only: the purpose's choices refuse an empty one with its message (the check
        # constraint's rule, which the database still enforces) and the client id's uniqueness is the claim's.
        visit.full_clean(exclude=["recorded_by", "beneficiary", "awc"], validate_unique=False,
                         validate_constraints=False)
        claim(visit)
        mark_visited(beneficiary_id=beneficiary.pk, on=day)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=visit, awc_id=awc.pk,
                     fields=["beneficiary", "date", "purpose", "topic"] + (["notes"] if notes else []))
        return visit

    visit, _created = create_once_claiming(HomeVisit, client_uuid=client_uuid, scope={"awc": awc}, create=create,
                                           replay=lambda first: first, prepared_as="beneficiaries_homevisit_claim")
    return visit
