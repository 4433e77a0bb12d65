"""Writes to grievances: lodge, the status flow, notes, assignment, escalation. Every step audited.

Status flow: open → in progress → resolved (with a note) → closed by the worker, or
reopened (with a note) back to open at the same desk.
"""
from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from anganwadi.models import Location
from anganwadi.selectors import awcs_visible_to
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent, User
from poshan.core.names import name_problem
from poshan.core.roles import CENTRE_ROLES, Role

from . import selectors
from .models import (ACTIVE_STATUSES, DESK_ROLES, HELPLINE_LANGUAGES, MAX_DESCRIPTION, MAX_NOTE, Category,
                     Channel, Grievance, GrievanceEvent, Notification, Status)
from .notify import send_notifications
from .validators import validate_screenshot

Kind = GrievanceEvent.Kind
HELPLINE_CODES = {code for code, _label in HELPLINE_LANGUAGES}


def reference_for(grievance: Grievance) -> str:
    """GRV-<year lodged>-<id>: unique because the id is."""
    return f"GRV-{timezone.localtime(grievance.created_at).year}-{grievance.pk:06d}"


def _notify(user_ids, key: str, grievance: Grievance, *, exclude: User | None = None) -> None:
    """Queue the message for after the commit (nothing is sent for a rolled-back change)."""
    ids = sorted({pk for pk in user_ids if pk and (exclude is None or pk != exclude.pk)})
    if not ids:
        return
    params = {"ref": grievance.reference or "", "awc": grievance.awc.name, "desk": grievance.desk_role}
    link = reverse("grievances:detail", args=[grievance.pk])

    def send() -> None:
        send_notifications.delay(ids, key, params, link)

    transaction.on_commit(send, robust=True)  # the broker down loses the notice (logged), never the grievance


def _owner_id(grievance: Grievance) -> int:
    return grievance.worker_id or grievance.lodged_by_id


def _desk_ids(grievance: Grievance) -> list[int]:
    ids = list(selectors.desk_officers(awc=grievance.awc, desk_role=grievance.desk_role).values_list("pk", flat=True))
    if grievance.assigned_to_id:
        ids.append(grievance.assigned_to_id)
    return ids


def _event(grievance: Grievance, *, actor, kind: str, note: str = "") -> GrievanceEvent:
    return GrievanceEvent.objects.create(
        grievance=grievance, actor=actor if getattr(actor, "is_authenticated", False) else None, kind=kind,
        status=grievance.status, desk_role=grievance.desk_role, note=note,
    )


def _audit(actor, grievance: Grievance, action: str, fields) -> None:
    audit_record(actor=actor, action=action, obj=grievance, awc_id=grievance.awc_id, fields=fields)


def _clean_note(note: str | None, *, required_message=None) -> str:
    note = (note or "").strip()
    if required_message and not note:
        raise ValidationError({"note": required_message})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Keep the note under %(n)s characters.") % {"n": MAX_NOTE}})
    return note


def _lodging_party(*, actor, worker, awc, caller_language, errors: dict) -> tuple[str, User | None, Location | None]:
    """Channel, worker and AWC by the lodger's role; what is wrong goes into `errors`."""
    role = getattr(actor, "role", "")
    if role in CENTRE_ROLES and actor.has_perm("grievances.lodge_own_grievance"):
        own = selectors.worker_awc(actor)
        if own is None:
            errors["__all__"] = _("You have no Anganwadi centre assigned, so a grievance cannot be lodged.")
        return Channel.APP, actor, own
    if role == Role.HELPLINE and actor.has_perm("grievances.lodge_by_phone"):
        if awc is None or not awcs_visible_to(actor).filter(pk=awc.pk, is_active=True).exists():
            errors["awc"] = _("Give the code of the caller's Anganwadi centre.")
        if caller_language not in HELPLINE_CODES:
            errors["caller_language"] = _("Choose the language the caller speaks.")
        return Channel.HELPLINE, None, awc
    if role in selectors.OFFICER_ROLES and actor.has_perm("grievances.lodge_for_worker"):
        centre = None
        if worker is None or not selectors.workers_for_lodging(actor).filter(pk=worker.pk).exists():
            errors["worker"] = _("Choose a worker of your area.")
        else:
            centre = selectors.worker_awc(worker)
            if centre is None:
                errors["worker"] = _("This worker has no Anganwadi centre assigned.")
        return Channel.DASHBOARD, worker, centre
    raise PermissionDenied


def _earlier_submission(actor, submission_id: uuid.UUID) -> Grievance | None:
    """The actor's grievance lodged with this id (a retry); an id someone else used is refused, never shown."""
    existing = Grievance.objects.filter(submission_id=submission_id).first()
    if existing is not None and existing.lodged_by_id != actor.pk:
        raise ValidationError({"submission_id": _("This submission id was already used for another record.")})
    return existing


