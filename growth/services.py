"""Every write of growth monitoring made by people: recording a measurement, closing a follow-up.

(The nightly flagging job writes statuses and follow-ups: growth/flagging/jobs.py.)
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries import lifestage
from beneficiaries.models import Beneficiary
from beneficiaries.services import mark_weighed
from poshan.core import prepared
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once_claiming
from poshan.core.models import AuditEvent

from .cases.record import case_context_ahead, case_context_from, measurement_recorded
from .models import LENHEI_CM_RANGE, MUAC_CM_RANGE, WEIGHT_KG_RANGE, FollowUp, Measurement
from .nutrition import assess_one

WEIGHT_STEP_KG = Decimal("0.05")
LENHEI_STEP_CM = Decimal("0.1")
MUAC_STEP_CM = Decimal("0.1")
MUAC_FROM_DAYS = lifestage.SIX_MONTHS_DAYS  # 183 days: the engine's 6.0 months (182.6 days) rounded up
NOTE_CHARS = 300


def _today() -> date:
    return timezone.localdate()


def _fmt(value: Decimal | float) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value.normalize():f}"


def _check_step(value: Decimal, step: Decimal) -> bool:
    return value % step == 0


def _decimal(value) -> Decimal | None:
    """Decimal from a form, a serializer or a test (floats through their shortest text)."""
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _check_date(child: Beneficiary, on: date, today: date) -> None:
    if on > today:
        raise ValidationError({"date": _("The date of the measurement cannot be in the future.")})
    if on < child.dob:
        raise ValidationError({"date": _("The date is before the child was born (%(dob)s).")
                               % {"dob": child.dob.isoformat()}})
    if lifestage.child_band(child.dob, on) is None:
        raise ValidationError({"date": _("Growth is monitored until the 6th birthday; on this date the child "
                                         "was %(age)s years old.") % {"age": lifestage.age_in_years(child.dob, on)}})
    if child.exited_on is not None and child.exited_on <= on:
        raise ValidationError({"date": _("This child left the programme on %(d)s.")
                               % {"d": child.exited_on.isoformat()}})


def _check_values(*, age_days: int, weight_kg: Decimal | None, lenhei_cm: Decimal | None, measure: str,
                  muac_cm: Decimal | None) -> None:
    errors: dict[str, str] = {}
    low, high = WEIGHT_KG_RANGE
    if weight_kg is None:
        errors["weight_kg"] = _("Give the weight in kg.")
    elif not low <= weight_kg <= high:
        errors["weight_kg"] = _("A weight of %(w)s kg is not possible for a child (%(low)s–%(high)s kg): check the "
                                "scale and the decimal point.") % {"w": _fmt(weight_kg), "low": low, "high": high}
    elif not _check_step(weight_kg, WEIGHT_STEP_KG):
        errors["weight_kg"] = _("Read the weight to the nearest 0.05 kg (for example 7.25 or 7.30).")
    if lenhei_cm is not None:
        low, high = LENHEI_CM_RANGE
        if not low <= lenhei_cm <= high:
            errors["lenhei_cm"] = _("A length or height of %(h)s cm is not possible for a child (%(low)s–%(high)s "
                                    "cm): check the board.") % {"h": _fmt(lenhei_cm), "low": low, "high": high}
        elif not _check_step(lenhei_cm, LENHEI_STEP_CM):
            errors["lenhei_cm"] = _("Read the length or height to the nearest 0.1 cm.")
        if measure not in (Measurement.Measure.LYING, Measurement.Measure.STANDING):
            errors["measure"] = _("Say whether the child was measured lying down or standing.")
    if muac_cm is not None:
        low, high = MUAC_CM_RANGE
        if age_days < MUAC_FROM_DAYS:
            errors["muac_cm"] = _("MUAC is measured from 6 months of age; this child is younger. Leave it empty.")
        elif not low <= muac_cm <= high:
            errors["muac_cm"] = _("A MUAC of %(m)s cm is not possible (%(low)s–%(high)s cm): check the tape.") % {
                "m": _fmt(muac_cm), "low": low, "high": high}
        elif not _check_step(muac_cm, MUAC_STEP_CM):
            errors["muac_cm"] = _("Read the MUAC to the nearest 0.1 cm.")
    if errors:
        raise ValidationError(errors)


def _clear_followups(measurement: Measurement) -> None:
    """A new measurement answers 'not weighed this month' and, if plausible, 're-measure' (of its month or
    before): one prepared UPDATE on the hot write path, sent with the transaction's next statement or its COMMIT
    (nobody reads its result: poshan.core.prepared, `defer`)."""
    connection = connections[router.db_for_write(FollowUp)]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(FollowUp._meta.db_table)} SET resolution = %s, resolved_at = %s "
           f"WHERE child_id = %s AND resolved_at IS NULL "
           f"AND ((reason = %s AND month = %s) OR (%s AND reason = %s AND month <= %s))")
    on = measurement.date
    params = (FollowUp.Resolution.AUTO.value, connection.ops.adapt_datetimefield_value(timezone.now()),
              measurement.child_id, FollowUp.Reason.NOT_WEIGHED.value,
              connection.ops.adapt_datefield_value(on.replace(day=1)), not measurement.is_implausible,
              FollowUp.Reason.REMEASURE.value, connection.ops.adapt_datefield_value(on))
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name="growth_followups_answered", sql=sql, params=params,
                         types=("text", "timestamptz", "bigint", "text", "date", "boolean", "text", "date"), defer=True)


def measurement_record(*, actor, child: Beneficiary, date: date, weight_kg: Decimal,
                       lenhei_cm: Decimal | None = None, measure: str = "", muac_cm: Decimal | None = None,
                       oedema: bool = False, client_uuid=None,
                       case_details: dict | None = None) -> tuple[Measurement, bool]:
    """Record and score one measurement; returns (measurement, created).

    Impossible values are refused; possible but implausible ones (|z| beyond WHO's flags)
    are saved with `is_implausible` so the worker is asked to measure again.
    A replayed client_uuid returns the first measurement unchanged. One transaction (create_once_claiming's).
    Every new measurement opens a malnutrition case when it calls for one, or is the follow-up of the child's
    open case (growth.cases.record.measurement_recorded; ``case_details`` come from the follow-up form).
    """

    weight_kg, lenhei_cm, muac_cm = _decimal(weight_kg), _decimal(lenhei_cm), _decimal(muac_cm)
    if lenhei_cm is None:
        # "How measured" qualifies a length: without one it says nothing and is dropped, not refused. The page ticks
        # it for the child's age before anything is typed, and a browser cannot untick a radio button, so a weight
        # alone (the monthly weighing) came back refused, from the page and from the phone's queue alike.
        measure = ""

    def create(claim) -> Measurement:
        _check_date(child, date, _today())
        age_days = (date - child.dob).days
        _check_values(age_days=age_days, weight_kg=weight_kg, lenhei_cm=lenhei_cm, measure=measure, muac_cm=muac_cm)
        scores = assess_one(sex=child.sex, age_days=age_days, weight_kg=weight_kg, lenhei_cm=lenhei_cm,
                            measure=measure, oedema=oedema, muac_cm=muac_cm)
        measurement = Measurement(
            child=child, awc_id=child.awc_id, district_id=child.awc.district_id, client_uuid=client_uuid,
            date=date, weight_kg=weight_kg, lenhei_cm=lenhei_cm, measure=measure, muac_cm=muac_cm,
            oedema=oedema, recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            clenhei_cm=scores["clenhei"], waz=scores["waz"], haz=scores["haz"], whz=scores["whz"],
            baz=scores["baz"], acz=scores["acz"], flags=scores["flags"], underweight=scores["underweight"],
            stunting=scores["stunting"], wasting=scores["wasting"], acute=scores["acute"],
            is_implausible=scores["is_implausible"],
        )
        # The fields' own validation only: the table's check constraints are the ranges and choices
        # _check_values has just refused with its messages (and PostgreSQL still enforces them), and the client
        # id's uniqueness is the claim's; validating them again cost 13 statements (a SELECT per constraint, each
        # in a savepoint, and a SELECT for the id) of a measurement's 26.
        measurement.full_clean(exclude=["child", "awc", "district", "recorded_by"], validate_unique=False,
                               validate_constraints=False)
        # On PostgreSQL the claim's INSERT also brings back what the case rules need, read in its message (one round
        # trip fewer than a read of its own); elsewhere measurement_recorded reads it.
        ahead = case_context_ahead(state_id=child.awc.state_id, child_id=child.pk, on=date) if client_uuid else None
        kept = claim(measurement, ahead)
        mark_weighed(beneficiary_id=child.pk, on=date)
        _clear_followups(measurement)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=measurement, awc_id=child.awc_id,
                     fields=[name for name in ("date", "weight_kg", "lenhei_cm", "measure", "muac_cm", "oedema")
                             if getattr(measurement, name) not in (None, "")])
        measurement_recorded(actor=actor, measurement=measurement, details=case_details,
                             context=case_context_from(kept[0]) if kept else None)
        return measurement

    return create_once_claiming(Measurement, client_uuid=client_uuid, scope={"child": child}, create=create,
                                replay=lambda first: first, partitioned_on="date",
                                prepared_as="growth_measurement_claim")


@transaction.atomic
def followup_resolve(*, actor, followup: FollowUp, note: str = "") -> FollowUp:
    """The supervisor (or the AWW) has followed the child up; what was done goes in the note."""
    note = note.strip()
    if len(note) > NOTE_CHARS:  # refused with a message, never cut short
        raise ValidationError({"note": _("Keep the note under %(n)s characters.") % {"n": NOTE_CHARS}})
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.resolved_at is not None:
        return followup
    followup.resolution = FollowUp.Resolution.FOLLOWED_UP
    followup.resolved_at = timezone.now()
    followup.resolved_by = actor
    followup.note = note
    followup.full_clean(exclude=["child", "awc", "measurement", "resolved_by"])
    followup.save(update_fields=["resolution", "resolved_at", "resolved_by", "note"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=followup, awc_id=followup.awc_id,
                 fields=["resolution", "note"] if followup.note else ["resolution"])
    return followup
