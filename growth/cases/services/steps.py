"""The steps a worker or supervisor records on a case, each one event in one transaction with its audit entry."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from growth.services import measurement_record
from poshan.core.idempotency import create_once

from .. import rules
from ..models import Case, CaseEvent
from ..record import TEXT_CHARS, _after, _event, _today, case_state, rules_for

# --- the steps a person records --------------------------------------------------------------------------

def _locked(case: Case) -> tuple[Case, rules.CaseState]:
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    return case, case_state(case)


def _check_date(case: Case, on: date) -> None:
    if on > _today():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if on < case.opened_on:
        raise ValidationError({"date": _("The date is before the case was opened (%(d)s).")
                               % {"d": case.opened_on.isoformat()}})


def _check_open(state: rules.CaseState) -> None:
    if not state.is_open:
        raise ValidationError(_("This case is closed."))


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > TEXT_CHARS:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": TEXT_CHARS}})
    return value


def _step(kind: str, *, actor, case: Case, on: date, payload: dict, client_uuid=None, check=None,
          audit_fields=()) -> CaseEvent:
    def create() -> CaseEvent:
        locked, state = _locked(case)
        _check_date(locked, on)
        _check_open(state)
        if check is not None:
            check(state)
        event = _event(actor=actor, case=locked, kind=kind, on=on, payload=payload, client_uuid=client_uuid,
                       audit_fields=audit_fields)
        _after(locked)
        return event

    event, _created = create_once(CaseEvent, client_uuid=client_uuid, scope={"case": case}, create=create)
    return event


@transaction.atomic
def appetite_test_record(*, actor, case: Case, on: date, result: str, reason: str = "",
                         client_uuid=None) -> CaseEvent:
    """The appetite test at the centre: passed, failed, or not done (with the reason)."""
    if result not in (rules.PASSED, rules.FAILED, rules.NOT_DONE):
        raise ValidationError({"result": _("Say whether the child passed or failed the appetite test, or why it "
                                           "was not done.")})
    reason = _text(reason, "reason", required=result == rules.NOT_DONE)
    return _step(rules.APPETITE_TEST, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"result": result, "reason": reason}, audit_fields=["result"])


@transaction.atomic
def complications_record(*, actor, case: Case, on: date, signs: list[str], client_uuid=None) -> CaseEvent:
    """The danger signs found (an empty list: none of them)."""
    allowed = rules_for(case.state_id).danger_signs
    unknown = [s for s in signs if s not in allowed]
    if unknown:
        raise ValidationError({"signs": _("Choose the danger signs from the list.")})
    return _step(rules.COMPLICATIONS, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"signs": sorted(set(signs))}, audit_fields=["signs"])


@transaction.atomic
def referral_record(*, actor, case: Case, on: date, facility: str, client_uuid=None) -> CaseEvent:
    """The child is referred to the NRC (or health facility) named."""
    facility = _text(facility, "facility", required=True)

    def check(state: rules.CaseState) -> None:
        if state.status in (rules.REFERRAL_PENDING, rules.AT_NRC):
            raise ValidationError(_("The child is already referred: record the outcome of that referral first."))

    return _step(rules.REFERRED, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"facility": facility}, check=check, audit_fields=["facility"])


@transaction.atomic
def referral_outcome_record(*, actor, case: Case, on: date, outcome: str, weight_kg=None,
                            client_uuid=None) -> CaseEvent:
    """What came of the referral: admitted, not admitted, returned (back from the NRC) or refused."""
    if outcome not in rules.REFERRAL_OUTCOMES:
        raise ValidationError({"outcome": _("Choose what came of the referral.")})
    payload: dict = {"outcome": outcome}
    if weight_kg not in (None, ""):
        payload["weight_kg"] = float(Decimal(str(weight_kg)))

    def check(state: rules.CaseState) -> None:
        if state.status == rules.AT_NRC and outcome != rules.RETURNED:
            raise ValidationError({"outcome": _("The child is at the NRC: record the return.")})
        if state.status not in (rules.REFERRAL_PENDING, rules.AT_NRC):
            raise ValidationError(_("There is no referral waiting for an outcome."))

    return _step(rules.REFERRAL_OUTCOME, actor=actor, case=case, on=on, client_uuid=client_uuid, payload=payload,
                 check=check, audit_fields=["outcome"])


@transaction.atomic
def screening_record(*, actor, case: Case, on: date, findings: str = "", medicines: list[str] = (),
                     client_uuid=None) -> CaseEvent:
    """The medical officer's screening: findings and the medicines given."""
    unknown = [m for m in medicines if m not in rules.MEDICINES]
    if unknown:
        raise ValidationError({"medicines": _("Choose the medicines from the list.")})
    return _step(rules.SCREENED, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"findings": _text(findings, "findings"), "medicines": sorted(set(medicines))},
                 audit_fields=["medicines"])


