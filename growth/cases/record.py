"""The case record: the rules of its state, its derived state stored, its events, and opening it from a measurement.

It sits below every write that touches a case: the steps (growth.cases.services) and the measurement
(growth.services.measurement_record, which opens or follows a case in its own transaction) both import it,
and the steps record their follow-up's measurement through growth.services, never the other way round."""
from __future__ import annotations

import json
from datetime import date

from django.db import connections, router
from django.utils import timezone

from beneficiaries.models import Beneficiary
from growth.models import Measurement
from poshan.core import prepared
from poshan.core.audit import audit_record
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


CaseContext = tuple[rules.Rules, int | None, int | None]  # the rules, the open case's id, the watched case's id
_CONTEXT_TYPES = ("bigint", "bigint", "boolean", "bigint", "text", "date")
_KEPT_AS = "poshan.case_context"  # the transaction-local setting that keeps it for the statement after (PostgreSQL)


def _context_sql(connection, *, state_id: int | None, child_id: int, on: date) -> tuple[str, tuple]:
    """What a new measurement needs to know of the child's cases, as three scalar subqueries: the overrides of the
    state's rules (rules_for), the id of the open case and that of the last recovered case closed by `on` (still
    watched?)."""
    qn = connection.ops.quote_name
    cases, overrides = qn(Case._meta.db_table), qn(CaseRulesOverride._meta.db_table)
    sql = (f"(SELECT overrides FROM {overrides} WHERE state_id = %s ORDER BY id LIMIT 1), "
           f"(SELECT id FROM {cases} WHERE child_id = %s AND is_open = %s ORDER BY id LIMIT 1), "
           f"(SELECT id FROM {cases} WHERE child_id = %s AND outcome = %s AND closed_on <= %s "
           f"ORDER BY closed_on DESC, id DESC LIMIT 1)")
    return sql, (state_id, child_id, True, child_id, rules.RECOVERED, connection.ops.adapt_datefield_value(on))


def _case_context(*, state_id: int | None, child_id: int, on: date) -> CaseContext:
    """The case context (_context_sql) read in a statement of its own."""
    connection = connections[router.db_for_read(Case)]
    sql, params = _context_sql(connection, state_id=state_id, child_id=child_id, on=on)
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name="growth_case_context", sql=f"SELECT {sql}", types=_CONTEXT_TYPES,
                         params=params)
        found, open_id, watched_id = cursor.fetchone()
    if found is not None:
        found = CaseRulesOverride._meta.get_field("overrides").from_db_value(found, None, connection)
    return _context(found, open_id, watched_id)


def _context(overrides: dict | None, open_id: int | None, watched_id: int | None) -> CaseContext:
    return rules.rules_with(overrides) if overrides is not None else rules.DEFAULT_RULES, open_id, watched_id


def case_context_ahead(*, state_id: int | None, child_id: int, on: date) -> prepared.SqlPart | None:
    """The case context read in front of the transaction's next statement, in its message, and kept for it in a
    transaction-local setting: returns the expression that gives it back (as text, for that statement's RETURNING:
    case_context_from), or None where nothing waits for a next statement (SQLite, prepared statements off, no
    transaction): the caller then reads it with measurement_recorded, in a statement of its own.

    A measurement's claim returns it so, one round trip fewer. Not the subqueries themselves in the claim's
    RETURNING: PostgreSQL then planned that INSERT afresh for every measurement, against every monthly partition
    (bench/RESULTS.md); the setting is a function call, and each statement keeps its plan."""
    connection = connections[router.db_for_read(Case)]
    if not prepared.defers(connection):
        return None
    sql, params = _context_sql(connection, state_id=state_id, child_id=child_id, on=on)
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name="growth_case_context_ahead", defer=True,
                         sql=f"SELECT set_config(%s, json_build_array({sql})::text, true)",
                         types=("text", *_CONTEXT_TYPES), params=(_KEPT_AS, *params))
    return prepared.SqlPart("current_setting(%s, true)", (_KEPT_AS,), ("text",))


