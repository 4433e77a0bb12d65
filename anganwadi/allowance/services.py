"""Writes to the internet allowance: a claim for a quarter, and its payment or rejection by the approver."""
from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent

from ..selectors import user_area
from . import rules
from .models import AllowanceClaim, AllowancePayment, period_label
from .selectors import annual_rate, approvable_claims, quarter_entitlement

MAX_REFERENCE = 40
MAX_NOTE = 300


def _check_period(period_start: date, today: date) -> None:
    if not rules.is_quarter_start(period_start):
        raise ValidationError({"period_start": _(
            "Give the first day of a quarter: 1 April, 1 July, 1 October or 1 January.")})
    if rules.is_future(period_start, today):
        raise ValidationError({"period_start": _("%(period)s has not begun yet: it cannot be claimed before it starts.")
                               % {"period": period_label(period_start)}})
    oldest = rules.oldest_claimable(today)
    if period_start < oldest:
        raise ValidationError({"period_start": _(
            "%(period)s is too long ago: claims are made for the current quarter and the three before it "
            "(from %(oldest)s).") % {"period": period_label(period_start), "oldest": period_label(oldest)}})


@transaction.atomic
def allowance_claim_submit(*, actor, period_start: date, amount: int,
                           client_uuid: uuid.UUID | None = None) -> tuple[AllowanceClaim, bool]:
    """The signed-in worker, supervisor or block coordinator claims a quarter's allowance: (claim, created)."""
    return create_once(AllowanceClaim, client_uuid=client_uuid, scope={"claimant": actor},
                       create=lambda: _claim(actor=actor, period_start=period_start, amount=amount,
                                             client_uuid=client_uuid))


def _claim(*, actor, period_start: date, amount: int, client_uuid: uuid.UUID | None) -> AllowanceClaim:
    role = getattr(actor, "role", "")
    area = user_area(actor)
    if not rules.is_eligible(role) or area is None or area.location is None:
        raise PermissionDenied(_("Only Anganwadi workers, supervisors and block coordinators are paid the "
                                 "internet allowance."))
    _check_period(period_start, timezone.localdate())
    most = quarter_entitlement(role)
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("Give the amount in whole rupees (more than 0).")})
    if amount > most:
        raise ValidationError({"amount": _("The most that can be claimed for a quarter is ₹%(most)s "
                                           "(₹%(year)s a year).") % {"most": most, "year": annual_rate()}})
    live = AllowanceClaim.objects.filter(claimant=actor, period_start=period_start).exclude(
        status=AllowanceClaim.Status.REJECTED)
    duplicate = ValidationError({"period_start": _("You have already claimed for %(period)s.")
                                 % {"period": period_label(period_start)}})
    if live.exists():
        raise duplicate
    claim = AllowanceClaim(claimant=actor, role=role, location=area.location, period_start=period_start,
                           amount=amount, client_uuid=client_uuid)
    claim.full_clean(exclude=["claimant", "location"], validate_constraints=False)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:  # the same quarter claimed at the same moment
        raise duplicate from exc
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=claim, fields=["period_start", "amount"],
                 awc_id=area.location.pk if area.location.level == "awc" else None)
    return claim


def _locked_claim(actor, claim: AllowanceClaim) -> AllowanceClaim:
    locked = approvable_claims(actor).select_for_update().filter(pk=claim.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


@transaction.atomic
def allowance_pay(*, actor, claim: AllowanceClaim, paid_on: date, reference: str = "") -> AllowancePayment:
    """Approve a claim and record its payment. A second payment for the same person and quarter is refused."""
    claim = _locked_claim(actor, claim)
    period = period_label(claim.period_start)
    already = AllowancePayment.objects.filter(payee_id=claim.claimant_id, period_start=claim.period_start).first()
    if already is not None:
        raise ValidationError(_("The allowance for %(period)s was already paid to this person on %(day)s; "
                                "it cannot be paid twice.") % {"period": period,
                                                               "day": date_format(already.paid_on, "j M Y")})
    if claim.status != AllowanceClaim.Status.SUBMITTED:
        raise ValidationError(_("Only a claim waiting for approval can be paid."))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date is in the future.")})
    reference = (reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        raise ValidationError({"reference": _("Keep the reference under %(n)s characters.") % {"n": MAX_REFERENCE}})
    payment = AllowancePayment(claim=claim, payee_id=claim.claimant_id, location_id=claim.location_id,
                               period_start=claim.period_start, amount=claim.amount, paid_on=paid_on,
                               reference=reference, approved_by=actor)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:  # paid at the same moment by another approver
        raise ValidationError(_("The allowance for %(period)s was already paid to this person; it cannot be "
                                "paid twice.") % {"period": period}) from exc
    claim.status, claim.decided_by, claim.decided_at = AllowanceClaim.Status.PAID, actor, timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=payment,
                 fields=["claim", "amount", "paid_on"] + (["reference"] if reference else []))
    return payment


@transaction.atomic
def allowance_reject(*, actor, claim: AllowanceClaim, note: str) -> AllowanceClaim:
    claim = _locked_claim(actor, claim)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the claim is rejected.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Keep the reason under %(n)s characters.") % {"n": MAX_NOTE}})
    if claim.status != AllowanceClaim.Status.SUBMITTED:
        raise ValidationError(_("Only a claim waiting for approval can be rejected."))
    claim.status, claim.decided_by, claim.decided_at, claim.note = (
        AllowanceClaim.Status.REJECTED, actor, timezone.now(), note)
    claim.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=claim, fields=["status", "note"])
    return claim
