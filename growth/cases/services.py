"""Every write of malnutrition management (CMAM): each step is one event, written in one transaction with its
audit entry, after which the case's stored state is derived again (growth.cases.rules.derive).

A case opens by itself from every measurement (``measurement_recorded``, called by
growth.services.measurement_record in the same transaction), so the worker's own screen never waits for
the nightly job; the job (``cases_refresh`` / ``cases_open_missed``) only moves the calendar on for cases
nobody touched and opens cases for measurements recorded before this module existed.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from beneficiaries.models import Beneficiary
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent

from . import rules
from .models import Case, CaseEvent, CaseRulesOverride

TEXT_CHARS = 300
IMPLAUSIBLE_WHZ_BIT = 4
IMPLAUSIBLE_WAZ_BIT = 1


def _today() -> date:
    return timezone.localdate()


def rules_for(state_id: int | None) -> rules.Rules:
    """The protocol as the child's state runs it: the defaults with the state's overrides, if any."""
    if state_id is None:
        return rules.DEFAULT_RULES
    row = CaseRulesOverride.objects.filter(state_id=state_id).only("overrides").first()
    return rules.rules_with(row.overrides) if row else rules.DEFAULT_RULES


def case_state(case: Case, *, today: date | None = None, events=None, rule_set: rules.Rules | None = None):
    """The derived state of one case (reads its events unless given)."""
    if events is None:
        events = list(case.events.order_by("date", "id"))
    return rules.derive([e.as_rule_event() for e in events], dob=case.child.dob, today=today or _today(),
                        rules=rule_set or rules_for(case.state_id))


def _store(case: Case, state: rules.CaseState, today: date, *, save: bool = True) -> list[str]:
    """Put the derived answer on the case row and save what changed (``save=False``: the caller saves in bulk);
    returns the names of the fields that changed."""
    nxt = state.next_step
    values = {
        "category": state.category, "is_open": state.is_open, "status": state.status, "level": state.level,
        "outcome": state.outcome, "closed_on": state.closed_on, "next_step": nxt.step if nxt else "",
        "next_due": nxt.on if nxt else None, "overdue_steps": ",".join(state.overdue),
        "referral_open_since": state.referral_open_since, "last_followup_on": state.last_followup,
        "sam_no_followup_alert": state.sam_no_followup_alert, "nrc_referrals": state.referrals,
        "nrc_admissions": state.nrc_admissions, "weight_gain_g_kg_day": state.weight_gain_g_kg_day,
        "derived_on": today,
    }
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    if changed and case.pk and save:
        case.save(update_fields=changed)
    return changed


def case_refresh(case: Case, *, today: date | None = None) -> rules.CaseState:
    today = today or _today()
    state = case_state(case, today=today)
    _store(case, state, today)
    return state


def _payload_from(measurement) -> dict:
    flags = measurement.flags or 0
    return {
        "weight_kg": float(measurement.weight_kg),
        "muac_cm": None if measurement.muac_cm is None else float(measurement.muac_cm),
        "oedema": bool(measurement.oedema),
        "whz": None if measurement.whz is None or flags & IMPLAUSIBLE_WHZ_BIT else measurement.whz,
        "waz": None if measurement.waz is None or flags & IMPLAUSIBLE_WAZ_BIT else measurement.waz,
    }


def _category_of(measurement, child: Beneficiary, rule_set: rules.Rules) -> str | None:
    values = _payload_from(measurement)
    age = rules.age_in_months(child.dob, measurement.date)
    not_gaining = False
    if age < rule_set.infant_months:
        from growth.models import Measurement

        before = (Measurement.objects.filter(child_id=child.pk, date__lt=measurement.date)
                  .order_by("-date", "-id").values_list("weight_kg", flat=True).first())
        not_gaining = before is not None and measurement.weight_kg <= before
    return rules.classify(age_months=age, whz=values["whz"], waz=values["waz"], muac_cm=values["muac_cm"],
                          oedema=values["oedema"], not_gaining=not_gaining, rules=rule_set)


def _event(*, actor, case: Case, kind: str, on: date, payload: dict, measurement=None, client_uuid=None,
           audit_fields=()) -> CaseEvent:
    event = CaseEvent(case=case, kind=kind, date=on, payload=payload, awc_id=case.awc_id,
                      actor=actor if getattr(actor, "is_authenticated", False) else None,
                      measurement=measurement, client_uuid=client_uuid)
    event.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=event, awc_id=case.awc_id,
                 fields=["kind", "date", *audit_fields])
    return event


def _open(*, actor, child: Beneficiary, measurement, category: str, rule_set: rules.Rules,
          today: date) -> Case:
    awc = child.awc
    previous = (Case.objects.filter(child_id=child.pk, outcome=rules.RECOVERED).order_by("-closed_on", "-id")
                .first())
    relapse_of = None
    if previous is not None and category in (rules.SAM, rules.MAM, rules.AT_RISK):
        if rules.is_relapse(case_state(previous, today=today, rule_set=rule_set), measurement.date):
            relapse_of = previous
    case = Case(child=child, awc=awc, sector_id=awc.sector_id, project_id=awc.project_id,
                district_id=awc.district_id, state_id=awc.state_id, category=category, opened_on=measurement.date,
                opened_by=measurement, relapse_of=relapse_of, rules_version=rule_set.version,
                status=rules.IN_TREATMENT, derived_on=today)
    case.save()
    payload = {"category": category, **_payload_from(measurement),
               "age_months": rules.age_in_months(child.dob, measurement.date)}
    if relapse_of is not None:
        payload["relapse_of"] = relapse_of.pk
    _event(actor=actor, case=case, kind=rules.IDENTIFIED, on=measurement.date, payload=payload,
           measurement=measurement, audit_fields=["category"])
    _store(case, case_state(case, today=today, rule_set=rule_set), today)
    return case


def measurement_recorded(*, actor, measurement, details: dict | None = None) -> Case | None:
    """Called for every new measurement, inside its transaction: opens a case or records a follow-up.

    * an open case: the measurement is its follow-up (with ``details`` — appetite, illness, danger signs —
      when it came from the follow-up form);
    * no open case and the measurement calls for one (rules.classify): a new case, linked to the last one
      when it is a relapse;
    * a recovered case still in its three months of watch: the measurement is its monthly follow-up.
    """
    child = measurement.child
    today = _today()
    rule_set = rules_for(child.awc.state_id)
    case = Case.objects.select_for_update().filter(child_id=child.pk, is_open=True).first()
    if case is not None:
        state = case_state(case, today=max(today, measurement.date), rule_set=rule_set)
        if not state.is_open:  # the calendar closed it (default, non-response, age) since it was last stored
            _store(case, state, today)
            case = None
    category = _category_of(measurement, child, rule_set)
    if case is not None:
        if measurement.date < case.opened_on:
            return case
        payload = {**_payload_from(measurement), **(details or {})}
        if category is not None:
            payload["category"] = category
        _event(actor=actor, case=case, kind=rules.FOLLOWUP, on=measurement.date, payload=payload,
               measurement=measurement, audit_fields=sorted(details or {}),
               client_uuid=measurement.client_uuid if details is not None else None)
        _store(case, case_state(case, today=today, rule_set=rule_set), today)
        return case
    if category is not None:
        return _open(actor=actor, child=child, measurement=measurement, category=category, rule_set=rule_set,
                     today=today)
    watched = (Case.objects.filter(child_id=child.pk, outcome=rules.RECOVERED, closed_on__lte=measurement.date)
               .order_by("-closed_on", "-id").first())
    if watched is not None:
        state = case_state(watched, today=today, rule_set=rule_set)
        if state.post_recovery_until and measurement.date <= state.post_recovery_until:
            _event(actor=actor, case=watched, kind=rules.FOLLOWUP, on=measurement.date,
                   payload={**_payload_from(measurement), **(details or {})}, measurement=measurement)
            _store(watched, case_state(watched, today=today, rule_set=rule_set), today)
            return watched
    return None


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


def _after(case: Case) -> Case:
    _store(case, case_state(case), _today())
    return case


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
    from growth import services as growth_services

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
    measurement, _created = growth_services.measurement_record(
        actor=actor, child=locked.child, date=on, weight_kg=weight_kg, lenhei_cm=lenhei_cm, measure=measure,
        muac_cm=muac_cm, oedema=oedema, client_uuid=client_uuid, case_details=details)
    # A replayed client_uuid returned the first measurement: its follow-up is the answer.
    return CaseEvent.objects.filter(measurement=measurement).order_by("-id").first()


# --- the child moves; the nightly job --------------------------------------------------------------------

def child_moved(*, actor, beneficiary_ids, to_awc: Location, on: date, **_kwargs) -> None:
    """The case travels with the child: its centre (and ancestors) become the new centre's.

    Answers beneficiaries.signals.people_moved, inside the transfer's transaction.
    """
    for case in Case.objects.select_for_update().filter(child_id__in=list(beneficiary_ids), is_open=True):
        from_awc = case.awc_id
        case.awc_id, case.sector_id, case.project_id = to_awc.pk, to_awc.sector_id, to_awc.project_id
        case.district_id, case.state_id = to_awc.district_id, to_awc.state_id
        case.save(update_fields=["awc", "sector", "project", "district", "state"])
        _event(actor=actor, case=case, kind=rules.TRANSFERRED, on=on,
               payload={"from_awc": from_awc, "to_awc": to_awc.pk}, audit_fields=["to_awc"])
        _after(case)


def cases_refresh(*, case_ids=None, today: date | None = None, district_id: int | None = None) -> int:
    """Derive the stored state again for open cases (the calendar moves on: overdue steps, default, …).

    Returns how many cases changed. Two queries to read, one update per changed case.
    """
    today = today or _today()
    cases = Case.objects.filter(is_open=True).select_related("child")
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    if district_id is not None:
        cases = cases.filter(district_id=district_id)
    cases = list(cases.prefetch_related("events"))
    overrides = {row.state_id: rules.rules_with(row.overrides) for row in CaseRulesOverride.objects.all()}
    changed: list[Case] = []
    fields: set[str] = set()
    for case in cases:
        events = sorted(case.events.all(), key=lambda e: (e.date, e.id))
        state = case_state(case, today=today, events=events,
                           rule_set=overrides.get(case.state_id, rules.DEFAULT_RULES))
        names = set(_store(case, state, today, save=False)) - {"derived_on"}
        if names:
            changed.append(case)
            fields |= names | {"derived_on"}
    if changed:  # one UPDATE per thousand cases, not one per case (bench/cases.py)
        with transaction.atomic():
            Case.objects.bulk_update(changed, sorted(fields), batch_size=1000)
    return len(changed)


def cases_open_missed(*, measurement_ids, actor=None) -> int:
    """Open the cases the measurements call for that have none (recorded before cases existed, or imported)."""
    from growth.models import Measurement

    opened = 0
    for measurement in Measurement.objects.filter(pk__in=list(measurement_ids)).select_related("child__awc"):
        with transaction.atomic():
            if Case.objects.filter(child_id=measurement.child_id, opened_on__gte=measurement.date).exists():
                continue
            if Case.objects.filter(child_id=measurement.child_id, is_open=True).exists():
                continue
            rule_set = rules_for(measurement.child.awc.state_id)
            category = _category_of(measurement, measurement.child, rule_set)
            if category is None:
                continue
            _open(actor=actor, child=measurement.child, measurement=measurement, category=category,
                  rule_set=rule_set, today=_today())
            opened += 1
    return opened


def cases_nightly(*, run_date: date) -> dict:
    """After the nightly flagging: open the cases its statuses call for that nobody opened, then derive every
    open case again for the day (overdue steps, the SAM alert, default, non-response, age).

    Nothing on the worker's screen waits for this: every measurement opens its case at once. Cases are
    read district by district (two queries each), so memory stays bounded at any scale.
    """
    from growth.models import ChildStatus, Class

    since = (run_date.replace(day=1) - timedelta(days=1)).replace(day=1)
    handled = Case.objects.filter(child_id=OuterRef("child_id")).filter(
        Q(is_open=True) | Q(opened_on__gte=OuterRef("measured_on")) | Q(closed_on__gte=OuterRef("measured_on")))
    missed = (ChildStatus.objects.filter(Q(acute__in=[Class.MODERATE, Class.SEVERE]) | Q(underweight=Class.SEVERE),
                                         measured_on__gte=since, measured_on__lte=run_date,
                                         measurement_id__isnull=False)
              .exclude(Exists(handled)).values_list("measurement_id", flat=True))
    opened = cases_open_missed(measurement_ids=list(missed))
    changed = 0
    districts = Case.objects.filter(is_open=True).values_list("district_id", flat=True).distinct().order_by()
    for district_id in list(districts):
        changed += cases_refresh(district_id=district_id, today=run_date)
    return {"opened": opened, "changed": changed}