def grievance_lodge(*, actor, category: str, description: str, screenshot=None, worker: User | None = None,
                    awc: Location | None = None, caller_name: str = "", caller_language: str = "",
                    submission_id: uuid.UUID | None = None) -> Grievance:
    """Lodge a grievance: from the portal (a worker), for a worker (an officer) or by phone (the helpline).

    A retry with the same submission id returns the first grievance instead of a duplicate.
    """
    if submission_id is not None and (existing := _earlier_submission(actor, submission_id)) is not None:
        return existing
    errors: dict = {}
    channel, worker, awc = _lodging_party(actor=actor, worker=worker, awc=awc, caller_language=caller_language,
                                          errors=errors)
    if category not in Category.values:
        errors["category"] = _("Choose what the grievance is about.")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Describe the problem.")
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep the description under %(n)s characters.") % {"n": MAX_DESCRIPTION}
    if caller_name and (problem := name_problem(caller_name)) is not None:
        errors["caller_name"] = problem
    screenshot_format = ""
    if screenshot:
        try:
            screenshot_format = validate_screenshot(screenshot)
        except ValidationError as exc:
            errors["screenshot"] = exc.messages
    if errors:
        raise ValidationError(errors)

    desk_role, sla_hours = selectors.route_for(category)
    now = timezone.now()
    grievance = Grievance(
        submission_id=submission_id or uuid.uuid4(), channel=channel, category=category, description=description,
        awc=awc, worker=worker, lodged_by=actor, desk_role=desk_role, created_at=now,
        sla_due_at=now + dt.timedelta(hours=sla_hours), due_at=now + dt.timedelta(hours=sla_hours),
        caller_name=caller_name.strip()[:120] if channel == Channel.HELPLINE else "",
        caller_language=caller_language if channel == Channel.HELPLINE else "",
        screenshot_format=screenshot_format,
    )
    grievance.full_clean(exclude=["screenshot", "submission_id"])
    try:
        with transaction.atomic():
            if screenshot:
                grievance.screenshot = screenshot
            grievance.save()
            grievance.reference = reference_for(grievance)
            grievance.save(update_fields=["reference"])
            _event(grievance, actor=actor, kind=Kind.LODGED)
            _notify(_desk_ids(grievance), "lodged_desk", grievance, exclude=actor)
            if worker is not None and worker.pk != actor.pk:
                _notify([worker.pk], "lodged_worker", grievance)
            _audit(actor, grievance, AuditEvent.Action.CREATE,
                   ("category", "description", "awc", "worker") + (("screenshot",) if screenshot else ()))
    except IntegrityError:
        if submission_id is not None and (existing := _earlier_submission(actor, submission_id)) is not None:
            return existing  # a concurrent retry of the same submission won the race
        raise
    return grievance


def _locked(grievance: Grievance) -> Grievance:
    return Grievance.objects.select_for_update(of=("self",)).select_related("awc").get(pk=grievance.pk)


def _require_handler(actor, grievance: Grievance) -> None:
    if not selectors.can_handle(actor, grievance):
        raise PermissionDenied


def _require_owner(actor, grievance: Grievance) -> None:
    if not selectors.is_owner(actor, grievance):
        raise PermissionDenied


@transaction.atomic
def grievance_start(*, actor, grievance: Grievance) -> Grievance:
    grievance = _locked(grievance)
    _require_handler(actor, grievance)
    if grievance.status != Status.OPEN:
        raise ValidationError(_("Only an open grievance can be taken up."))
    grievance.status = Status.IN_PROGRESS
    grievance.save(update_fields=["status", "updated_at"])
    _event(grievance, actor=actor, kind=Kind.STARTED)
    _notify([_owner_id(grievance)], "started", grievance, exclude=actor)
    _audit(actor, grievance, AuditEvent.Action.UPDATE, ("status",))
    return grievance


@transaction.atomic
def grievance_resolve(*, actor, grievance: Grievance, note: str) -> Grievance:
    grievance = _locked(grievance)
    _require_handler(actor, grievance)
    if grievance.status != Status.IN_PROGRESS:
        raise ValidationError(_("Take the grievance up (in progress) before resolving it."))
    note = _clean_note(note, required_message=_("Write how the problem was resolved."))
    grievance.status = Status.RESOLVED
    grievance.resolution_note = note
    grievance.resolved_at = timezone.now()
    grievance.save(update_fields=["status", "resolution_note", "resolved_at", "updated_at"])
    _event(grievance, actor=actor, kind=Kind.RESOLVED, note=note)
    _notify([_owner_id(grievance)], "resolved", grievance, exclude=actor)
    _audit(actor, grievance, AuditEvent.Action.UPDATE, ("status", "resolution_note"))
    return grievance


@transaction.atomic
def grievance_close(*, actor, grievance: Grievance) -> Grievance:
    grievance = _locked(grievance)
    _require_owner(actor, grievance)
    if grievance.status != Status.RESOLVED:
        raise ValidationError(_("Only a resolved grievance can be closed."))
    grievance.status = Status.CLOSED
    grievance.closed_at = timezone.now()
    grievance.save(update_fields=["status", "closed_at", "updated_at"])
    _event(grievance, actor=actor, kind=Kind.CLOSED)
    _audit(actor, grievance, AuditEvent.Action.UPDATE, ("status",))
    return grievance


