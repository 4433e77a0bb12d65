"""The protocol's rules on their own (growth.cases.rules): classification, overrides and every path of a case."""
from datetime import date, timedelta

import pytest

from growth.cases import rules as r
from growth.cases.rules import Event, derive

DOB = date(2024, 1, 1)
D0 = date(2026, 1, 5)  # the child is 24 months old


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def ev(kind: str, n: int, **data) -> Event:
    return Event(kind, day(n), data)


def ident(category=r.SAM, **data) -> Event:
    return ev(r.IDENTIFIED, 0, category=category, **data)


def fu(n: int, kg: float, whz: float = -2.5, muac: float = 12.0, **data) -> Event:
    return ev(r.FOLLOWUP, n, weight_kg=kg, whz=whz, muac_cm=muac, **data)


ASSESSED_OK = [ev(r.APPETITE_TEST, 0, result=r.PASSED), ev(r.COMPLICATIONS, 0, signs=[])]


def steps(state) -> list[tuple[str, date]]:
    return [(d.step, d.on) for d in state.due]


@pytest.mark.parametrize("kwargs, expected", [
    ({"age_months": 24, "whz": -3.1}, r.SAM),
    ({"age_months": 24, "muac_cm": 11.4}, r.SAM),
    ({"age_months": 24, "oedema": True}, r.SAM),
    ({"age_months": 24, "whz": -3.0}, r.MAM),
    ({"age_months": 24, "whz": -2.5, "muac_cm": 13.0}, r.MAM),
    ({"age_months": 24, "muac_cm": 11.5}, r.MAM),
    ({"age_months": 24, "muac_cm": 12.4, "waz": -3.5}, r.MAM),
    ({"age_months": 24, "whz": -1.0, "muac_cm": 13.0, "waz": -3.2}, r.SUW),
    ({"age_months": 24, "whz": -2.0, "muac_cm": 12.5, "waz": -3.0}, None),
    ({"age_months": 24, "whz": float("nan"), "muac_cm": None}, None),
    ({"age_months": 3, "whz": -3.5}, r.AT_RISK),
    ({"age_months": 3, "oedema": True}, r.AT_RISK),
    ({"age_months": 3, "waz": -3.1}, r.AT_RISK),
    ({"age_months": 5, "not_gaining": True}, r.AT_RISK),
    ({"age_months": 5, "whz": -2.5, "muac_cm": 11.0}, None),  # MUAC and MAM apply from 6 months
    ({"age_months": 59, "whz": -3.5}, r.SAM),
    ({"age_months": 60, "whz": -3.5}, None),
])
def test_classify(kwargs, expected):
    assert r.classify(**kwargs) == expected


def test_a_state_sets_its_own_values_without_code():
    rules = r.rules_with({"sam_muac_cm": 11.0, "followup_days_mam": 7, "danger_signs": ["convulsions"],
                          "version": "MH-2024"})
    assert (rules.sam_muac_cm, rules.followup_days("mam"), rules.danger_signs, rules.version) == (
        11.0, 7, ("convulsions",), "MH-2024")
    assert r.classify(age_months=24, muac_cm=11.2, rules=rules) == r.MAM
    assert r.rules_with(None) is r.DEFAULT_RULES
    state = derive([ident(r.MAM)], dob=DOB, today=D0, rules=rules)
    assert (r.STEP_FOLLOWUP, day(7)) in steps(state)


@pytest.mark.parametrize("overrides, message", [
    ({"sam_whz_typo": -3}, "not a rule"),
    ({"followup_days_sam": "7"}, "whole number"),
    ({"followup_days_sam": -1}, "whole number"),
    ({"followup_days_sam": 0}, "at least 1"),
    ({"sam_whz": True}, "true or false"),
    ({"sam_whz": "low"}, "number"),
    ({"danger_signs": "fever"}, "list of names"),
    ({"sam_muac_cm": 13.0}, "below the MAM"),
    ({"screening_from_days": 9}, "start before"),
    (["sam_whz"], "JSON object"),
])
def test_overrides_that_cannot_be_used_are_refused_with_a_reason(overrides, message):
    with pytest.raises(r.RulesError, match=message):
        r.rules_with(overrides)


