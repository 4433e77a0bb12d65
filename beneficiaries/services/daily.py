"""The centre's daily services to people: attendance with the hot cooked meal, and home visits."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anganwadi.models import AwcDay, Location
from poshan.core.audit import audit_record
from poshan.core.dates import check_service_date
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent

from .. import lifestage
from ..lifestage import Category
from ..selectors import present_q
from ..models import Attendance, AttendanceSubmission, Beneficiary, HomeVisit
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


@transaction.atomic
def attendance_record(*, actor, awc: Location, day: date, present: list[int], hcm: list[int],
                      backdate_reason: str = "", client_uuid=None) -> AttendanceResult:
    """Save one day's sheet in one bulk insert; bad children are reported, the good ones saved.

    A sheet sent again with its client id is answered with the first sheet's result.
    """
    def create() -> AttendanceResult:
        check_service_date(day, backdate_reason=backdate_reason)
        result = _save_sheet(awc=awc, day=day, present=present, hcm=hcm)
        AttendanceSubmission.objects.create(awc=awc, date=day, client_uuid=client_uuid, submitted_by=actor,
                                            backdate_reason=backdate_reason, result=result.as_json())
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, object_type="beneficiaries.attendance",
                     object_id=f"{awc.pk}:{day.isoformat()}", awc_id=awc.pk, fields=["present", "hcm"])
        return result

    result, _created = create_once(AttendanceSubmission, client_uuid=client_uuid, scope={"awc": awc}, create=create,
                                   replay=lambda first: AttendanceResult(**{**first.result, "replayed": True}))
    return result


def _save_sheet(*, awc: Location, day: date, present: list[int], hcm: list[int]) -> AttendanceResult:
    _refuse_closed_day(awc, day)
    wanted = set(present)
    eligible, outside_band = _preschool_children(awc, day, wanted)
    already = set(Attendance.objects.filter(child_id__in=eligible, date=day).values_list("child_id", flat=True))
    meals = set(hcm)
    new = sorted(eligible - already)
    Attendance.objects.bulk_create(
        [Attendance(awc=awc, child_id=pk, date=day, hcm=pk in meals) for pk in new])
    return AttendanceResult(
        saved=len(new), meals=sum(1 for pk in new if pk in meals), already=sorted(already),
        rejected=[{"child": pk, "code": code, "reason": _reason_text(code)} for pk, code in sorted(
            [(pk, NOT_PRESCHOOL) for pk in outside_band]
            + [(pk, NOT_HERE) for pk in wanted - eligible - outside_band])],
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


@transaction.atomic
def home_visit_record(*, actor, awc: Location, beneficiary: Beneficiary, day: date, purpose: str, topic: str = "",
                      notes: str = "", backdate_reason: str = "", client_uuid=None) -> HomeVisit:
    def create() -> HomeVisit:
        check_service_date(day, backdate_reason=backdate_reason)
        if beneficiary.awc_id != awc.pk or beneficiary.exited_on:
            raise ValidationError({"beneficiary": _("This person is not served by your centre.")})
        visit = HomeVisit(awc=awc, beneficiary=beneficiary, date=day, purpose=purpose, topic=topic, notes=notes,
                          backdate_reason=backdate_reason, client_uuid=client_uuid, recorded_by=actor)
        visit.full_clean(exclude=["recorded_by", "beneficiary", "awc"])
        visit.save()
        mark_visited(beneficiary_id=beneficiary.pk, on=day)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=visit, awc_id=awc.pk,
                     fields=["beneficiary", "date", "purpose", "topic"] + (["notes"] if notes else []))
        return visit

    visit, _created = create_once(HomeVisit, client_uuid=client_uuid, scope={"awc": awc}, create=create)
    return visit
