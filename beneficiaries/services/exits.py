"""Undoing a mistaken exit. Recording an exit is `registration.beneficiary_exit`; the nightly age-out is
`registration.beneficiaries_exit_aged_out`.

Only a supervisor whose area holds the person may undo, with a written reason. The exit itself is kept in an
ExitUndo row (what it said, who undid it and why) and both writes are audited.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from ..models import AwcMembership, Beneficiary, ExitUndo

UNDO_PERMISSION = "beneficiaries.add_exitundo"
UNDO_REASON_MAX = 500


def exit_undoable(beneficiary: Beneficiary) -> bool:
    """An exit a person can undo: reaching 6 follows from the date of birth (correct that instead)."""
    return bool(beneficiary.exited_on) and beneficiary.exit_reason != Beneficiary.ExitReason.AGED_OUT


def can_undo_exit(user, beneficiary: Beneficiary) -> bool:
    from ..selectors import scoped_beneficiaries

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