def test_a_case_starts_with_its_identification():
    with pytest.raises(ValueError):
        derive([ev(r.FOLLOWUP, 0)], dob=DOB, today=D0)
    with pytest.raises(ValueError):
        derive([ev(r.IDENTIFIED, 0, category="thin")], dob=DOB, today=D0)


def test_sam_child_waits_for_appetite_test_and_danger_signs():
    state = derive([ident(weight_kg=8.0)], dob=DOB, today=D0)
    assert (state.status, state.level, state.is_open) == (r.ASSESSMENT, r.CENTRE, True)
    assert steps(state) == [(r.STEP_APPETITE_TEST, D0), (r.STEP_COMPLICATIONS, D0)]
    assert derive([ident()], dob=DOB, today=day(1)).overdue == [r.STEP_APPETITE_TEST, r.STEP_COMPLICATIONS]


def test_uncomplicated_sam_managed_at_the_centre_with_screening_in_3_to_5_days():
    state = derive([ident(weight_kg=8.0), *ASSESSED_OK], dob=DOB, today=D0)
    assert (state.status, state.level, state.treatment_from) == (r.IN_TREATMENT, r.CENTRE, D0)
    assert steps(state) == [(r.STEP_SCREENING, day(5)), (r.STEP_FOLLOWUP, day(7)), (r.STEP_BUDDY_MOTHER, day(7))]
    assert derive([ident(), *ASSESSED_OK], dob=DOB, today=day(6)).overdue == [r.STEP_SCREENING]
    screened = derive([ident(), *ASSESSED_OK, ev(r.SCREENED, 4), ev(r.BUDDY_MOTHER, 2)], dob=DOB, today=day(6))
    assert (screened.overdue, steps(screened)) == ([], [(r.STEP_FOLLOWUP, day(7)), (r.STEP_BUDDY_VISIT, day(9))])
    assert screened.screened_on == day(4) and screened.buddy_mother


@pytest.mark.parametrize("assessment, why", [
    ([ev(r.APPETITE_TEST, 0, result=r.FAILED), ev(r.COMPLICATIONS, 0, signs=[])], [r.WHY_APPETITE]),
    ([ev(r.APPETITE_TEST, 0, result=r.PASSED), ev(r.COMPLICATIONS, 0, signs=["convulsions"])],
     [r.WHY_COMPLICATION]),
    ([ev(r.APPETITE_TEST, 1, result=r.FAILED), ev(r.COMPLICATIONS, 1, signs=["fever", "lethargy"])],
     [r.WHY_APPETITE, r.WHY_COMPLICATION]),
])
def test_failed_appetite_test_or_a_danger_sign_means_the_nrc(assessment, why):
    state = derive([ident(), *assessment], dob=DOB, today=day(1))
    assert (state.status, state.refer_because) == (r.ASSESSMENT, why)
    assert steps(state) == [(r.STEP_REFER, assessment[-1].on)]
    assert state.screening_due is None


def test_appetite_test_not_done_keeps_the_child_at_the_centre():
    state = derive([ident(), ev(r.APPETITE_TEST, 0, result=r.NOT_DONE, reason="child asleep"),
                    ev(r.COMPLICATIONS, 0, signs=[])], dob=DOB, today=D0)
    assert (state.status, state.appetite, state.refer_because) == (r.IN_TREATMENT, r.NOT_DONE, [])


