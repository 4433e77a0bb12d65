"""Moves between centres: asked by the sending centre (push) or the receiving one (pull), answered by the other,
and a temporary move's return."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from .. import lifestage
from . import lookups
from ..numbers import aadhaar_index
from ..models import AwcMembership, Beneficiary, Household, Transfer
from ..signals import people_moved
from .people import _clean_numbers, _require_awc


def _lapse_pending_moves(*, actor, beneficiary_ids, keep: int | None = None) -> None:
    """Requests still waiting for people who moved or left can no longer be answered: they lapse."""
    pending = Transfer.objects.filter(beneficiary_id__in=beneficiary_ids, status=Transfer.Status.REQUESTED)
    lapsed = list(pending.exclude(pk=keep).values_list("pk", "from_awc_id"))
    if not lapsed:
        return
    Transfer.objects.filter(pk__in=[pk for pk, _awc in lapsed]).update(status=Transfer.Status.LAPSED)
    for pk, awc_id in lapsed:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="beneficiaries.transfer",
                     object_id=pk, awc_id=awc_id, fields=["status"])


def _move(*, actor, beneficiary: Beneficiary, to_awc: Location, on: date, answered: Transfer) -> None:
    """Close the open membership, open one at the new AWC, give the person a household there.

    Every other request still waiting for the person (or the young children moving with them) lapses.
    """
    AwcMembership.objects.filter(beneficiary=beneficiary, end__isnull=True).update(end=on)
    AwcMembership.objects.create(beneficiary=beneficiary, awc=to_awc, start=on)
    old = beneficiary.household
    household = Household.objects.create(awc=to_awc, head_name=old.head_name, social_category=old.social_category,
                                         is_minority=old.is_minority, mobile=old.mobile,
                                         mobile_index=old.mobile_index)
    beneficiary.awc, beneficiary.household = to_awc, household
    beneficiary.save(update_fields=["awc", "household"])
    moved = [beneficiary.pk]
    # Young children move with their mother.
    for child in beneficiary.children.filter(awc=old.awc, exited_on__isnull=True,
                                             dob__gt=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS)):
        AwcMembership.objects.filter(beneficiary=child, end__isnull=True).update(end=on)
        AwcMembership.objects.create(beneficiary=child, awc=to_awc, start=on)
        child.awc, child.household = to_awc, household
        child.save(update_fields=["awc", "household"])
        moved.append(child.pk)
    _lapse_pending_moves(actor=actor, beneficiary_ids=moved, keep=answered.pk)
    people_moved.send(sender=Beneficiary, actor=actor, beneficiary_ids=moved, to_awc=to_awc, on=on)


@transaction.atomic
def transfer_request(*, actor, beneficiary: Beneficiary, to_awc: Location, kind: str,
                     expected_return: date | None = None, pulled: bool = False) -> Transfer:
    """Ask to move a person: by the sending centre (push) or the receiving one (pull, see transfer_pull).

    One push at a time per person, and one pull per asking centre: a pull never stops the holding centre's
    own move (or exit); the pull then lapses.
    """
    _require_awc(to_awc)
    if beneficiary.exited_on:
        raise ValidationError(_("This person has left the programme."))
    if to_awc.pk == beneficiary.awc_id:
        raise ValidationError({"to_awc": _("The person is already served by this centre.")})
    if kind == Transfer.Kind.TEMPORARY and expected_return and expected_return <= timezone.localdate():
        raise ValidationError({"expected_return": _("The expected return must be a future date.")})
    pending = Transfer.objects.filter(beneficiary=beneficiary, status=Transfer.Status.REQUESTED, pulled=pulled)
    if pulled and pending.filter(to_awc=to_awc).exists():
        raise ValidationError({"to_awc": _("Your centre has already asked for this person: the other centre will "
                                           "answer.")})
    if not pulled and pending.exists():
        raise ValidationError(_("A move for this person is already waiting for an answer."))
    transfer = Transfer(beneficiary=beneficiary, from_awc_id=beneficiary.awc_id, to_awc=to_awc, kind=kind,
                        expected_return=expected_return if kind == Transfer.Kind.TEMPORARY else None,
                        requested_by=actor, pulled=pulled)
    transfer.full_clean()
    transfer.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=transfer, awc_id=beneficiary.awc_id,
                 fields=["from_awc", "to_awc", "kind", "pulled"])
    return transfer


def transfer_pull(*, actor, to_awc: Location, aadhaar: str, kind: str,
                  expected_return: date | None = None) -> Transfer:
    """The receiving centre asks for a person who moved here, found by Aadhaar number.

    The asking worker is told only that her request was sent: the person's name and centre reach her when the
    holding centre accepts. The look-up is audited and counted against her hour's allowance, found or not.
    """
    _require_awc(to_awc)
    lookups.lookup_allowed_or_refuse(actor)
    number, _mobile = _clean_numbers(aadhaar, "")
    found = Beneficiary.objects.filter(aadhaar_index=aadhaar_index(number), exited_on__isnull=True).first()
    lookups.lookup_record(actor=actor, purpose=lookups.PULL, found=found, awc_id=to_awc.pk)
    if found is None:
        raise ValidationError({"aadhaar": _("No one with this Aadhaar number is registered. Register the person.")})
    return transfer_request(actor=actor, beneficiary=found, to_awc=to_awc, kind=kind,
                            expected_return=expected_return, pulled=True)


def _answering_awc_id(transfer: Transfer) -> int:
    """A push is answered by the receiving centre, a pull by the centre holding the person."""
    return transfer.from_awc_id if transfer.pulled else transfer.to_awc_id


def can_answer(transfer: Transfer, awc: Location | None) -> bool:
    """May this centre accept or refuse the move (transfer_decide)?"""
    return (awc is not None and transfer.status == Transfer.Status.REQUESTED
            and _answering_awc_id(transfer) == awc.pk)


def _return_refusal(transfer: Transfer, returning_to: Location | None) -> str:
    if transfer.kind != Transfer.Kind.TEMPORARY or transfer.status != Transfer.Status.ACCEPTED:
        return _("Only an accepted temporary move can end with a return.")
    if (returning_to is None or returning_to.pk != transfer.from_awc_id
            or transfer.beneficiary.awc_id != transfer.to_awc_id):
        return _("The person can only return to the centre they came from.")
    return ""


def can_return(transfer: Transfer, awc: Location | None) -> bool:
    """May this centre end the temporary move by taking the person back (transfer_return)?"""
    return not _return_refusal(transfer, awc)


@transaction.atomic
def transfer_decide(*, actor, transfer: Transfer, accept: bool, deciding_awc: Location) -> Transfer:
    """The other side answers: accepting moves the person (and their young children) today."""
    transfer = Transfer.objects.select_for_update().select_related("beneficiary__household").get(pk=transfer.pk)
    if transfer.status != Transfer.Status.REQUESTED:
        raise ValidationError(_("This move was already answered."))
    if deciding_awc.pk != _answering_awc_id(transfer):
        raise ValidationError(_("Only the other centre can answer this move."))
    transfer.status = Transfer.Status.ACCEPTED if accept else Transfer.Status.REJECTED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        _move(actor=actor, beneficiary=transfer.beneficiary, to_awc=transfer.to_awc, on=timezone.localdate(),
              answered=transfer)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=transfer, awc_id=deciding_awc.pk,
                 fields=["status"])
    return transfer


@transaction.atomic
def transfer_return(*, actor, transfer: Transfer, returning_to: Location) -> Transfer:
    """A temporary move ends: the person is served again by the first centre."""
    transfer = Transfer.objects.select_for_update().select_related("beneficiary__household").get(pk=transfer.pk)
    if refusal := _return_refusal(transfer, returning_to):
        raise ValidationError(refusal)
    _move(actor=actor, beneficiary=transfer.beneficiary, to_awc=transfer.from_awc, on=timezone.localdate(),
          answered=transfer)
    transfer.status = Transfer.Status.RETURNED
    transfer.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=transfer, awc_id=returning_to.pk,
                 fields=["status"])
    return transfer