@transaction.atomic
def grievance_reopen(*, actor, grievance: Grievance, note: str) -> Grievance:
    """Back to open at the same desk, with a fresh desk deadline; the promised time stays."""
    grievance = _locked(grievance)
    _require_owner(actor, grievance)
    if grievance.status != Status.RESOLVED:
        raise ValidationError(_("Only a resolved grievance can be reopened."))
    note = _clean_note(note, required_message=_("Say why the problem is not solved."))
    _desk, sla_hours = selectors.route_for(grievance.category)
    grievance.status = Status.OPEN
    grievance.resolved_at = None
    grievance.due_at = timezone.now() + dt.timedelta(hours=sla_hours)
    grievance.save(update_fields=["status", "resolved_at", "due_at", "updated_at"])
    _event(grievance, actor=actor, kind=Kind.REOPENED, note=note)
    _notify(_desk_ids(grievance), "reopened", grievance, exclude=actor)
    _audit(actor, grievance, AuditEvent.Action.UPDATE, ("status", "due_at"))
    return grievance


@transaction.atomic
def grievance_add_note(*, actor, grievance: Grievance, note: str) -> GrievanceEvent:
    grievance = _locked(grievance)
    handler = selectors.can_handle(actor, grievance)
    if not (handler or selectors.is_owner(actor, grievance)):
        raise PermissionDenied
    if grievance.status == Status.CLOSED:
        raise ValidationError(_("The grievance is closed."))
    note = _clean_note(note, required_message=_("Write the note."))
    event = _event(grievance, actor=actor, kind=Kind.NOTE, note=note)
    _notify([_owner_id(grievance)] if handler else _desk_ids(grievance), "note", grievance, exclude=actor)
    _audit(actor, grievance, AuditEvent.Action.UPDATE, ("events",))
    return event


@transaction.atomic
def grievance_assign(*, actor, grievance: Grievance, officer: User) -> Grievance:
    """The desk officer hands the grievance to one officer (a guardian object permission)."""
    grievance = _locked(grievance)
    if not selectors.is_desk_officer(actor, grievance):
        raise PermissionDenied
    if grievance.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only an open or in-progress grievance can be assigned."))
    if not selectors.officers_for_assignment(user=actor, grievance=grievance).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("Choose an officer whose area holds this centre.")})
    if grievance.assigned_to_id and grievance.assigned_to_id != officer.pk:
        remove_perm("grievances.handle_grievance", grievance.assigned_to, grievance)
    assign_perm("grievances.handle_grievance", officer, grievance)
    grievance.assigned_to = officer
    grievance.save(update_fields=["assigned_to", "updated_at"])
    _event(grievance, actor=actor, kind=Kind.ASSIGNED, note=officer.get_full_name() or officer.username)
    _notify([officer.pk], "assigned", grievance, exclude=actor)
    _audit(actor, grievance, AuditEvent.Action.UPDATE, ("assigned_to",))
    return grievance


def grievance_escalate(*, grievance_id: int, now: dt.datetime) -> bool:
    """Move one overdue grievance one desk up; False if it is no longer overdue or already at the top."""
    with transaction.atomic():
        grievance = (Grievance.objects.select_for_update(of=("self",)).select_related("awc", "assigned_to")
                     .filter(pk=grievance_id, status__in=ACTIVE_STATUSES, due_at__lt=now).first())
        up = selectors.next_desk(grievance.desk_role) if grievance is not None else None
        if up is None:
            return False
        _desk, sla_hours = selectors.route_for(grievance.category)
        grievance.desk_role = up
        grievance.due_at = now + dt.timedelta(hours=sla_hours)
        grievance.escalation_count += 1
        if grievance.assigned_to_id:
            remove_perm("grievances.handle_grievance", grievance.assigned_to, grievance)
            grievance.assigned_to = None
        grievance.save(update_fields=["desk_role", "due_at", "escalation_count", "assigned_to", "updated_at"])
        _event(grievance, actor=None, kind=Kind.ESCALATED)
        _notify(_desk_ids(grievance), "escalated_desk", grievance)
        _notify([_owner_id(grievance)], "escalated_worker", grievance)
        _audit(None, grievance, AuditEvent.Action.UPDATE, ("desk_role", "due_at"))
    return True


def grievance_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every grievance past its desk deadline; each in its own short transaction. Idempotent."""
    now = now or timezone.now()
    ids = list(
        Grievance.objects.filter(status__in=ACTIVE_STATUSES, due_at__lt=now)
        .exclude(desk_role=DESK_ROLES[-1]).order_by("due_at", "pk").values_list("pk", flat=True)
    )
    return sum(grievance_escalate(grievance_id=pk, now=now) for pk in ids)


@transaction.atomic
def notifications_mark_read(*, actor) -> int:
    return Notification.objects.filter(user=actor, read=False).update(read=True)
