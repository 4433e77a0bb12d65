"""Writes to the location tree, staff assignments and the centre's day (all audited)."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.dates import check_service_date
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent, User
from poshan.core.names import check_names, name_problem
from poshan.core.roles import Level, Role, group_name

from .models import AwcDay, EcceActivity, Location, StaffAssignment

CSV_LEVELS: tuple[str, ...] = (Level.STATE, Level.DISTRICT, Level.PROJECT, Level.SECTOR, Level.AWC)
CSV_REQUIRED = [f"{level}_{part}" for level in CSV_LEVELS for part in ("code", "name")]
CSV_FLAGS = ("is_aspirational", "is_north_east")
TRUE_WORDS = {"1", "y", "yes", "true"}
FALSE_WORDS = {"", "0", "n", "no", "false"}


@transaction.atomic
def location_upsert(*, actor, level: str, code: int, name: str, parent: Location | None,
                    is_aspirational: bool = False, is_north_east: bool = False) -> tuple[Location, str]:
    """Create the location, or update its name/flags; a code cannot move to another parent.

    Returns the location and what happened: "created", "updated" or "unchanged".
    """
    location = Location.objects.select_for_update().filter(level=level, code=code).first()
    created = location is None
    if created:
        location = Location(level=level, code=code)
    elif location.parent_id != (parent.pk if parent else None):
        raise ValidationError(
            f"{Level(level).label} {code} already belongs to another parent ({location.parent.code if location.parent else '-'})."
        )
    changed = [
        name_ for name_, value in (("name", name), ("is_aspirational", is_aspirational), ("is_north_east", is_north_east))
        if getattr(location, name_) != value
    ]
    if not created and not changed:
        return location, "unchanged"
    location.name = name
    location.is_aspirational = is_aspirational
    location.is_north_east = is_north_east
    location.parent = parent
    location.fill_ancestors()
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=location,
        awc_id=location.pk if level == Level.AWC else None,
        fields=("level", "code", "name", "parent") if created else changed,
    )
    return location, "created" if created else "updated"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _parse_flag(raw: str | None) -> bool:
    value = (raw or "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"'{raw}' is not yes/no")


def _parse_row(row: dict[str, str]) -> list[tuple[str, int, str]]:
    chain = []
    for level in CSV_LEVELS:
        raw_code = (row.get(f"{level}_code") or "").strip()
        name = (row.get(f"{level}_name") or "").strip()
        # ASCII digits only: str.isdigit() also takes "१२" (Devanagari), which int() reads as 12.
        if not (raw_code.isascii() and raw_code.isdigit()) or int(raw_code) <= 0:
            raise ValueError(f"{level}_code '{raw_code}' must be a positive whole number in digits 0-9")
        if not name:
            raise ValueError(f"{level}_name is empty")
        if (problem := name_problem(name)) is not None:  # a NUL byte would stop PostgreSQL mid-import
            raise ValueError(f"{level}_name: {problem}")
        chain.append((level, int(raw_code), name))
    return chain


def locations_import_csv(*, actor, text: str) -> ImportReport:
    """Import a hierarchy, one AWC per row. Any bad row → nothing imported, all errors reported."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [col for col in CSV_REQUIRED if col not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    parsed: list[tuple[int, list[tuple[str, int, str]], bool, bool]] = []
    seen: dict[tuple[str, int], tuple[str, int | None]] = {}
    for line_no, row in enumerate(reader, start=2):
        report.rows += 1
        try:
            chain = _parse_row(row)
            flags = [_parse_flag(row.get(flag)) for flag in CSV_FLAGS]
        except ValueError as exc:
            report.errors.append((line_no, str(exc)))
            continue
        parent_code = None
        for level, code, name in chain:
            known = seen.setdefault((level, code), (name, parent_code))
            if known != (name, parent_code):
                report.errors.append((line_no, f"{level} {code} appears with a different name or parent than on an earlier line"))
                break
            parent_code = code
        parsed.append((line_no, chain, *flags))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            cache: dict[tuple[str, int], Location] = {}
            for line_no, chain, aspirational, north_east in parsed:
                parent = None
                for level, code, name in chain:
                    key = (level, code)
                    if key not in cache:
                        try:
                            cache[key], outcome = location_upsert(
                                actor=actor, level=level, code=code, name=name, parent=parent,
                                is_aspirational=aspirational if level == Level.AWC else False,
                                is_north_east=north_east if level == Level.AWC else False,
                            )
                        except ValidationError as exc:
                            raise _RowError(line_no, "; ".join(exc.messages)) from exc
                        report.created += outcome == "created"
                        report.updated += outcome == "updated"
                    parent = cache[key]
    except _RowError as exc:
        report.errors.append((exc.line_no, exc.message))
        report.created = report.updated = 0
    return report


class _RowError(Exception):
    def __init__(self, line_no: int, message: str):
        super().__init__(message)
        self.line_no = line_no
        self.message = message


@transaction.atomic
def staff_assign(*, actor, user: User, role: str, location: Location | None) -> StaffAssignment:
    """Give a user their one role and one location; the role's group follows."""
    user.role = role
    user.is_staff = role == Role.ADMIN  # admins work in the Django admin too
    assignment = StaffAssignment.objects.filter(user=user).first() or StaffAssignment(user=user)
    assignment.location = location
    assignment.full_clean(exclude=["user"])
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "is_staff"])
    assignment.save()
    user.groups.set([Group.objects.get(name=group_name(role))])
    if hasattr(user, "_area_cache"):
        del user._area_cache
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=user, fields=("role", "location"),
                 awc_id=location.pk if location is not None and location.level == Level.AWC else None)
    return assignment


