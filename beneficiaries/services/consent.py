"""Consent: what a person agreed their data is kept for, given at registration or later, and withdrawn."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.idempotency import insert_unread
from poshan.core.models import AuditEvent

from ..models import Beneficiary, Consent, Household


Purpose = Consent.Purpose


# Without consent only name, sex and age are kept; these need the purpose named.
NEEDS_SERVICES_CONSENT = ("hamlet", "address", "mobile", "disability")


AADHAAR_PURPOSE = "aadhaar"


@dataclass(frozen=True)
class ConsentInput:
    given_by: str
    relation: str = "self"
    purposes: tuple[str, ...] = (Purpose.SERVICES,)


def _check_consent(consent: ConsentInput | None, *, values: dict[str, object], aadhaar: str) -> None:
    purposes = set(consent.purposes) if consent else set()
    errors = {}
    if Purpose.SERVICES not in purposes:
        for name in NEEDS_SERVICES_CONSENT:
            if values.get(name):
                errors[name] = _("Record the family's consent before saving this.")
    if aadhaar and AADHAAR_PURPOSE not in purposes:
        errors["aadhaar"] = _("Record consent for the Aadhaar number before saving it.")
    if consent is not None and not consent.given_by.strip():
        errors["consent_given_by"] = _("Write who gave the consent.")
    if errors:
        raise ValidationError(errors)


def _consent_row(*, actor, beneficiary: Beneficiary, consent: ConsentInput) -> Consent:
    return Consent(beneficiary=beneficiary, given_by=consent.given_by.strip(), relation=consent.relation,
                   purposes=sorted(set(consent.purposes)), recorded_by=actor)


def _consent_save(*, actor, beneficiary: Beneficiary, consent: ConsentInput | None) -> None:
    if consent is not None:
        insert_unread(_consent_row(actor=actor, beneficiary=beneficiary, consent=consent), prepared_as="consent_give")


@transaction.atomic
def consent_record(*, actor, beneficiary: Beneficiary, consent: ConsentInput) -> None:
    """Consent given after registration (e.g. for the face check before THR enrolment)."""
    if beneficiary.exited_on:
        raise ValidationError(_("This person has left the programme."))
    if not consent.given_by.strip():
        raise ValidationError({"consent_given_by": _("Write who gave the consent.")})
    _consent_save(actor=actor, beneficiary=beneficiary, consent=consent)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=["consent"])


def _erase_family_mobile(*, actor, beneficiary: Beneficiary) -> bool:
    """The family's mobile is kept under 'services' consent: erased once no member still in the programme
    holds it. Returns whether it was erased."""
    household = Household.objects.select_for_update().get(pk=beneficiary.household_id)
    if not household.mobile:
        return False
    still = Consent.objects.filter(beneficiary__household=household, beneficiary__exited_on__isnull=True,
                                   withdrawn_at__isnull=True).exclude(beneficiary=beneficiary)
    if any(Purpose.SERVICES in consent.purposes for consent in still):
        return False
    household.mobile, household.mobile_index = "", ""
    household.save(update_fields=["mobile", "mobile_index"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=household, awc_id=household.awc_id,
                 fields=["mobile"])
    return True


@transaction.atomic
def consent_withdraw(*, actor, beneficiary: Beneficiary, purposes: tuple[str, ...]) -> None:
    """Withdraw purposes: data kept only under a withdrawn purpose is erased (Aadhaar, mobile)."""
    now = timezone.now()
    kept: set[str] = set()
    for consent in beneficiary.consents.filter(withdrawn_at__isnull=True):
        remaining = [p for p in consent.purposes if p not in purposes]
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        if remaining:
            Consent.objects.create(beneficiary=beneficiary, given_by=consent.given_by, relation=consent.relation,
                                   purposes=remaining, recorded_by=actor)
            kept.update(remaining)
    erased = []
    if AADHAAR_PURPOSE not in kept and beneficiary.aadhaar_index:
        beneficiary.aadhaar, beneficiary.aadhaar_index = "", None
        beneficiary.save(update_fields=["aadhaar", "aadhaar_index"])
        erased.append("aadhaar")
    if Purpose.SERVICES not in kept and _erase_family_mobile(actor=actor, beneficiary=beneficiary):
        erased.append("mobile")
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=["consent_withdrawn", *erased])
