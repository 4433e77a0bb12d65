"""Writes to the location tree and to staff assignments (audited)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent, User
from poshan.core.roles import Level, Role, group_name

from .models import Location, StaffAssignment

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
        if not raw_code.isdigit() or int(raw_code) <= 0:
            raise ValueError(f"{level}_code '{raw_code}' must be a positive whole number")
        if not name:
            raise ValueError(f"{level}_name is empty")
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
    user = User(username=username, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean(exclude=["password", "role"])
    user.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=user, fields=("username",))
    staff_assign(actor=actor, user=user, role=role, location=location)
    return user
