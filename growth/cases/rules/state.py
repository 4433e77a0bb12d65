"""A case's state from its ordered events: :func:`derive`, the one place the protocol's steps are
decided, and the helpers it needs. Each event kind is one step function (``_STEPS``, a dispatch table)
over a ``_Walk``, the working memory of one derivation; nothing here reads a clock or a database."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from collections.abc import Callable, Iterable

from .due import due_steps
from .values import AT_RISK, CATEGORIES, DEFAULT_RULES, MAM, SAM, SUW, Rules, add_months, age_in_months
from .vocabulary import (
    ADMITTED, AGED_OUT, APPETITE_TEST, ASSESSMENT, AT_NRC, BUDDY_MOTHER, BUDDY_VISIT, CENTRE, CLOSED, COMPLICATIONS,
    COUNSELLED, DEFAULTED, EXIT, FAILED, FOLLOWUP, IDENTIFIED, IN_TREATMENT, NON_RESPONDER, NRC, RECOVERED,
    REFERRAL_OUTCOME, REFERRAL_PENDING, REFERRED, RETURNED, SCREENED, TRANSFERRED, WHY_APPETITE, WHY_COMPLICATION,
    WHY_INFANT, WHY_NO_GAIN, WHY_NON_RESPONDER, WHY_OEDEMA, CaseState, Event,
)


def _num(data: dict, key: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def _meets_recovery(category: str, data: dict, rules: Rules) -> bool:
    if data.get("oedema"):
        return False
    whz, muac, waz = _num(data, "whz"), _num(data, "muac_cm"), _num(data, "waz")
    if category == SUW:
        return waz is not None and waz >= rules.recovered_waz
    if whz is None and muac is None:
        return False
    return (whz is None or whz >= rules.recovered_whz) and (muac is None or muac >= rules.recovered_muac_cm)


def gain_g_kg_day(min_kg: float | None, min_on: date | None, last_kg: float | None,
                  last_on: date | None) -> float | None:
    """(last weight − lowest weight) in g per kg of the lowest weight per day since it (WHO/Sphere)."""
    if None in (min_kg, min_on, last_kg, last_on) or not min_kg or last_on <= min_on:
        return None
    return round((last_kg - min_kg) * 1000 / (min_kg * (last_on - min_on).days), 1)


@dataclass
class _Walk:
    """What one derivation carries from event to event: the state so far and what the protocol remembers."""

    state: CaseState
    rules: Rules
    dob: date
    age_out_on: date
    appetite_done: bool = False
    complications_done: bool = False
    refer_because: list[str] = field(default_factory=list)
    last_oedema_on: date | None = None
    meeting_streak: int = 0
    no_gain_streak: int = 0
    last_followup_weight: float | None = None

    def refer(self, why: str) -> None:
        if why not in self.refer_because:
            self.refer_because.append(why)


def derive(events: Iterable[Event], *, dob: date, today: date, rules: Rules = DEFAULT_RULES) -> CaseState:
    """The state of one case on ``today`` from its events (the first must be ``identified``).

    The protocol step by step:

    1. ``identified`` opens the case with its category. SAM from 6 months needs an appetite test and the
       danger-sign check; an infant under 6 months "at risk" is referred to a facility at once.
    2./3. Oedema, any complication or a failed appetite test → refer to an NRC (``refer`` due now);
       otherwise management at the centre starts, with the medical screening due within
       ``screening_from_days``–``screening_within_days`` days (SAM who passed, and every SUW child).
    4. A referral waits for its outcome: admitted → at the NRC until ``returned``; returned, not
       admitted or refused → management at the centre continues.
    5. Follow-ups every 7 (SAM) / 14 (MAM, SUW) days. Escalate (refer) when the appetite test fails,
       oedema appears, a complication appears, or the weight falls or does not rise at
       ``no_gain_followups`` follow-ups in a row. Values that meet SAM at a MAM/SUW follow-up make the
       case SAM (appetite test due).
    6. Exit: recovered after ``recovered_followups`` consecutive follow-ups meeting the criteria with no
       oedema for ``recovered_no_oedema_days``; non-responder at ``max_treatment_weeks``; defaulted after
       ``default_missed_followups`` missed follow-ups; aged out at ``age_out_months``; or an ``exit``
       event (died, moved, referred and not returned, …). After recovery a monthly follow-up is due
       until the relapse window ends.
    A ``transferred`` event moves nothing here: the case travels with the child.
    """
    events = list(events)
    walk = _identified(events, dob=dob, rules=rules)
    for event in events[1:]:
        _calendar(walk, event.on)
        if walk.state.status == CLOSED and not (event.kind == FOLLOWUP and walk.state.outcome == RECOVERED):
            continue  # nothing changes a closed case except the follow-up after recovery
        step = _STEPS.get(event.kind)
        if step is not None:
            step(walk, event)
    _calendar(walk, today)
    _summarise(walk, today)
    due_steps(walk.state, walk.state.category, rules, today=today, appetite_done=walk.appetite_done,
              complications_done=walk.complications_done, events=events)
    return walk.state


# --- the protocol's steps, one function each ---------------------------------------------------------------

def _identified(events: list[Event], *, dob: date, rules: Rules) -> _Walk:
    """Step 1: the identification opens the case (assessment, referral or treatment at the centre)."""
    if not events or events[0].kind != IDENTIFIED:
        raise ValueError("A case starts with its identification.")
    first = events[0]
    category = first.data.get("category")
    if category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}.")
    walk = _Walk(state=CaseState(status=IN_TREATMENT, category=category, level=CENTRE, opened_on=first.on),
                 rules=rules, dob=dob, age_out_on=add_months(dob, rules.age_out_months),
                 last_oedema_on=first.on if first.data.get("oedema") else None,
                 last_followup_weight=_num(first.data, "weight_kg"))
    state = walk.state
    needs_assessment = category == SAM and age_in_months(dob, first.on) >= rules.appetite_test_from_months
    _note_weight(state, _num(first.data, "weight_kg"), first.on)
    if category == AT_RISK:
        walk.refer_because.append(WHY_INFANT)
    elif first.data.get("oedema"):
        walk.refer_because.append(WHY_OEDEMA)
    if needs_assessment:
        state.status = ASSESSMENT
    elif not walk.refer_because:
        _start_treatment(state, first.on)
    if category == SUW or (category == SAM and not needs_assessment):
        state.screening_due = first.on + timedelta(days=rules.screening_within_days)
    return walk


def _note_weight(state: CaseState, kg: float | None, on: date) -> None:
    if kg is None:
        return
    if state.admission_weight_kg is None:
        state.admission_weight_kg = kg
    if state.min_weight_kg is None or kg < state.min_weight_kg:
        state.min_weight_kg, state.min_weight_on = kg, on
    state.last_weight_kg, state.last_weight_on = kg, on


def _start_treatment(state: CaseState, on: date) -> None:
    state.status, state.level = IN_TREATMENT, CENTRE
    if state.treatment_from is None:
        state.treatment_from = on


def _close(walk: _Walk, outcome: str, on: date) -> None:
    state = walk.state
    state.status, state.outcome, state.closed_on = CLOSED, outcome, on
    if outcome == RECOVERED:
        state.recovered_on = on
        state.post_recovery_until = on + timedelta(days=walk.rules.relapse_window_days)


def _calendar(walk: _Walk, day: date) -> None:
    """Step 6, by the calendar: what the passing days decide by ``day`` (ageing out, non-response, default)."""
    state, rules = walk.state, walk.rules
    if state.status == CLOSED:
        return
    if day >= walk.age_out_on:
        _close(walk, AGED_OUT, walk.age_out_on)
        return
    if state.status != IN_TREATMENT or state.treatment_from is None:
        return
    limit = state.opened_on + timedelta(weeks=rules.max_treatment_weeks)
    defaulted_on = None
    if not walk.refer_because:  # waiting for a referral is not missing a weighing
        interval = rules.followup_days(state.category)
        since = state.last_followup or state.treatment_from
        # A follow-up due on day d is missed from day d + 1 on.
        state.missed_followups = max(0, ((min(day, limit) - since).days - 1) // interval)
        defaulted_on = since + timedelta(days=interval * rules.default_missed_followups + 1)
    # Whichever came first: the third missed follow-up, or the end of the longest treatment.
    if defaulted_on is not None and defaulted_on <= day and defaulted_on < limit:
        _close(walk, DEFAULTED, defaulted_on)
    elif day >= limit:
        _close(walk, NON_RESPONDER, limit)
        walk.refer_because = [WHY_NON_RESPONDER]


def _decide_after_assessment(walk: _Walk, on: date) -> None:
    """Steps 2/3: once both the appetite test and the danger signs are in, treat at the centre or refer."""
    state = walk.state
    if state.status != ASSESSMENT or not (walk.appetite_done and walk.complications_done):
        return
    if not walk.refer_because:
        _start_treatment(state, on)
        if state.appetite != FAILED and state.screening_due is None:
            state.screening_due = on + timedelta(days=walk.rules.screening_within_days)


def _appetite_test(walk: _Walk, event: Event) -> None:
    walk.state.appetite = event.data.get("result", "")
    walk.appetite_done = True
    if walk.state.appetite == FAILED:
        walk.refer(WHY_APPETITE)
    _decide_after_assessment(walk, event.on)


def _complications(walk: _Walk, event: Event) -> None:
    signs = tuple(s for s in event.data.get("signs", ()) if s)
    walk.state.complications = signs
    walk.complications_done = True
    if signs:
        walk.refer(WHY_COMPLICATION)
    _decide_after_assessment(walk, event.on)


def _referred(walk: _Walk, event: Event) -> None:
    state = walk.state
    state.status, state.level = REFERRAL_PENDING, NRC
    state.referral_open_since = event.on
    state.referrals += 1
    walk.refer_because = []


def _referral_outcome(walk: _Walk, event: Event) -> None:
    """Step 4: admitted → at the NRC; returned, not admitted or refused → management at the centre (continues)."""
    state, on, outcome = walk.state, event.on, event.data.get("outcome")
    state.referral_open_since = None
    if outcome == ADMITTED:
        state.status, state.level = AT_NRC, NRC
        state.nrc_admissions += 1
        return
    if outcome == RETURNED:
        state.nrc_returns += 1
    _start_treatment(state, on)
    state.last_followup = on  # the next weighing counts from the return
    walk.no_gain_streak = walk.meeting_streak = 0
    kg = _num(event.data, "weight_kg")
    _note_weight(state, kg, on)
    if kg is not None:
        walk.last_followup_weight = kg
    if state.buddy_visit_from is not None:  # the weekly visits start again from the return
        state.buddy_visit_from = max(state.buddy_visit_from, on)
    if outcome == RETURNED and state.screening_due is None and state.screened_on is None:
        state.screening_due = on + timedelta(days=walk.rules.screening_within_days)


def _screened(walk: _Walk, event: Event) -> None:
    walk.state.screened_on = event.on


def _buddy_mother(walk: _Walk, event: Event) -> None:
    walk.state.buddy_mother = True
    walk.state.buddy_visit_from = event.on  # her first weekly visit is due a week after she is chosen


def _buddy_visit(walk: _Walk, event: Event) -> None:
    if walk.state.buddy_mother:
        walk.state.buddy_visits += 1
        walk.state.buddy_visit_from = event.on


def _counselled(walk: _Walk, event: Event) -> None:
    walk.state.counselling += 1


def _transferred(walk: _Walk, event: Event) -> None:
    walk.state.transfers += 1  # the case travels with the child: nothing else moves


def _exit(walk: _Walk, event: Event) -> None:
    _close(walk, event.data.get("outcome", ""), event.on)


def _followup(walk: _Walk, event: Event) -> None:
    """Step 5: a follow-up weighs the child; it may make the case worse, escalate it or end it recovered."""
    state, data, on = walk.state, event.data, event.on
    kg = _num(data, "weight_kg")
    if state.status == CLOSED:  # after recovery
        return
    state.followups += 1
    state.last_followup = on
    state.missed_followups = 0
    _note_weight(state, kg, on)
    if data.get("oedema"):
        walk.last_oedema_on = on
    _worse(walk, event)
    if state.status in (IN_TREATMENT, ASSESSMENT):
        _escalate(walk, data, kg)
    if kg is not None:
        walk.last_followup_weight = kg
    _recovery(walk, on, data)


def _worse(walk: _Walk, event: Event) -> None:
    """Values that meet SAM make a MAM / SUW case SAM (its appetite test and danger signs are due)."""
    state = walk.state
    if state.category in (MAM, SUW) and event.data.get("category") == SAM:
        state.category = SAM
        needs_assessment = age_in_months(walk.dob, event.on) >= walk.rules.appetite_test_from_months
        if needs_assessment and state.status == IN_TREATMENT:
            state.status, walk.appetite_done, walk.complications_done = ASSESSMENT, False, False


def _escalate(walk: _Walk, data: dict, kg: float | None) -> None:
    """Refer when the appetite test fails, oedema or a complication appears, or the weight does not rise."""
    reasons = []
    if data.get("appetite") == FAILED:
        reasons.append(WHY_APPETITE)
    if data.get("oedema") and walk.state.category != AT_RISK:
        reasons.append(WHY_OEDEMA)
    if [s for s in data.get("complications", ()) if s]:
        reasons.append(WHY_COMPLICATION)
    if kg is not None and walk.last_followup_weight is not None:
        walk.no_gain_streak = walk.no_gain_streak + 1 if kg <= walk.last_followup_weight else 0
        if walk.no_gain_streak >= walk.rules.no_gain_followups:
            reasons.append(WHY_NO_GAIN)
    for why in reasons:
        walk.refer(why)


def _recovery(walk: _Walk, on: date, data: dict) -> None:
    """Step 6, recovered: enough follow-ups in a row meeting the criteria, and no oedema for long enough."""
    state, rules = walk.state, walk.rules
    if _meets_recovery(state.category, data, rules) and not walk.refer_because:
        walk.meeting_streak += 1
    else:
        walk.meeting_streak = 0
    oedema_free = (walk.last_oedema_on is None
                   or (on - walk.last_oedema_on).days >= rules.recovered_no_oedema_days)
    if walk.meeting_streak >= rules.recovered_followups and oedema_free and state.status == IN_TREATMENT:
        _close(walk, RECOVERED, on)


_STEPS: dict[str, Callable[[_Walk, Event], None]] = {
    APPETITE_TEST: _appetite_test,
    COMPLICATIONS: _complications,
    REFERRED: _referred,
    REFERRAL_OUTCOME: _referral_outcome,
    SCREENED: _screened,
    BUDDY_MOTHER: _buddy_mother,
    BUDDY_VISIT: _buddy_visit,
    COUNSELLED: _counselled,
    TRANSFERRED: _transferred,
    EXIT: _exit,
    FOLLOWUP: _followup,
}


# --- the answer: what the state says, and what is due ----------------------------------------------------------

def _summarise(walk: _Walk, today: date) -> None:
    state, rules = walk.state, walk.rules
    state.refer_because = list(walk.refer_because) if state.status != CLOSED or state.outcome == NON_RESPONDER else []
    state.weight_gain_g_kg_day = gain_g_kg_day(state.min_weight_kg, state.min_weight_on, state.last_weight_kg,
                                               state.last_weight_on)
    if state.last_followup is not None or state.treatment_from is not None:
        since = state.last_followup or state.treatment_from
        state.days_since_followup = (today - since).days
    state.sam_no_followup_alert = (state.status == IN_TREATMENT and state.category == SAM
                                   and state.days_since_followup is not None
                                   and state.days_since_followup >= rules.sam_no_followup_alert_days)