def case_context_from(kept: str | None) -> CaseContext | None:
    """The case context from case_context_ahead's expression (None when it came back empty: read it again)."""
    if not kept:
        return None
    overrides, open_id, watched_id = json.loads(kept)
    return _context(overrides, open_id, watched_id)


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
    payload = {"category": category, **_payload_from(measurement),
               "age_months": rules.age_in_months(child.dob, measurement.date)}
    if relapse_of is not None:
        payload["relapse_of"] = relapse_of.pk
    # Its state derived from its one event before the row is written: one INSERT, not an INSERT, a read of the
    # event just written and an UPDATE.
    identified = CaseEvent(kind=rules.IDENTIFIED, date=measurement.date, payload=payload)
    _store(case, case_state(case, today=today, events=[identified], rule_set=rule_set), today, save=False)
    case.save()
    _event(actor=actor, case=case, kind=rules.IDENTIFIED, on=measurement.date, payload=payload,
           measurement=measurement, audit_fields=["category"])
    return case


def measurement_recorded(*, actor, measurement, details: dict | None = None,
                         context: CaseContext | None = None) -> Case | None:
    """Called for every new measurement, inside its transaction: opens a case or records a follow-up. ``context``:
    the child's case context when the measurement's INSERT brought it back (case_context_ahead); else read here.

    * an open case: the measurement is its follow-up (with ``details`` — appetite, illness, danger signs —
      when it came from the follow-up form);
    * no open case and the measurement calls for one (rules.classify): a new case, linked to the last one
      when it is a relapse;
    * a recovered case still in its three months of watch: the measurement is its monthly follow-up.
    """
    child = measurement.child
    today = _today()
    rule_set, open_id, watched_id = context or _case_context(state_id=child.awc.state_id, child_id=child.pk,
                                                             on=measurement.date)
    # locked, and read again: a case closed meanwhile by a concurrent write is no longer the open one
    case = Case.objects.select_for_update().filter(pk=open_id, is_open=True).first() if open_id else None
    if case is not None:
        events = list(case.events.order_by("date", "id"))  # read once: the follow-up's state adds its event
        state = case_state(case, today=max(today, measurement.date), events=events, rule_set=rule_set)
        if not state.is_open:  # the calendar closed it (default, non-response, age) since it was last stored
            _store(case, state, today)
            case, watched_id = None, _last_recovered_id(child.pk, measurement.date)  # it may be that one now
    category = _category_of(measurement, child, rule_set)
    if case is not None:
        if measurement.date < case.opened_on:
            return case
        payload = {**_payload_from(measurement), **(details or {})}
        if category is not None:
            payload["category"] = category
        followup = _event(actor=actor, case=case, kind=rules.FOLLOWUP, on=measurement.date, payload=payload,
                          measurement=measurement, audit_fields=sorted(details or {}),
                          client_uuid=measurement.client_uuid if details is not None else None)
        events = sorted([*events, followup], key=lambda event: (event.date, event.pk))  # as the table orders them
        _store(case, case_state(case, today=today, events=events, rule_set=rule_set), today)
        return case
    if category is not None:
        return _open(actor=actor, child=child, measurement=measurement, category=category, rule_set=rule_set,
                     today=today)
    watched = Case.objects.filter(pk=watched_id).first() if watched_id else None
    if watched is not None:
        state = case_state(watched, today=today, rule_set=rule_set)
        if state.post_recovery_until and measurement.date <= state.post_recovery_until:
            _event(actor=actor, case=watched, kind=rules.FOLLOWUP, on=measurement.date,
                   payload={**_payload_from(measurement), **(details or {})}, measurement=measurement)
            _store(watched, case_state(watched, today=today, rule_set=rule_set), today)
            return watched
    return None


def _last_recovered_id(child_id: int, on: date) -> int | None:
    return (Case.objects.filter(child_id=child_id, outcome=rules.RECOVERED, closed_on__lte=on)
            .order_by("-closed_on", "-id").values_list("pk", flat=True).first())


def _after(case: Case) -> Case:
    """Derive and store the case's state again after a step."""
    _store(case, case_state(case), _today())
    return case
