"""When the face check fails, nobody goes without: retry, a one-time code, a nominee, a supervisor override.

The retry is simply a new face check (the distribution counts the failed ones). The
other three open only after a failed match this month, or when no face can be used
(not enrolled, consent withdrawn); each is marked on the distribution and audited.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary, Consent
from beneficiaries.selectors import has_consent
from poshan.core.audit import audit_record
from poshan.core.crypto import blind_index
from poshan.core.idempotency import create_once
from poshan.core.masking import mask_mobile
from poshan.core.models import AuditEvent
from poshan.core.sms import send_sms

from ..entitlement import first_of_month
from ..models import Nominee, OtpChallenge, OverrideRequest, ThrDistribution, Verification
from ..selectors import fallback_allowed, household_adults
from . import gallery
from .distribution import handover_precheck, thr_distribute, today

OTP_DIGITS = 6
OTP_VALID = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5
MAX_NOMINEES = 2
OVERRIDE_REASON_MIN_CHARS = 10
# A TextField's max_length is not checked by full_clean: the service checks it, for every caller.
OVERRIDE_REASON_MAX_CHARS = OverrideRequest._meta.get_field("reason").max_length


def _require_fallback(beneficiary: Beneficiary, *, on: date) -> None:
    if not fallback_allowed(beneficiary, month=first_of_month(on), on=on):
        raise ValidationError(_("Try the face check first: the other ways are for when it does not work."))


# --- nominee ----------------------------------------------------------------------------------------


@transaction.atomic
def nominee_add(*, actor, beneficiary: Beneficiary, person: Beneficiary, on: date | None = None) -> Nominee:
    """An adult of the household who may collect the ration (after her own face match)."""
    on = on or today()
    if person.pk not in {p.pk for p in household_adults(beneficiary, on)}:
        raise ValidationError({"person": _("A nominee is an adult of the same household, still registered.")})
    if Nominee.objects.filter(beneficiary=beneficiary, person=person).exists():
        raise ValidationError({"person": _("%(name)s is already a nominee.") % {"name": person.name}})
    if Nominee.objects.filter(beneficiary=beneficiary).count() >= MAX_NOMINEES:
        raise ValidationError({"person": _("A beneficiary can have at most %(n)s nominees.") % {"n": MAX_NOMINEES}})
    nominee = Nominee.objects.create(beneficiary=beneficiary, person=person, added_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=nominee, awc_id=beneficiary.awc_id,
                 fields=["beneficiary", "person"])
    return nominee


@transaction.atomic
def nominee_remove(*, actor, nominee: Nominee) -> None:
    awc_id, pk = nominee.beneficiary.awc_id, nominee.pk
    nominee.delete()
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, object_type="thr_frs.nominee", object_id=pk,
                 awc_id=awc_id, fields=["person"])


# --- one-time code ----------------------------------------------------------------------------------


def _code_hash(salt: str, code: str) -> str:
    return blind_index(f"{salt}:{code}", purpose="thr-otp")


@transaction.atomic
def otp_send(*, actor, beneficiary: Beneficiary, on: date | None = None) -> OtpChallenge:
    """Send a 6-digit code to the family's registered mobile (any earlier live code stops working)."""
    on = on or today()
    handover_precheck(beneficiary, on=on)
    _require_fallback(beneficiary, on=on)
    mobile = beneficiary.household.mobile
    if not mobile:
        raise ValidationError(_("No mobile number is registered for this family: ask the nominee to come, or "
                                "request a supervisor override."))
    if not has_consent(beneficiary, Consent.Purpose.SMS):
        raise ValidationError(_("The family has not agreed to one-time codes by SMS: ask the nominee to come, or "
                                "request a supervisor override."))
    now = timezone.now()
    month = first_of_month(on)
    OtpChallenge.objects.filter(beneficiary=beneficiary, month=month, verified_at__isnull=True,
                                expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10 ** OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(16)
    challenge = OtpChallenge.objects.create(
        beneficiary=beneficiary, awc_id=beneficiary.awc_id, month=month, salt=salt, code_hash=_code_hash(salt, code),
        sent_to=mask_mobile(mobile), expires_at=now + OTP_VALID, requested_by=actor,
    )
    text = _("Poshan THR code: %(code)s. Tell it only to your Anganwadi worker at the centre. Valid %(minutes)s "
             "minutes.") % {"code": code, "minutes": int(OTP_VALID.total_seconds() // 60)}
    transaction.on_commit(lambda: send_sms(mobile, text))
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=challenge, awc_id=beneficiary.awc_id,
                 fields=["sent_to", "expires_at"])
    return challenge


def otp_verify(*, actor, challenge: OtpChallenge, code: str, quantity: int | None = None, client_uuid=None,
               on: date | None = None) -> ThrDistribution:
    """Check the code the family read out; a right code records the hand-over (verified by OTP)."""
    error = None
    with transaction.atomic():
        challenge = OtpChallenge.objects.select_for_update().select_related("beneficiary__awc").get(pk=challenge.pk)
        if challenge.verified_at is not None:
            done = ThrDistribution.objects.filter(otp=challenge).first()
            if done is not None:
                return done
        now = timezone.now()
        if challenge.expires_at <= now:
            error = _("This code has expired. Send a new code.")
        elif challenge.attempts >= OTP_MAX_ATTEMPTS:
            error = _("Too many wrong codes. Send a new code.")
        elif not hmac.compare_digest(challenge.code_hash, _code_hash(challenge.salt, (code or "").strip())):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            left = OTP_MAX_ATTEMPTS - challenge.attempts
            error = (_("The code is wrong. %(n)s tries left.") % {"n": left} if left
                     else _("Too many wrong codes. Send a new code."))
            audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=challenge, awc_id=challenge.awc_id,
                         fields=["attempts"])
        else:
            challenge.verified_at = now
            challenge.save(update_fields=["verified_at"])
            distribution = thr_distribute(actor=actor, beneficiary=challenge.beneficiary, quantity=quantity,
                                          verified_by=Verification.OTP, otp=challenge, client_uuid=client_uuid,
                                          on=on)
            gallery.near_miss_confirm(actor=actor, beneficiary=challenge.beneficiary, month=challenge.month)
            audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=challenge, awc_id=challenge.awc_id,
                         fields=["verified_at"])
            return distribution
    raise ValidationError({"code": error})


