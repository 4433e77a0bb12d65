"""Leaving the programme: an exit recorded with its reason, the nightly age-out at 6, and undoing a mistaken exit.

Only a supervisor whose area holds the person may undo, with a written reason. The exit itself is kept in an
ExitUndo row (what it said, who undid it and why) and both writes are audited.
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from .. import lifestage
from ..models import AwcMembership, Beneficiary, ExitUndo
from ..selectors import scoped_beneficiaries
from .transfers import _lapse_pending_moves


@transaction.atomic
def beneficiary_exit(*, actor, beneficiary: Beneficiary, reason: str, on: date | None = None) -> Beneficiary:
    on = on or timezone.localdate()
    if beneficiary.exited_on:
        return beneficiary
    beneficiary.exited_on, beneficiary.exit_reason = on, reason
    beneficiary.full_clean(exclude=["aadhaar_index", "household", "awc"])
    beneficiary.save(update_fields=["exited_on", "exit_reason"])
    AwcMembership.objects.filter(beneficiary=beneficiary, end__isnull=True).update(end=on)
    _lapse_pending_moves(actor=actor, beneficiary_ids=[beneficiary.pk])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=["exited_on", "exit_reason"])
    return beneficiary


AGE_OUT_UPPER_YEARS = 10  # children 6–10 without an exit are marked; adolescents (14+) are untouched


@transaction.atomic
def beneficiaries_exit_aged_out(*, on: date | None = None, ids=None) -> int:
    """Children who reached 6 leave the programme with that reason (kept, never deleted). Idempotent.

    `ids` limits it to those people (the nightly life-stage chunk of one district)."""
    on = on or timezone.localdate()
    due = Beneficiary.objects.filter(
        exited_on__isnull=True,
        dob__lte=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS),
        dob__gt=lifestage.years_before(on, AGE_OUT_UPPER_YEARS),
    )
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    for pk, dob in Beneficiary.objects.filter(pk__in=ids).values_list("pk", "dob"):
        exit_day = lifestage.birthday(dob, lifestage.CHILD_EXIT_YEARS)
        Beneficiary.objects.filter(pk=pk).update(exited_on=exit_day, exit_reason=Beneficiary.ExitReason.AGED_OUT)
        AwcMembership.objects.filter(beneficiary_id=pk, end__isnull=True).update(end=exit_day)
    _lapse_pending_moves(actor=None, beneficiary_ids=ids)
    audit_record(actor=None, action=AuditEvent.Action.UPDATE, object_type="beneficiaries.beneficiary",
                 object_id=f"aged_out:{on.isoformat()}:{len(ids)}", fields=["exited_on", "exit_reason"])
    return len(ids)


UNDO_PERMISSION = "beneficiaries.add_exitundo"
UNDO_REASON_MAX = 500


def exit_undoable(beneficiary: Beneficiary) -> bool:
    """An exit a person can undo: reaching 6 follows from the date of birth (correct that instead)."""
    return bool(beneficiary.exited_on) and beneficiary.exit_reason != Beneficiary.ExitReason.AGED_OUT


def can_undo_exit(user, beneficiary: Beneficiary) -> bool:
    return (exit_undoable(beneficiary) and user.has_perm(UNDO_PERMISSION)
            and scoped_beneficiaries(user).filter(pk=beneficiary.pk).exists())


@transaction.atomic
def beneficiary_exit_undo(*, actor, beneficiary: Beneficiary, reason: str) -> Beneficiary:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the exit is being undone.")})
    if len(reason) > UNDO_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": UNDO_REASON_MAX}})
    person = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if not person.exited_on:
        raise ValidationError(_("%(name)s has not left the programme.") % {"name": person.name})
    if not exit_undoable(person):
        raise ValidationError(_("Reaching 6 years is recorded from the date of birth: correct the date of birth "
                                "instead."))
    if not can_undo_exit(actor, person):
        raise ValidationError(_("Only the supervisor of this person's area can undo leaving the programme."))

    undo = ExitUndo(beneficiary=person, exited_on=person.exited_on, exit_reason=person.exit_reason, reason=reason,
                    undone_by=actor)
    undo.full_clean(exclude=["beneficiary", "undone_by"])
    undo.save()
    # The membership the exit closed (at the person's present centre) is open again.
    closed = (AwcMembership.objects.select_for_update()
              .filter(beneficiary=person, awc_id=person.awc_id, end=person.exited_on).order_by("-start", "-id").first())
    if closed is not None and not AwcMembership.objects.filter(beneficiary=person, end__isnull=True).exists():
        closed.end = None
        closed.save(update_fields=["end"])
    person.exited_on, person.exit_reason = None, ""
    person.save(update_fields=["exited_on", "exit_reason"])
    beneficiary.exited_on, beneficiary.exit_reason = None, ""
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=person, awc_id=person.awc_id,
                 fields=["exited_on", "exit_reason"])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=undo, awc_id=person.awc_id,
                 fields=["exited_on", "exit_reason", "reason"])
    return person
