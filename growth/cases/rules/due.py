"""What a case's derived state says is due, and when (:func:`due_steps`), and whether a new case is a relapse.
Called by :func:`~growth.cases.rules.state.derive` once the events are walked; pure Python, no clock."""
from __future__ import annotations

from datetime import date, timedelta

from .values import Rules
from .vocabulary import (
    ASSESSMENT, CLOSED, FOLLOWUP, IN_TREATMENT, RECOVERED, REFERRAL_PENDING, STEP_APPETITE_TEST, STEP_BUDDY_MOTHER,
    STEP_BUDDY_VISIT, STEP_COMPLICATIONS, STEP_FOLLOWUP, STEP_ORDER, STEP_POST_RECOVERY, STEP_REFER,
    STEP_REFERRAL_OUTCOME, STEP_SCREENING, CaseState, Due, Event,
)


def due_steps(state: CaseState, category: str, rules: Rules, *, today: date, appetite_done: bool,
              complications_done: bool, events: list[Event]) -> None:
    """Fill ``state.due`` (a referral first, then by date) and ``state.overdue`` (due before ``today``)."""
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
            due += _in_treatment(state, category, rules, today=today)
    due.sort(key=lambda d: (d.step != STEP_REFER, d.on, STEP_ORDER[d.step]))  # a referral comes first
    state.due = due
    state.overdue = [d.step for d in due if d.on < today]


def _in_treatment(state: CaseState, category: str, rules: Rules, *, today: date) -> list[Due]:
    """Managed at the centre: the screening, the next weighing, and the buddy mother (chosen, then her weekly
    visit; ``state.missed_buddy_visits`` counts the weeks gone by without one)."""
    due = []
    if state.screening_due and state.screened_on is None:
        due.append(Due(STEP_SCREENING, state.screening_due))
    since = state.last_followup or state.treatment_from
    if since is not None:
        due.append(Due(STEP_FOLLOWUP, since + timedelta(days=rules.followup_days(category))))
    if not state.buddy_mother and state.treatment_from is not None:
        due.append(Due(STEP_BUDDY_MOTHER, state.treatment_from + timedelta(days=rules.buddy_mother_within_days)))
    if state.buddy_mother and state.buddy_visit_from is not None:
        due.append(Due(STEP_BUDDY_VISIT, state.buddy_visit_from + timedelta(days=rules.buddy_visit_days)))
        # A visit due on day d is missed from day d + 1 on (as a follow-up is).
        state.missed_buddy_visits = max(0, ((today - state.buddy_visit_from).days - 1) // rules.buddy_visit_days)
    return due


def is_relapse(previous: CaseState | None, opened_on: date) -> bool:
    """A new case within the relapse window after a recovery is a relapse of that case."""
    return (previous is not None and previous.outcome == RECOVERED and previous.post_recovery_until is not None
            and previous.recovered_on is not None and previous.recovered_on <= opened_on
            <= previous.post_recovery_until)