def test_oedema_goes_to_the_nrc_and_comes_back_to_the_centre():
    events = [ident(oedema=True, weight_kg=9.0)]
    state = derive(events, dob=DOB, today=D0)
    assert (state.refer_because, steps(state)) == ([r.WHY_OEDEMA], [(r.STEP_REFER, D0)])
    events.append(ev(r.REFERRED, 1, facility="NRC Sagar"))
    state = derive(events, dob=DOB, today=day(2))
    assert (state.status, state.level, steps(state)) == (r.REFERRAL_PENDING, r.NRC, [(r.STEP_REFERRAL_OUTCOME, day(8))])
    assert derive(events, dob=DOB, today=day(9)).overdue == [r.STEP_REFERRAL_OUTCOME]
    events.append(ev(r.REFERRAL_OUTCOME, 2, outcome=r.ADMITTED))
    state = derive(events, dob=DOB, today=day(20))
    assert (state.status, state.level, state.due, state.nrc_admissions) == (r.AT_NRC, r.NRC, [], 1)
    events.append(ev(r.REFERRAL_OUTCOME, 16, outcome=r.RETURNED, weight_kg=8.6))
    state = derive(events, dob=DOB, today=day(16))
    assert (state.status, state.level, state.nrc_returns, state.treatment_from) == (r.IN_TREATMENT, r.CENTRE, 1, day(16))
    assert steps(state) == [(r.STEP_SCREENING, day(21)), (r.STEP_FOLLOWUP, day(23)), (r.STEP_BUDDY_MOTHER, day(23))]
    # Two weekly follow-ups meeting the criteria, oedema gone for over two weeks: recovered.
    events += [fu(23, 9.0, whz=-1.9, muac=12.6), fu(30, 9.3, whz=-1.8, muac=12.8)]
    state = derive(events, dob=DOB, today=day(30))
    assert (state.status, state.outcome, state.closed_on, state.length_of_stay_days) == (
        r.CLOSED, r.RECOVERED, day(30), 30)
    assert state.weight_gain_g_kg_day == round((9.3 - 8.6) * 1000 / (8.6 * 14), 1)


@pytest.mark.parametrize("outcome", [r.NOT_ADMITTED, r.REFUSED])
def test_a_referral_not_taken_up_continues_at_the_centre(outcome):
    state = derive([ident(oedema=True), ev(r.REFERRED, 0), ev(r.REFERRAL_OUTCOME, 3, outcome=outcome)],
                   dob=DOB, today=day(3))
    assert (state.status, state.level, state.refer_because) == (r.IN_TREATMENT, r.CENTRE, [])
    assert (r.STEP_FOLLOWUP, day(10)) in steps(state)


def test_sam_recovers_after_two_consecutive_follow_ups_meeting_the_criteria():
    events = [ident(weight_kg=8.0, whz=-3.4, muac_cm=11.2), *ASSESSED_OK,
              fu(7, 8.3, whz=-2.4, muac=12.0), fu(14, 8.6, whz=-1.9, muac=12.6), fu(21, 8.7, whz=-2.1, muac=12.7),
              fu(28, 8.9, whz=-1.8, muac=12.7)]
    state = derive(events[:-1], dob=DOB, today=day(21))
    assert state.is_open and (r.STEP_FOLLOWUP, day(28)) in steps(state)
    state = derive(events + [fu(35, 9.1, whz=-1.7, muac=12.9)], dob=DOB, today=day(40))
    assert (state.outcome, state.closed_on, state.followups) == (r.RECOVERED, day(35), 5)
    assert state.weight_gain_g_kg_day == round(1.1 * 1000 / (8.0 * 35), 1)
    # Monthly follow-up for three months after recovery; follow-ups then move it on, nothing reopens.
    assert steps(state) == [(r.STEP_POST_RECOVERY, day(65))]
    later = derive(events + [fu(35, 9.1, whz=-1.7, muac=12.9), fu(66, 9.6, whz=-1.5, muac=13.0)],
                   dob=DOB, today=day(70))
    assert (later.outcome, steps(later)) == (r.RECOVERED, [(r.STEP_POST_RECOVERY, day(96))])
    assert derive(events + [fu(35, 9.1, whz=-1.7, muac=12.9)], dob=DOB, today=day(200)).overdue == [
        r.STEP_POST_RECOVERY]


