"""Writes to a centre's equipment: a device's report (issue, condition, replacement) and the building.

A device newly reported broken or lost opens a grievance in the same transaction: this sends
signals.device_fault_reported, which the grievances app (above anganwadi) answers; while that
grievance is active, a second one is not opened for the same device.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.crypto import blind_index
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent, User
from poshan.core.roles import CENTRE_ROLES, Level

from ..models import Location
from ..selectors import awcs_visible_to
from .imei import IMEI_LENGTH, imei_problem, normalise
from .models import (FAULT_CONDITIONS, INFRASTRUCTURE_FIELDS, Condition, Device, DeviceKind, DeviceReport,
                     Infrastructure)
from .signals import FaultGrievance, device_fault_reported

IMEI_PURPOSE = "imei"
MAX_NOTE = 300
MAX_MAKE = Device._meta.get_field("make").max_length


@dataclass(frozen=True)
class DeviceResult:
    device: Device
    created: bool
    changed: list[str]
    grievance: FaultGrievance | None = None
    grievance_missing_reason: str = ""


def imei_index(number: str) -> str:
    return blind_index(number, purpose=IMEI_PURPOSE)


def _check_awc(actor, awc: Location) -> None:
    if awc.level != Level.AWC or not awcs_visible_to(actor).filter(pk=awc.pk).exists():
        raise PermissionDenied


def _check_imei(kind: str, raw: str, existing: Device | None, errors: dict) -> str:
    """The normalised IMEI to store ("" = keep what is there); problems go into `errors`."""
    number = normalise(raw)
    if kind != DeviceKind.SMARTPHONE:
        if number:
            errors["imei"] = _("Only a smartphone has an IMEI; leave it empty for this device.")
        return ""
    if not number:
        if existing is None or not existing.imei:
            errors["imei"] = _("Give the phone's IMEI (dial *#06# on the phone to see it).")
        return ""
    problem = imei_problem(number)
    if problem == "digits":
        errors["imei"] = _("An IMEI is made of digits only.")
    elif problem == "length":
        errors["imei"] = _("An IMEI has %(n)s digits; this one has %(got)s.") % {"n": IMEI_LENGTH, "got": len(number)}
    elif problem == "check":
        errors["imei"] = _("This IMEI fails its check digit: read it again from the phone (dial *#06#).")
    return number


def _check_issue(awc: Location, issued_on: date | None, issued_to: User | None, errors: dict) -> None:
    if issued_on is not None and issued_on > timezone.localdate():
        errors["issued_on"] = _("The issue date is in the future.")
    if issued_to is not None:
        works_here = (issued_to.role in CENTRE_ROLES and getattr(issued_to, "assignment", None) is not None
                      and issued_to.assignment.location_id == awc.pk)
        if not works_here:
            errors["issued_to"] = _("Choose a worker or helper of this centre.")


def _report_fault(*, actor, device: Device, note: str) -> tuple[FaultGrievance | None, str]:
    """Ask the listeners of device_fault_reported (the grievances app) to follow the fault up."""
    for _receiver, answer in device_fault_reported.send(sender=Device, actor=actor, device=device, note=note):
        if answer is not None:
            return answer
    return None, _("Grievances are not connected on this server.")


@transaction.atomic
def device_record(*, actor, awc: Location, kind: str, condition: str, make: str = "", imei: str = "",
                  issued_on: date | None = None, issued_to: User | None = None, note: str = "",
                  client_uuid: uuid.UUID | None = None) -> DeviceResult:
    """Record a device of the centre, or a change to it (condition, make, IMEI, issue); once per client id.

    Unknown kinds and conditions, a bad IMEI, a future issue date: refused with a message,
    nothing saved. A new fault (broken or lost) opens a grievance unless one is still active.
    """
    _check_awc(actor, awc)
    result, _first = create_once(
        DeviceReport, client_uuid=client_uuid, scope={"awc": awc},
        create=lambda: _device_record(actor=actor, awc=awc, kind=kind, condition=condition, make=make, imei=imei,
                                      issued_on=issued_on, issued_to=issued_to, note=note, client_uuid=client_uuid),
        replay=lambda report: DeviceResult(report.device, False, []))
    return result


def _field_errors(*, kind: str, condition: str, note: str, make: str) -> dict:
    """What is wrong with the form's own fields (kind, condition, note, make), by field."""
    errors: dict = {}
    if kind not in DeviceKind.values:
        errors["kind"] = _("Unknown device type “%(kind)s”: choose one of %(known)s.") % {
            "kind": kind, "known": ", ".join(str(label) for label in DeviceKind.labels)}
    if condition not in Condition.values:
        errors["condition"] = _("Choose the device's condition.")
    if len(note) > MAX_NOTE:
        errors["note"] = _("Keep the note under %(n)s characters.") % {"n": MAX_NOTE}
    if len(make) > MAX_MAKE:  # refused with a message, never cut short
        errors["make"] = _("Keep the make and model under %(n)s characters.") % {"n": MAX_MAKE}
    return errors


