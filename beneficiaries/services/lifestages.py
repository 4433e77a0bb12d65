"""The nightly life-stage changes, one district at a time (lifestage_rules.py says what changes), and a
supervisor reversing one.

Each change is one LifeStageChange row (unique per person, kind and date: a re-run writes nothing), audited as
done by the system; a child reaching 6 also leaves the programme (exits.beneficiaries_exit_aged_out). Reaching
6 follows from the date of birth and is corrected there, never reversed; the other changes a supervisor of the
person's area may reverse with a written reason (audited).
"""
from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from .. import lifestage
from .. import lifestage_rules as rules
from ..models import Beneficiary, LifeStageChange, Pregnancy
from ..selectors import scoped_beneficiaries
from .exits import (
    UNDO_PERMISSION,
    UNDO_REASON_MAX,
    beneficiaries_exit_aged_out,
    beneficiary_exit_undo,
)

LACTATION_WINDOW_DAYS = lifestage.LACTATION_DAYS + rules.CATCH_UP_DAYS + 1


def life_stage_districts(on: date) -> list[int | None]:
    """The chunks of a night: one per district with people still in the programme (None: centres without one)."""
    present = Q(exited_on__isnull=True) | Q(exit_reason=Beneficiary.ExitReason.AGED_OUT)
    return sorted(set(Beneficiary.objects.filter(present).values_list("awc__district_id", flat=True).distinct()),
                  key=lambda d: (d is None, d or 0))


def _candidates(district_id: int | None, on: date):
    yb = lifestage.years_before
    in_district = Q(awc__district_id=district_id) if district_id is not None else Q(awc__district_id__isnull=True)
    pregnant_or_mother = Exists(Pregnancy.objects.filter(woman=OuterRef("pk")).filter(
        Q(delivery_date__isnull=True) | Q(delivery_date__gt=on - timedelta(days=LACTATION_WINDOW_DAYS))))
    until = lifestage.ADOLESCENT_UNTIL
    dates = (
        # children past 6 not yet out (those who left already are not read again every night for four years)
        Q(dob__lte=yb(on, lifestage.CHILD_EXIT_YEARS), dob__gt=yb(on, rules.AGE_OUT_UPPER_YEARS),
          exited_on__isnull=True)
        | Q(sex="F", dob__lte=yb(on, until), dob__gt=yb(on - timedelta(days=rules.CATCH_UP_DAYS + 1), until))
        | Q(pregnant_or_mother)
    )
    present = Q(exited_on__isnull=True) | Q(exit_reason=Beneficiary.ExitReason.AGED_OUT)
    return Beneficiary.objects.filter(in_district, present, dates)


def _facts(district_id: int | None, on: date) -> tuple[list[rules.PersonFacts], dict[int, int]]:
    rows = list(_candidates(district_id, on).values_list(
        "pk", "dob", "sex", "awc_id", "awc__is_aspirational", "awc__is_north_east", "exit_reason"))
    ids = [row[0] for row in rows]
    ongoing: dict[int, tuple] = {}
    delivered: dict[int, date] = {}
    for woman, lmp, edd, delivery in (Pregnancy.objects.filter(woman_id__in=ids)
                                      .values_list("woman_id", "lmp", "edd", "delivery_date")):
        if delivery is None:
            ongoing[woman] = (lmp, edd)
        elif delivery > delivered.get(woman, date.min):
            delivered[woman] = delivery
    people = []
    for pk, dob, sex, _awc, aspirational, north_east, exit_reason in rows:
        lmp, edd = ongoing.get(pk, (None, None))
        people.append(rules.PersonFacts(
            id=pk, dob=dob, sex=sex, awc_eligible=aspirational or north_east,
            aged_out=exit_reason == Beneficiary.ExitReason.AGED_OUT, ongoing_lmp=lmp, ongoing_edd=edd,
            last_delivery=delivered.get(pk)))
    return people, {row[0]: row[3] for row in rows}


@transaction.atomic
def life_stage_district(*, district_id: int | None, on: date) -> dict[str, int]:
    """Record the night's life-stage changes of one district; returns how many of each kind are new."""
    people, awc_of = _facts(district_id, on)
    found = rules.evaluate(people, on)
    counts = dict.fromkeys(rules.KINDS, 0)
    if not found:
        return counts
    known = set(LifeStageChange.objects.filter(beneficiary_id__in={c.person_id for c in found})
                .values_list("beneficiary_id", "kind", "effective_on"))
    new = [c for c in found if (c.person_id, c.kind, c.effective_on) not in known]
    if not new:
        return counts
    LifeStageChange.objects.bulk_create(
        [LifeStageChange(beneficiary_id=c.person_id, awc_id=awc_of[c.person_id], kind=c.kind,
                         effective_on=c.effective_on, run_on=on) for c in new],
        ignore_conflicts=True,
    )
    aged_out = [c.person_id for c in new if c.kind == rules.AGED_OUT]
    if aged_out:
        beneficiaries_exit_aged_out(on=on, ids=aged_out)
    for change in new:
        counts[change.kind] += 1
        audit_record(actor=None, action=AuditEvent.Action.CREATE, object_type="beneficiaries.lifestagechange",
                     object_id=f"{change.person_id}:{change.kind}:{change.effective_on.isoformat()}",
                     awc_id=awc_of[change.person_id], fields=["kind", "effective_on"])
    return counts


def can_undo_life_stage_change(user, change: LifeStageChange) -> bool:
    return (change.kind != LifeStageChange.Kind.AGED_OUT and change.undone_at is None
            and user.has_perm(UNDO_PERMISSION)
            and scoped_beneficiaries(user).filter(pk=change.beneficiary_id).exists())


@transaction.atomic
def life_stage_change_undo(*, actor, change: LifeStageChange, reason: str) -> LifeStageChange:
    """A supervisor reverses a night's change (reaching 6 is refused, as for the exit it made)."""
    if change.kind == LifeStageChange.Kind.AGED_OUT:
        beneficiary_exit_undo(actor=actor, beneficiary=change.beneficiary, reason=reason)  # refuses with its reason
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the change is being reversed.")})
    if len(reason) > UNDO_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": UNDO_REASON_MAX}})
    row = LifeStageChange.objects.select_for_update().get(pk=change.pk)
    if row.undone_at is not None:
        raise ValidationError(_("This change has already been reversed."))
    if not can_undo_life_stage_change(actor, row):
        raise ValidationError(_("Only the supervisor of this person's area can reverse this change."))
    row.undone_at, row.undone_by, row.undo_reason = timezone.now(), actor, reason
    row.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=row, awc_id=row.awc_id,
                 fields=["undone_at", "undone_by", "undo_reason"])
    return row