def test_no_oedema_for_the_state_period_before_recovery():
    rules = r.rules_with({"recovered_no_oedema_days": 30})
    events = [ident(r.MAM, weight_kg=9.0), fu(14, 9.2, whz=-1.9, muac=12.6, oedema=False),
              fu(28, 9.4, whz=-1.8, muac=12.7)]
    assert derive(events, dob=DOB, today=day(28), rules=rules).outcome == r.RECOVERED
    events = [ident(r.SAM, oedema=True, weight_kg=9.0), ev(r.REFERRED, 0), ev(r.REFERRAL_OUTCOME, 7, outcome=r.RETURNED),
              fu(14, 9.2, whz=-1.9, muac=12.6), fu(21, 9.4, whz=-1.8, muac=12.7)]
    assert derive(events, dob=DOB, today=day(21), rules=rules).is_open
    events.append(fu(35, 9.6, whz=-1.7, muac=12.8))
    assert derive(events, dob=DOB, today=day(35), rules=rules).outcome == r.RECOVERED


@pytest.mark.parametrize("followups, why", [
    ([fu(7, 8.0), fu(14, 8.0)], [r.WHY_NO_GAIN]),                 # no rise twice
    ([fu(7, 7.9), fu(14, 7.8)], [r.WHY_NO_GAIN]),                 # falling
    ([fu(7, 8.2, appetite=r.FAILED)], [r.WHY_APPETITE]),
    ([fu(7, 8.2, oedema=True)], [r.WHY_OEDEMA]),
    ([fu(7, 8.2, complications=["breathing_difficulty"])], [r.WHY_COMPLICATION]),
])
def test_escalation_at_follow_up(followups, why):
    state = derive([ident(weight_kg=8.0), *ASSESSED_OK, *followups], dob=DOB, today=followups[-1].on)
    assert (state.status, state.refer_because) == (r.IN_TREATMENT, why)
    assert state.next_step == r.Due(r.STEP_REFER, followups[-1].on)


def test_one_follow_up_without_gain_is_not_yet_an_escalation():
    state = derive([ident(weight_kg=8.0), *ASSESSED_OK, fu(7, 7.9), fu(14, 8.2), fu(21, 8.2)], dob=DOB, today=day(21))
    assert state.refer_because == []


def test_mam_getting_worse_becomes_sam_and_is_assessed():
    state = derive([ident(r.MAM, weight_kg=9.0), fu(14, 9.0, whz=-3.2, category=r.SAM)], dob=DOB, today=day(14))
    assert (state.category, state.status) == (r.SAM, r.ASSESSMENT)
    assert steps(state)[:2] == [(r.STEP_APPETITE_TEST, D0), (r.STEP_COMPLICATIONS, D0)]
    state = derive([ident(r.MAM, weight_kg=9.0), fu(14, 9.1, whz=-3.2, category=r.SAM),
                    ev(r.APPETITE_TEST, 15, result=r.PASSED), ev(r.COMPLICATIONS, 15, signs=[])], dob=DOB, today=day(15))
    assert (state.status, state.screening_due) == (r.IN_TREATMENT, day(20))
    assert (r.STEP_FOLLOWUP, day(21)) in steps(state)  # weekly now


def test_mam_follow_up_every_two_weeks_and_non_responder_at_16_weeks():
    events = [ident(r.MAM, weight_kg=9.0)] + [fu(14 * k, 9.0 + 0.05 * k, whz=-2.5) for k in range(1, 8)]
    state = derive(events, dob=DOB, today=day(98))
    assert state.is_open and steps(state) == [(r.STEP_BUDDY_MOTHER, day(7)), (r.STEP_FOLLOWUP, day(112))]
    state = derive(events, dob=DOB, today=day(112))
    assert (state.outcome, state.closed_on, state.refer_because) == (r.NON_RESPONDER, day(112), [r.WHY_NON_RESPONDER])


def test_three_missed_follow_ups_is_default():
    events = [ident(weight_kg=8.0), *ASSESSED_OK, ev(r.SCREENED, 3), ev(r.BUDDY_MOTHER, 1), fu(7, 8.2)]
    assert derive(events, dob=DOB, today=day(14)).missed_followups == 0
    state = derive(events, dob=DOB, today=day(28))
    assert (state.missed_followups, state.overdue, state.is_open) == (2, [r.STEP_BUDDY_VISIT, r.STEP_FOLLOWUP], True)
    state = derive(events, dob=DOB, today=day(29))
    assert (state.outcome, state.closed_on, state.due) == (r.DEFAULTED, day(29), [])
    # A follow-up after default belongs to a new case.
    assert derive(events + [fu(30, 8.3)], dob=DOB, today=day(30)).outcome == r.DEFAULTED