@transaction.atomic
def buddy_mother_assign(*, actor, case: Case, on: date, name: str, client_uuid=None) -> CaseEvent:
    """A buddy mother (the mother of a healthy child) who visits every week."""
    return _step(rules.BUDDY_MOTHER, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"name": _text(name, "name", required=True)}, audit_fields=["name"])


@transaction.atomic
def buddy_visit_record(*, actor, case: Case, on: date, note: str = "", client_uuid=None) -> CaseEvent:
    """The buddy mother's weekly visit to the child's home; the next one falls due a week on."""

    def check(state: rules.CaseState) -> None:
        if not state.buddy_mother:
            raise ValidationError(_("Choose a buddy mother first."))

    return _step(rules.BUDDY_VISIT, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"note": _text(note, "note")}, check=check)


@transaction.atomic
def counselling_record(*, actor, case: Case, on: date, topic: str = "", client_uuid=None) -> CaseEvent:
    return _step(rules.COUNSELLED, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"topic": _text(topic, "topic")})


@transaction.atomic
def case_exit(*, actor, case: Case, on: date, outcome: str, note: str = "", client_uuid=None) -> CaseEvent:
    """Close a case with an outcome the worker knows (died, moved, referred and not returned, …).

    Recovered, and the calendar's outcomes, follow from the follow-ups by themselves.
    """
    if outcome not in rules.RECORDED_OUTCOMES:
        raise ValidationError({"outcome": _("Choose how the treatment ended.")})
    return _step(rules.EXIT, actor=actor, case=case, on=on, client_uuid=client_uuid,
                 payload={"outcome": outcome, "note": _text(note, "note")}, audit_fields=["outcome"])


@transaction.atomic
def followup_record(*, actor, case: Case, on: date, weight_kg, muac_cm=None, oedema: bool = False,
                    lenhei_cm=None, measure: str = "", appetite: str = "", illness: str = "",
                    complications: list[str] = (), client_uuid=None) -> CaseEvent:
    """A follow-up visit: the child is weighed and measured (a growth measurement like any other) and the
    appetite, illness and danger signs are noted; the protocol's escalation and exit follow from it."""
    if appetite not in ("", rules.PASSED, rules.FAILED, rules.NOT_DONE):
        raise ValidationError({"appetite": _("Say whether the child passed or failed the appetite test.")})
    allowed = rules_for(case.state_id).danger_signs
    if [s for s in complications if s not in allowed]:
        raise ValidationError({"complications": _("Choose the danger signs from the list.")})
    locked, state = _locked(case)
    watching = state.outcome == rules.RECOVERED and state.post_recovery_until and on <= state.post_recovery_until
    if not watching:
        _check_open(state)
    _check_date(locked, on)
    details = {"appetite": appetite, "illness": _text(illness, "illness"),
               "complications": sorted(set(complications))}
    measurement, _created = measurement_record(
        actor=actor, child=locked.child, date=on, weight_kg=weight_kg, lenhei_cm=lenhei_cm, measure=measure,
        muac_cm=muac_cm, oedema=oedema, client_uuid=client_uuid, case_details=details)
    # A replayed client_uuid returned the first measurement: its follow-up is the answer.
    return CaseEvent.objects.filter(measurement=measurement).order_by("-id").first()