# --- supervisor override ----------------------------------------------------------------------------


@transaction.atomic
def override_request(*, actor, beneficiary: Beneficiary, reason: str, quantity: int | None = None,
                     on: date | None = None, client_uuid=None) -> OverrideRequest:
    """Ask the supervisor to let this month's ration go without a face match, giving the reason."""
    on = on or today()

    def create() -> OverrideRequest:
        packets = handover_precheck(beneficiary, on=on, quantity=quantity)
        _require_fallback(beneficiary, on=on)
        text = (reason or "").strip()
        if len(text) < OVERRIDE_REASON_MIN_CHARS:
            raise ValidationError({"reason": _("Write in a few words why the ration must go without a face match.")})
        if len(text) > OVERRIDE_REASON_MAX_CHARS:
            raise ValidationError({"reason": _("Keep the reason under %(n)s characters.")
                                   % {"n": OVERRIDE_REASON_MAX_CHARS}})
        month = first_of_month(on)
        existing = OverrideRequest.objects.filter(beneficiary=beneficiary, month=month).exclude(
            status=OverrideRequest.Status.REJECTED).first()
        if existing is not None:
            raise ValidationError(_("An override for this month is already %(status)s.")
                                  % {"status": existing.get_status_display().lower()})
        override = OverrideRequest(beneficiary=beneficiary, awc_id=beneficiary.awc_id, month=month, quantity=packets,
                                   reason=text, requested_by=actor, client_uuid=client_uuid)
        override.full_clean(exclude=["beneficiary", "awc", "requested_by"])
        override.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=override, awc_id=beneficiary.awc_id,
                     fields=["reason", "quantity"])
        return override

    override, _created = create_once(OverrideRequest, client_uuid=client_uuid, scope={"beneficiary": beneficiary},
                                     create=create)
    return override


@transaction.atomic
def override_decide(*, actor, override: OverrideRequest, approve: bool, note: str = "") -> OverrideRequest:
    """The supervisor approves or rejects; a rejection needs a note for the worker."""
    override = OverrideRequest.objects.select_for_update().get(pk=override.pk)
    if override.status != OverrideRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Write why the request is rejected, so the worker knows what to do.")})
    override.status = OverrideRequest.Status.APPROVED if approve else OverrideRequest.Status.REJECTED
    override.decided_by, override.decided_at, override.decision_note = actor, timezone.now(), note[:300]
    override.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=override, awc_id=override.awc_id,
                 fields=["status"] + (["decision_note"] if note else []))
    return override


@transaction.atomic
def override_handover(*, actor, override: OverrideRequest, client_uuid=None, on: date | None = None
                      ) -> ThrDistribution:
    """Hand over under an approved override (verified by override)."""
    on = on or today()
    override = OverrideRequest.objects.select_for_update().select_related("beneficiary__awc").get(pk=override.pk)
    done = ThrDistribution.objects.filter(override=override).first()
    if done is not None:
        return done
    if override.status != OverrideRequest.Status.APPROVED:
        raise ValidationError(_("The supervisor has not approved this request."))
    if override.month != first_of_month(on):
        raise ValidationError(_("This approval was for another month."))
    return thr_distribute(actor=actor, beneficiary=override.beneficiary, quantity=override.quantity,
                          verified_by=Verification.OVERRIDE, override=override, client_uuid=client_uuid, on=on)