def test_sam_child_without_follow_up_for_ten_days_alerts_the_supervisor():
    events = [ident(weight_kg=8.0), *ASSESSED_OK, fu(7, 8.2)]
    assert not derive(events, dob=DOB, today=day(16)).sam_no_followup_alert
    assert derive(events, dob=DOB, today=day(17)).sam_no_followup_alert
    assert not derive([ident(r.MAM), fu(7, 9.0)], dob=DOB, today=day(17)).sam_no_followup_alert


def test_death_and_other_recorded_exits_close_the_case():
    state = derive([ident(), *ASSESSED_OK, ev(r.EXIT, 9, outcome=r.DIED)], dob=DOB, today=day(20))
    assert (state.status, state.outcome, state.closed_on, state.due) == (r.CLOSED, r.DIED, day(9), [])
    state = derive([ident(oedema=True), ev(r.REFERRED, 0), ev(r.REFERRAL_OUTCOME, 1, outcome=r.ADMITTED),
                    ev(r.EXIT, 40, outcome=r.REFERRED_NOT_RETURNED)], dob=DOB, today=day(41))
    assert (state.outcome, state.nrc_admissions) == (r.REFERRED_NOT_RETURNED, 1)


def test_the_case_travels_with_the_child():
    events = [ident(), *ASSESSED_OK, fu(7, 8.2), ev(r.TRANSFERRED, 9, to_awc=42), fu(14, 8.4)]
    state = derive(events, dob=DOB, today=day(14))
    assert (state.is_open, state.transfers, state.followups) == (True, 1, 2)
    state = derive(events + [ev(r.TRANSFERRED, 15, out_of_area=True), ev(r.EXIT, 15, outcome=r.MOVED)],
                   dob=DOB, today=day(15))
    assert (state.outcome, state.transfers) == (r.MOVED, 2)


def test_a_child_ageing_past_59_months_leaves_treatment_on_the_60_month_birthday():
    dob = date(2021, 1, 20)  # 60 months on 2026-01-20 = day 15
    events = [ident(weight_kg=11.0), *ASSESSED_OK, fu(7, 11.2)]
    assert derive(events, dob=dob, today=day(14)).is_open
    state = derive(events, dob=dob, today=day(16))
    assert (state.outcome, state.closed_on) == (r.AGED_OUT, date(2026, 1, 20))
    assert derive(events + [fu(21, 11.5, whz=-1.5, muac=13.0)], dob=dob, today=day(30)).outcome == r.AGED_OUT


def test_infant_at_risk_is_referred_and_followed_weekly_after():
    dob = D0 - timedelta(days=90)
    events = [ident(r.AT_RISK, weight_kg=3.9)]
    state = derive(events, dob=dob, today=D0)
    assert (state.status, state.refer_because, steps(state)) == (r.IN_TREATMENT, [r.WHY_INFANT], [(r.STEP_REFER, D0)])
    events += [ev(r.REFERRED, 0), ev(r.REFERRAL_OUTCOME, 2, outcome=r.RETURNED, weight_kg=4.0)]
    state = derive(events, dob=dob, today=day(2))
    assert (state.status, state.refer_because) == (r.IN_TREATMENT, [])
    assert (r.STEP_FOLLOWUP, day(9)) in steps(state)


def test_severely_underweight_is_screened_and_recovers_on_weight_for_age():
    events = [ident(r.SUW, weight_kg=8.5, waz=-3.3)]
    state = derive(events, dob=DOB, today=D0)
    assert steps(state) == [(r.STEP_SCREENING, day(5)), (r.STEP_BUDDY_MOTHER, day(7)), (r.STEP_FOLLOWUP, day(14))]
    events += [ev(r.FOLLOWUP, 14, weight_kg=8.9, waz=-2.9), ev(r.FOLLOWUP, 28, weight_kg=9.2, waz=-2.8)]
    assert derive(events, dob=DOB, today=day(28)).outcome == r.RECOVERED


