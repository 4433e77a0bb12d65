"""A case's state from its ordered events: :func:`derive`, the one place the protocol's steps are
decided, and the helpers it needs."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from .values import *  # noqa: F401,F403
from .vocabulary import *  # noqa: F401,F403

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
    if not events or events[0].kind != IDENTIFIED:
        raise ValueError("A case starts with its identification.")
    first = events[0]
    category = first.data.get("category")
    if category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}.")
    state = CaseState(status=IN_TREATMENT, category=category, level=CENTRE, opened_on=first.on)
    age_out_on = add_months(dob, rules.age_out_months)

    needs_assessment = category == SAM and age_in_months(dob, first.on) >= rules.appetite_test_from_months
    appetite_done = complications_done = False
    refer_because: list[str] = []
    last_oedema_on: date | None = first.on if first.data.get("oedema") else None
    meeting_streak = 0
    no_gain_streak = 0
    last_followup_weight: float | None = _num(first.data, "weight_kg")

    def note_weight(kg: float | None, on: date) -> None:
        if kg is None:
            return
        if state.admission_weight_kg is None:
            state.admission_weight_kg = kg
        if state.min_weight_kg is None or kg < state.min_weight_kg:
            state.min_weight_kg, state.min_weight_on = kg, on
        state.last_weight_kg, state.last_weight_on = kg, on

    def start_treatment(on: date) -> None:
        state.status, state.level = IN_TREATMENT, CENTRE
        if state.treatment_from is None:
            state.treatment_from = on

    def close(outcome: str, on: date) -> None:
        state.status, state.outcome, state.closed_on = CLOSED, outcome, on
        if outcome == RECOVERED:
            state.recovered_on = on
            state.post_recovery_until = on + timedelta(days=rules.relapse_window_days)

    note_weight(_num(first.data, "weight_kg"), first.on)
    if category == AT_RISK:
        refer_because.append(WHY_INFANT)
    elif first.data.get("oedema"):
        refer_because.append(WHY_OEDEMA)
    if needs_assessment:
        state.status = ASSESSMENT
    elif not refer_because:
        start_treatment(first.on)
    if category == SUW or (category == SAM and not needs_assessment):
        state.screening_due = first.on + timedelta(days=rules.screening_within_days)

    def decide_after_assessment(on: date) -> None:
        nonlocal refer_because
        if state.status != ASSESSMENT or not (appetite_done and complications_done):
            return
        if not refer_because:
            start_treatment(on)
            if state.appetite != FAILED and state.screening_due is None:
                state.screening_due = on + timedelta(days=rules.screening_within_days)

    def calendar(day: date) -> None:
        """What the passing days decide by ``day``: ageing out, non-response, default."""
        nonlocal refer_because
        if state.status == CLOSED:
            return
        if day >= age_out_on:
            close(AGED_OUT, age_out_on)
            return
        if state.status != IN_TREATMENT or state.treatment_from is None:
            return
        limit = state.opened_on + timedelta(weeks=rules.max_treatment_weeks)
        defaulted_on = None
        if not refer_because:  # waiting for a referral is not missing a weighing
            interval = rules.followup_days(category)
            since = state.last_followup or state.treatment_from
            # A follow-up due on day d is missed from day d + 1 on.
            state.missed_followups = max(0, ((min(day, limit) - since).days - 1) // interval)
            defaulted_on = since + timedelta(days=interval * rules.default_missed_followups + 1)
        # Whichever came first: the third missed follow-up, or the end of the longest treatment.
        if defaulted_on is not None and defaulted_on <= day and defaulted_on < limit:
            close(DEFAULTED, defaulted_on)
        elif day >= limit:
            close(NON_RESPONDER, limit)
            refer_because = [WHY_NON_RESPONDER]

    for event in events[1:]:
        on, data = event.on, event.data
        calendar(on)
        if state.status == CLOSED and not (event.kind == FOLLOWUP and state.outcome == RECOVERED):
            continue  # nothing changes a closed case except the follow-up after recovery
        if event.kind == APPETITE_TEST:
            state.appetite = data.get("result", "")
            appetite_done = True
            if state.appetite == FAILED and WHY_APPETITE not in refer_because:
                refer_because.append(WHY_APPETITE)
            decide_after_assessment(on)
        elif event.kind == COMPLICATIONS:
            signs = tuple(s for s in data.get("signs", ()) if s)
            state.complications = signs
            complications_done = True
            if signs and WHY_COMPLICATION not in refer_because:
                refer_because.append(WHY_COMPLICATION)
            decide_after_assessment(on)
        elif event.kind == REFERRED:
            state.status, state.level = REFERRAL_PENDING, NRC
            state.referral_open_since = on
            state.referrals += 1
            refer_because = []
        elif event.kind == REFERRAL_OUTCOME:
            outcome = data.get("outcome")
            state.referral_open_since = None
            if outcome == ADMITTED:
                state.status, state.level = AT_NRC, NRC
                state.nrc_admissions += 1
            else:
                if outcome == RETURNED:
                    state.nrc_returns += 1
                # Back from the NRC, not admitted or refused: management at the centre (continues).
                start_treatment(on)
                state.last_followup = on  # the next weighing counts from the return
                no_gain_streak = meeting_streak = 0
                kg = _num(data, "weight_kg")
                note_weight(kg, on)
                if kg is not None:
                    last_followup_weight = kg
                if outcome == RETURNED and state.screening_due is None and state.screened_on is None:
                    state.screening_due = on + timedelta(days=rules.screening_within_days)
        elif event.kind == SCREENED:
            state.screened_on = on
        elif event.kind == BUDDY_MOTHER:
            state.buddy_mother = True
        elif event.kind == COUNSELLED:
            state.counselling += 1
        elif event.kind == TRANSFERRED:
            state.transfers += 1
        elif event.kind == EXIT:
            close(data.get("outcome", ""), on)
        elif event.kind == FOLLOWUP:
            kg = _num(data, "weight_kg")
            if state.status == CLOSED:  # after recovery
                continue
            state.followups += 1
            state.last_followup = on
            state.missed_followups = 0
            note_weight(kg, on)
            if data.get("oedema"):
                last_oedema_on = on
            # Worse: values that meet SAM make a MAM / SUW case SAM.
            if category in (MAM, SUW) and data.get("category") == SAM:
                category = state.category = SAM
                needs_assessment = age_in_months(dob, on) >= rules.appetite_test_from_months
                if needs_assessment and state.status == IN_TREATMENT:
                    state.status, appetite_done, complications_done = ASSESSMENT, False, False
            if state.status in (IN_TREATMENT, ASSESSMENT):
                reasons = []
                if data.get("appetite") == FAILED:
                    reasons.append(WHY_APPETITE)
                if data.get("oedema") and category != AT_RISK:
                    reasons.append(WHY_OEDEMA)
                if [s for s in data.get("complications", ()) if s]:
                    reasons.append(WHY_COMPLICATION)
                if kg is not None and last_followup_weight is not None:
                    no_gain_streak = no_gain_streak + 1 if kg <= last_followup_weight else 0
                    if no_gain_streak >= rules.no_gain_followups:
                        reasons.append(WHY_NO_GAIN)
                for why in reasons:
                    if why not in refer_because:
                        refer_because.append(why)
            if kg is not None:
                last_followup_weight = kg
            if _meets_recovery(category, data, rules) and not refer_because:
                meeting_streak += 1
            else:
                meeting_streak = 0
            oedema_free = last_oedema_on is None or (on - last_oedema_on).days >= rules.recovered_no_oedema_days
            if (meeting_streak >= rules.recovered_followups and oedema_free and state.status == IN_TREATMENT):
                close(RECOVERED, on)

    calendar(today)
    state.refer_because = list(refer_because) if state.status != CLOSED or state.outcome == NON_RESPONDER else []
    state.weight_gain_g_kg_day = gain_g_kg_day(state.min_weight_kg, state.min_weight_on, state.last_weight_kg,
                                               state.last_weight_on)
    if state.last_followup is not None or state.treatment_from is not None:
        since = state.last_followup or state.treatment_from
        state.days_since_followup = (today - since).days
    state.sam_no_followup_alert = (state.status == IN_TREATMENT and category == SAM
                                   and state.days_since_followup is not None
                                   and state.days_since_followup >= rules.sam_no_followup_alert_days)
    _due(state, category, rules, today=today, appetite_done=appetite_done, complications_done=complications_done,
         events=events)
    return state


def _due(state: CaseState, category: str, rules: Rules, *, today: date, appetite_done: bool,
         complications_done: bool, events: list[Event]) -> None:
    due: list[Due] = []
    if state.status == CLOSED:
        if state.outcome == RECOVERED and state.recovered_on and state.post_recovery_until:
            last = max([e.on for e in events if e.kind == FOLLOWUP and e.on >= state.recovered_on],
                       default=state.recovered_on)
            nxt = last + timedelta(days=rules.post_recovery_followup_days)
            if nxt <= state.post_recovery_until:
                due.append(Due(STEP_POST_RECOVERY, nxt))
    else:
        last_event_on = max(e.on for e in events)
        if state.refer_because and state.status != REFERRAL_PENDING:
            due.append(Due(STEP_REFER, last_event_on))
        if state.status == ASSESSMENT and not state.refer_because:
            if not appetite_done:
                due.append(Due(STEP_APPETITE_TEST, state.opened_on))
            if not complications_done:
                due.append(Due(STEP_COMPLICATIONS, state.opened_on))
        if state.status == REFERRAL_PENDING and state.referral_open_since:
            due.append(Due(STEP_REFERRAL_OUTCOME,
                           state.referral_open_since + timedelta(days=rules.referral_outcome_days)))
        if state.status == IN_TREATMENT:
            if state.screening_due and state.screened_on is None:
                due.append(Due(STEP_SCREENING, state.screening_due))
            since = state.last_followup or state.treatment_from
            if since is not None:
                due.append(Due(STEP_FOLLOWUP, since + timedelta(days=rules.followup_days(category))))
            if not state.buddy_mother and state.treatment_from is not None:
                due.append(Due(STEP_BUDDY_MOTHER, state.treatment_from
                               + timedelta(days=rules.buddy_mother_within_days)))
    due.sort(key=lambda d: (d.step != STEP_REFER, d.on, STEP_ORDER[d.step]))  # a referral comes first
    state.due = due
    state.overdue = [d.step for d in due if d.on < today]


def is_relapse(previous: CaseState | None, opened_on: date) -> bool:
    """A new case within the relapse window after a recovery is a relapse of that case."""
    return (previous is not None and previous.outcome == RECOVERED and previous.post_recovery_until is not None
            and previous.recovered_on is not None and previous.recovered_on <= opened_on
            <= previous.post_recovery_until)
