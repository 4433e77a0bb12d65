"""Pregnancy and delivery: a pregnancy registered by its LMP, closed by the delivery and its newborns."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent

from .. import lifestage
from ..models import AwcMembership, Beneficiary, Consent, Pregnancy
from .consent import AADHAAR_PURPOSE


def check_lmp(lmp: date | None, today: date) -> None:
    if lmp is None:
        raise ValidationError({"lmp": _("Give the date of the last menstrual period (LMP).")})
    if lmp > today:
        raise ValidationError({"lmp": _("The LMP cannot be in the future.")})
    if (today - lmp).days > lifestage.MAX_LMP_AGE_DAYS:
        raise ValidationError({"lmp": _("This LMP is more than %(days)s days ago: if the baby is born, "
                                        "record the delivery instead.") % {"days": lifestage.MAX_LMP_AGE_DAYS}})


@transaction.atomic
def pregnancy_register(*, actor, woman: Beneficiary, lmp: date, client_uuid=None) -> Pregnancy:
    today = timezone.localdate()

    def create() -> Pregnancy:
        if woman.sex != Beneficiary.Sex.FEMALE:
            raise ValidationError({"lmp": _("Only women can be registered as pregnant.")})
        check_lmp(lmp, today)
        if Pregnancy.objects.filter(woman=woman, delivery_date__isnull=True).exists():
            raise ValidationError({"lmp": _("She already has an ongoing pregnancy: record its delivery first.")})
        last = woman.pregnancies.filter(delivery_date__isnull=False).order_by("-delivery_date").first()
        if last is not None and lmp <= last.delivery_date:
            raise ValidationError({"lmp": _("The LMP must be after her last delivery (%(d)s).")
                                   % {"d": last.delivery_date.isoformat()}})
        pregnancy = Pregnancy.objects.create(woman=woman, lmp=lmp, edd=lifestage.edd(lmp), client_uuid=client_uuid)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=pregnancy, awc_id=woman.awc_id,
                     fields=["lmp", "edd"])
        return pregnancy

    pregnancy, _created = create_once(Pregnancy, client_uuid=client_uuid, scope={"woman": woman}, create=create)
    return pregnancy


@dataclass(frozen=True)
class NewbornInput:
    name: str
    sex: str
    birth_weight_kg: Decimal | None


@transaction.atomic
def delivery_record(*, actor, pregnancy: Pregnancy, delivery_date: date, outcome: str,
                    newborns: list[NewbornInput] = ()) -> list[Beneficiary]:
    """Close the pregnancy: the mother becomes lactating and each live-born child is registered."""
    pregnancy = Pregnancy.objects.select_for_update().select_related("woman__household").get(pk=pregnancy.pk)
    if pregnancy.delivery_date is not None:
        raise ValidationError(_("This delivery is already recorded."))
    today = timezone.localdate()
    if delivery_date > today:
        raise ValidationError({"delivery_date": _("The delivery date cannot be in the future.")})
    if pregnancy.lmp and delivery_date < pregnancy.lmp:
        raise ValidationError({"delivery_date": _("The delivery cannot be before the LMP (%(d)s).")
                               % {"d": pregnancy.lmp.isoformat()}})
    if outcome == Pregnancy.Outcome.LIVE_BIRTH and not newborns:
        raise ValidationError({"child_name": _("Give the newborn's name (or 'Baby of' and the mother's name).")})
    if outcome == Pregnancy.Outcome.LIVE_BIRTH and any(b.sex not in Beneficiary.Sex.values for b in newborns):
        raise ValidationError({"child_sex": _("Choose the baby's sex.")})
    pregnancy.delivery_date, pregnancy.outcome = delivery_date, outcome
    pregnancy.full_clean()
    pregnancy.save(update_fields=["delivery_date", "outcome"])
    mother = pregnancy.woman
    children = []
    mother_consent = mother.consents.filter(withdrawn_at__isnull=True).order_by("-given_at").first()
    for baby in newborns if outcome == Pregnancy.Outcome.LIVE_BIRTH else ():
        child = Beneficiary(awc=mother.awc, household=mother.household, name=baby.name.strip(), sex=baby.sex,
                            dob=delivery_date, mother=mother, birth_weight_kg=baby.birth_weight_kg,
                            relation_to_head=Beneficiary.Relation.GRANDCHILD
                            if mother.relation_to_head == Beneficiary.Relation.DAUGHTER_IN_LAW
                            else Beneficiary.Relation.OTHER)
        child.full_clean(exclude=["aadhaar_index", "household", "awc", "mother"])
        child.save()
        AwcMembership.objects.create(beneficiary=child, awc=mother.awc, start=delivery_date)
        if mother_consent is not None:
            Consent.objects.create(beneficiary=child, given_by=mother.name, relation="mother",
                                   purposes=[p for p in mother_consent.purposes if p != AADHAAR_PURPOSE],
                                   recorded_by=actor)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=child, awc_id=mother.awc_id,
                     fields=["name", "sex", "dob", "mother", "birth_weight_kg"])
        children.append(child)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=pregnancy, awc_id=mother.awc_id,
                 fields=["delivery_date", "outcome"])
    return children