def test_relapse_window():
    recovered = derive([ident(r.MAM, weight_kg=9.0), fu(14, 9.2, whz=-1.9, muac=12.6),
                        fu(28, 9.4, whz=-1.8, muac=12.7)], dob=DOB, today=day(28))
    assert recovered.outcome == r.RECOVERED
    assert r.is_relapse(recovered, day(60)) and r.is_relapse(recovered, day(28 + 91))
    assert not r.is_relapse(recovered, day(28 + 92))
    died = derive([ident(), ev(r.EXIT, 3, outcome=r.DIED)], dob=DOB, today=day(3))
    assert not r.is_relapse(died, day(10)) and not r.is_relapse(None, day(10))


def test_counselling_and_helpers():
    state = derive([ident(r.MAM), ev(r.COUNSELLED, 1, topic="feeding"), ev(r.COUNSELLED, 8)], dob=DOB, today=day(8))
    assert state.counselling == 2
    assert r.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert r.age_in_months(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert r.gain_g_kg_day(8.0, D0, 8.0, D0) is None


def test_a_default_long_ago_stays_a_default_after_the_16_weeks():
    events = [ident(weight_kg=8.0), *ASSESSED_OK, fu(7, 8.2), fu(14, 8.3)]
    state = derive(events, dob=DOB, today=day(140))
    assert (state.outcome, state.closed_on) == (r.DEFAULTED, day(36))


def test_buddy_mothers_visit_is_due_every_week_until_the_case_closes():
    chosen = [ident(weight_kg=8.0), *ASSESSED_OK, ev(r.SCREENED, 3), ev(r.BUDDY_MOTHER, 2)]
    state = derive(chosen, dob=DOB, today=day(9))
    assert (r.STEP_BUDDY_VISIT, day(9)) in steps(state) and r.STEP_BUDDY_VISIT not in state.overdue
    assert (state.missed_buddy_visits, state.buddy_visits) == (0, 0)
    # Not visited: overdue from the day after, one more week missed every 7 days.
    late = derive(chosen, dob=DOB, today=day(10))
    assert r.STEP_BUDDY_VISIT in late.overdue and late.missed_buddy_visits == 1
    assert derive(chosen, dob=DOB, today=day(17)).missed_buddy_visits == 2
    # Each visit moves the next one a week on.
    visited = chosen + [fu(7, 8.2), ev(r.BUDDY_VISIT, 9), ev(r.BUDDY_VISIT, 16)]
    state = derive(visited, dob=DOB, today=day(16))
    assert (state.buddy_visits, state.missed_buddy_visits) == (2, 0)
    assert (r.STEP_BUDDY_VISIT, day(23)) in steps(state) and r.STEP_BUDDY_VISIT not in state.overdue
    # A visit before any buddy mother is chosen counts for nothing; none is due until she is.
    assert derive([ident(), *ASSESSED_OK, ev(r.BUDDY_VISIT, 1)], dob=DOB, today=day(3)).buddy_visits == 0
    # Closed: no visit is due any more, however long ago the last one was.
    closed = derive(visited + [ev(r.EXIT, 18, outcome=r.MOVED)], dob=DOB, today=day(40))
    assert (closed.status, closed.due, closed.overdue) == (r.CLOSED, [], [])


def test_buddy_mothers_visits_pause_at_the_nrc_and_start_again_from_the_return():
    events = [ident(weight_kg=8.0), *ASSESSED_OK, ev(r.BUDDY_MOTHER, 1), fu(7, 8.2, oedema=True),
              ev(r.REFERRED, 7, facility="NRC"), ev(r.REFERRAL_OUTCOME, 8, outcome=r.ADMITTED)]
    at_nrc = derive(events, dob=DOB, today=day(20))
    assert at_nrc.status == r.AT_NRC and r.STEP_BUDDY_VISIT not in [d.step for d in at_nrc.due]
    back = derive(events + [ev(r.REFERRAL_OUTCOME, 22, outcome=r.RETURNED, weight_kg=8.6)], dob=DOB, today=day(22))
    assert (r.STEP_BUDDY_VISIT, day(29)) in steps(back) and back.missed_buddy_visits == 0