def _device_record(*, actor, awc: Location, kind: str, condition: str, make: str, imei: str,
                   issued_on: date | None, issued_to: User | None, note: str,
                   client_uuid: uuid.UUID | None) -> DeviceResult:
    note, make = (note or "").strip(), (make or "").strip()
    errors = _field_errors(kind=kind, condition=condition, note=note, make=make)
    if errors.get("kind"):
        raise ValidationError(errors)
    device = Device.objects.select_for_update().filter(awc=awc, kind=kind).first()
    number = _check_imei(kind, imei, device, errors)
    _check_issue(awc, issued_on, issued_to, errors)
    if number and Device.objects.filter(imei_index=imei_index(number)).exclude(
            pk=device.pk if device else None).exists():
        errors["imei"] = _("This IMEI is already recorded for another centre's phone.")
    if errors:
        raise ValidationError(errors)

    today = timezone.localdate()
    created = device is None
    if created:
        device = Device(awc=awc, kind=kind, condition=condition, condition_since=today)
    wanted = {"make": make or device.make, "issued_on": issued_on or device.issued_on,
              "issued_to": issued_to or device.issued_to, "condition": condition}
    changed = [name for name, value in wanted.items() if getattr(device, name) != value]
    if number and number != device.imei:
        device.imei, device.imei_index = number, imei_index(number)
        changed.append("imei")
    for name, value in wanted.items():
        setattr(device, name, value)
    condition_changed = created or "condition" in changed
    if condition_changed:
        device.condition_since = today
    faulty = condition in FAULT_CONDITIONS
    if not created and not changed and not note and not faulty:
        return DeviceResult(device, False, [])
    if created or changed or note:
        device.updated_by, device.updated_at = actor, timezone.now()
        device.full_clean(exclude=["updated_by", "issued_to"])
        try:
            with transaction.atomic():
                device.save()
        except IntegrityError as exc:  # a concurrent record of the same IMEI or kind
            raise ValidationError(_("This device was recorded at the same moment by someone else; "
                                    "open the page again.")) from exc

    grievance, missing = None, ""
    if faulty:  # the hook answers the still-active grievance instead of opening a second one
        grievance, missing = _report_fault(actor=actor, device=device, note=note)
        if grievance is not None and grievance.id != device.grievance_id:
            device.grievance_id, device.grievance_reference = grievance.id, grievance.reference
            device.save(update_fields=["grievance_id", "grievance_reference"])
            changed.append("grievance")
    if not created and not changed and not note:
        return DeviceResult(device, False, [], grievance, missing)
    if condition_changed or note:
        DeviceReport.objects.create(device=device, awc=awc, on=today, condition=condition, note=note,
                                    grievance_id=grievance.id if grievance else None, client_uuid=client_uuid,
                                    recorded_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, obj=device,
                 awc_id=awc.pk, fields=(["kind", *changed] if created else changed) + (["note"] if note else []))
    return DeviceResult(device, created, changed, grievance, missing)


@transaction.atomic
def infrastructure_record(*, actor, awc: Location, own_building: bool, drinking_water: bool, toilet: bool,
                          electricity: bool, kitchen: bool) -> tuple[Infrastructure, list[str]]:
    """Record what the centre's building has; returns the row and the names of what changed."""
    _check_awc(actor, awc)
    row = Infrastructure.objects.select_for_update().filter(awc=awc).first()
    created = row is None
    row = row or Infrastructure(awc=awc)
    wanted = {"own_building": own_building, "drinking_water": drinking_water, "toilet": toilet,
              "electricity": electricity, "kitchen": kitchen}
    changed = [name for name in INFRASTRUCTURE_FIELDS if created or getattr(row, name) != bool(wanted[name])]
    if not changed:
        return row, []
    for name in INFRASTRUCTURE_FIELDS:
        setattr(row, name, bool(wanted[name]))
    row.updated_by, row.updated_at = actor, timezone.now()
    row.full_clean(exclude=["updated_by"])
    row.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, obj=row,
                 awc_id=awc.pk, fields=changed)
    return row, changed


__all__ = ["DeviceResult", "FaultGrievance", "device_record", "imei_index", "infrastructure_record"]
