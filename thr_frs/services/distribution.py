"""Stock received and the monthly hand-over (one per beneficiary per month, never beyond the stock)."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from beneficiaries.models import Beneficiary
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent
from poshan.core.roles import Level

from ..entitlement import first_of_month
from ..models import MATCH_FAILED, FaceCheck, ThrDistribution, ThrStockEntry, Verification
from ..selectors import entitled_packets, stock_balance

MAX_PACKETS_PER_ENTRY = 100_000


def today() -> date:
    return timezone.localdate()


@transaction.atomic
def stock_receive(*, actor, awc: Location, received_on: date, packets: int, note: str = "",
                  client_uuid=None) -> ThrStockEntry:
    """Record THR packets received at a centre."""
    if awc.level != Level.AWC:
        raise ValidationError(_("Stock is recorded for an Anganwadi centre."))

    def create() -> ThrStockEntry:
        if received_on > today():
            raise ValidationError({"received_on": _("The date cannot be in the future.")})
        if not 0 < packets <= MAX_PACKETS_PER_ENTRY:
            raise ValidationError({"packets": _("Give the number of packets received (1 to %(max)s).")
                                   % {"max": MAX_PACKETS_PER_ENTRY}})
        entry = ThrStockEntry(awc=awc, received_on=received_on, packets=packets, note=note.strip(),
                              recorded_by=actor, client_uuid=client_uuid)
        entry.full_clean()
        entry.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=entry, awc_id=awc.pk,
                     fields=["received_on", "packets"] + (["note"] if entry.note else []))
        return entry

    entry, _created = create_once(ThrStockEntry, client_uuid=client_uuid, scope={"awc": awc}, create=create)
    return entry


def handover_precheck(beneficiary: Beneficiary, *, on: date, quantity: int | None = None) -> int:
    """Refuse a hand-over that cannot happen, with the reason; return the packets to hand over."""
    entitled = entitled_packets(beneficiary, on)
    if not entitled:
        raise ValidationError(_("%(name)s is not entitled to take-home ration this month.")
                              % {"name": beneficiary.name})
    done = ThrDistribution.objects.filter(beneficiary=beneficiary, month=first_of_month(on)).first()
    if done is not None:
        raise ValidationError(_("%(name)s has already received this month's ration (%(day)s).")
                              % {"name": beneficiary.name,
                                 "day": timezone.localtime(done.handed_over_at).date().isoformat()})
    quantity = entitled if quantity is None else quantity
    if not 0 < quantity <= entitled:
        raise ValidationError({"quantity": _("Hand over 1 to %(n)s packets (the entitlement this month).")
                               % {"n": entitled}})
    balance = stock_balance(beneficiary.awc_id)
    if quantity > balance:
        raise ValidationError({"quantity": _(
            "Only %(n)s packets are left in this centre's stock. Record the THR stock received before "
            "handing over.") % {"n": max(balance, 0)}})
    return quantity


def failed_matches(beneficiary: Beneficiary, month: date) -> int:
    return FaceCheck.objects.filter(MATCH_FAILED, beneficiary=beneficiary, month=month).count()


@transaction.atomic
def thr_distribute(*, actor, beneficiary: Beneficiary, verified_by: str, quantity: int | None = None,
                   on: date | None = None, face_check: FaceCheck | None = None, nominee: Beneficiary | None = None,
                   otp=None, override=None, client_uuid=None) -> ThrDistribution:
    """Record the hand-over of this month's ration and how it was verified (stock permitting)."""
    on = on or today()
    if verified_by not in Verification.values:
        raise ValidationError(_("Unknown verification."))

    def create() -> ThrDistribution:
        # One writer per centre at a time, so two hand-overs cannot both spend the last packets.
        list(Location.objects.select_for_update().filter(pk=beneficiary.awc_id).values_list("pk"))
        packets = handover_precheck(beneficiary, on=on, quantity=quantity)
        month = first_of_month(on)
        distribution = ThrDistribution(
            beneficiary=beneficiary, awc_id=beneficiary.awc_id, month=month, quantity=packets,
            handed_over_by=actor, verified_by=verified_by, face_check=face_check, nominee=nominee, otp=otp,
            override=override, failed_matches=failed_matches(beneficiary, month), client_uuid=client_uuid,
        )
        # The constraints (one per month, evidence, quantity) are checked above and enforced by the database;
        # validating them here again would cost a savepoint and a query each, inside the face worker's task.
        distribution.full_clean(exclude=["beneficiary", "awc", "handed_over_by", "face_check", "otp", "override"],
                                validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                distribution.save()
        except IntegrityError:
            if not ThrDistribution.objects.filter(beneficiary=beneficiary, month=month).exists():
                raise
            raise ValidationError(_("%(name)s has already received this month's ration.")
                                  % {"name": beneficiary.name}) from None
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=distribution, awc_id=beneficiary.awc_id,
                     fields=["quantity", "verified_by", "failed_matches"]
                     + [name for name in ("face_check", "nominee", "otp", "override") if getattr(distribution, name)])
        return distribution

    distribution, _created = create_once(ThrDistribution, client_uuid=client_uuid,
                                         scope={"beneficiary": beneficiary}, create=create,
                                         partitioned_on="month")
    return distribution