@transaction.atomic
def staff_create(*, actor, username: str, password: str, role: str, location: Location | None,
                 first_name: str = "", last_name: str = "") -> User:
    check_names(first_name=first_name, last_name=last_name)
    user = User(username=username, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean(exclude=["password", "role"])
    user.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=user, fields=("username",))
    staff_assign(actor=actor, user=user, role=role, location=location)
    return user


# --- the centre's day ---------------------------------------------------------------------------------

MAX_ECCE_CHILDREN = 150


def _save_day(*, actor, record: AwcDay) -> tuple[AwcDay, bool]:
    """Insert the day's record; a day recorded a moment ago by someone else is answered instead."""
    try:
        with transaction.atomic():
            record.full_clean(exclude=["recorded_by"])
            record.save()
    except IntegrityError:
        if (same_day := day_status(record.awc, record.date)) is None:
            raise  # not the day but the client id: create_once answers it
        return same_day, False
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=record, awc_id=record.awc_id,
                 fields=["opened", "opened_at" if record.opened else "not_open_reason"]
                 + (["position"] if record.latitude is not None else []))
    return record, True


def _record_day(*, actor, awc: Location, day: date, backdate_reason: str, client_uuid,
                build: Callable[[], AwcDay]) -> tuple[AwcDay, bool]:
    """Once per day per AWC: the day already recorded (or this submission replayed) is the answer."""
    def create() -> tuple[AwcDay, bool]:
        if (recorded := day_status(awc, day)) is not None:
            return recorded, False
        check_service_date(day, backdate_reason=backdate_reason)
        return _save_day(actor=actor, record=build())

    answer, _first = create_once(AwcDay, client_uuid=client_uuid, scope={"awc": awc}, create=create,
                                 replay=lambda row: (row, False))
    return answer


@transaction.atomic
def awc_day_open(*, actor, awc: Location, day: date, opened_at: time, latitude=None, longitude=None,
                 backdate_reason: str = "", client_uuid=None) -> tuple[AwcDay, bool]:
    """Record that the centre opened; returns (record, created). Once per day per AWC."""
    def build() -> AwcDay:
        if (latitude is None) != (longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        return AwcDay(awc=awc, date=day, opened=True, opened_at=opened_at, latitude=latitude, longitude=longitude,
                      backdate_reason=backdate_reason, client_uuid=client_uuid, recorded_by=actor)

    return _record_day(actor=actor, awc=awc, day=day, backdate_reason=backdate_reason, client_uuid=client_uuid,
                       build=build)


@transaction.atomic
def awc_day_not_open(*, actor, awc: Location, day: date, reason: str, backdate_reason: str = "",
                     client_uuid=None) -> tuple[AwcDay, bool]:
    def build() -> AwcDay:
        if not reason:
            raise ValidationError({"reason": _("Say why the centre did not open.")})
        return AwcDay(awc=awc, date=day, opened=False, not_open_reason=reason, backdate_reason=backdate_reason,
                      client_uuid=client_uuid, recorded_by=actor)

    return _record_day(actor=actor, awc=awc, day=day, backdate_reason=backdate_reason, client_uuid=client_uuid,
                       build=build)


@transaction.atomic
def awc_day_close(*, actor, awc: Location, day: date, closed_at: time) -> AwcDay:
    record = AwcDay.objects.select_for_update().filter(awc=awc, date=day).first()
    if record is None or not record.opened:
        raise ValidationError(_("Record that the centre opened before closing it."))
    if record.closed_at is not None:
        return record
    if closed_at < record.opened_at:
        raise ValidationError({"closed_at": _("The closing time is before the opening time (%(t)s).")
                               % {"t": record.opened_at.strftime("%H:%M")}})
    record.closed_at = closed_at
    record.save(update_fields=["closed_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=record, awc_id=awc.pk, fields=["closed_at"])
    return record


def day_status(awc: Location, day: date) -> AwcDay | None:
    return AwcDay.objects.filter(awc=awc, date=day).first()


@transaction.atomic
def ecce_record(*, actor, awc: Location, day: date, activity: str, children: int, backdate_reason: str = "",
                client_uuid=None) -> tuple[EcceActivity, bool]:
    def create() -> tuple[EcceActivity, bool]:
        check_service_date(day, backdate_reason=backdate_reason)
        opened = day_status(awc, day)
        if opened is None or not opened.opened:
            raise ValidationError(_("Record that the centre opened that day first."))
        if not 0 <= children <= MAX_ECCE_CHILDREN:
            raise ValidationError({"children": _("Give the number of children who took part (0–%(n)s).")
                                   % {"n": MAX_ECCE_CHILDREN}})
        if existing := EcceActivity.objects.filter(awc=awc, date=day, activity=activity).first():
            return existing, False
        record = EcceActivity(awc=awc, date=day, activity=activity, children=children,
                              backdate_reason=backdate_reason, client_uuid=client_uuid, recorded_by=actor)
        record.full_clean(exclude=["recorded_by"])
        record.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=record, awc_id=awc.pk,
                     fields=["activity", "children"])
        return record, True

    answer, _first = create_once(EcceActivity, client_uuid=client_uuid, scope={"awc": awc}, create=create,
                                 replay=lambda row: (row, False))
    return answer
