"""The supervision rules as a table: what holds for a centre on a day, the month's norms, quiet hours, rate limit."""
from __future__ import annotations

from datetime import date, time

import pytest

from poshan.supervision import rules
from poshan.supervision.rules import CentreFacts, Finding

TODAY = date(2026, 11, 20)  # 30 days in November: day 20 is two thirds of the month


def held(facts: CentreFacts, today: date = TODAY, **kwargs) -> set[str]:
    return {f.condition for f in rules.findings(facts, today, **kwargs)}


FRESH = dict(last_submission=date(2026, 11, 19), last_vhsnd=date(2026, 11, 1))


@pytest.mark.parametrize(("last_submission", "expected"), [
    (date(2026, 11, 14), set()),  # 6 days
    (date(2026, 11, 13), {rules.NO_SUBMISSION_7}),  # 7 days
    (date(2026, 10, 22), {rules.NO_SUBMISSION_7}),  # 29 days
    (date(2026, 10, 21), {rules.NO_SUBMISSION_7, rules.NO_SUBMISSION_30}),  # 30 days
    (None, {rules.NO_SUBMISSION_7, rules.NO_SUBMISSION_30}),  # never
])
def test_no_submission_for_7_days_tells_the_supervisor_and_30_the_cdpo(last_submission, expected):
    facts = CentreFacts(1, **{**FRESH, "last_submission": last_submission})
    assert held(facts) == expected


@pytest.mark.parametrize(("last_vhsnd", "fires"), [
    (date(2026, 10, 15), False),  # 36 days
    (date(2026, 10, 14), True),  # 37 days
    (None, True),
])
def test_no_vhsnd_for_37_days(last_vhsnd, fires):
    assert (rules.NO_VHSND in held(CentreFacts(1, **{**FRESH, "last_vhsnd": last_vhsnd}))) is fires


@pytest.mark.parametrize(("today", "due", "expected"), [
    (date(2026, 11, 7), 30, 0),  # the first week is not judged
    (date(2026, 11, 8), 30, 8),
    (date(2026, 11, 20), 30, 20),
    (date(2026, 11, 30), 30, 30),
    (date(2026, 11, 20), 0, 0),
    (date(2026, 2, 14), 28, 14),  # February: half the month
])
def test_the_norm_so_far_is_pro_rata_after_the_first_week(today, due, expected):
    assert rules.expected_so_far(due, 1.0, today) == expected


@pytest.mark.parametrize(("done", "finding"), [
    (20, None), (25, None), (19, Finding(rules.HOME_VISITS_LOW, 1)), (0, Finding(rules.HOME_VISITS_LOW, 20)),
])
def test_home_visits_under_the_norm_for_the_month_so_far(done, finding):
    found = [f for f in rules.findings(CentreFacts(1, **FRESH, visits_due=30, visits_done=done), TODAY)
             if f.condition == rules.HOME_VISITS_LOW]
    assert found == ([finding] if finding else [])


def test_weighing_under_the_norm_counts_the_children_missing():
    found = rules.findings(CentreFacts(1, **FRESH, children_due=15, children_weighed=4), TODAY)
    assert found == [Finding(rules.WEIGHING_LOW, 10 - 4)]


def test_only_the_conditions_asked_for_are_worked_out():
    facts = CentreFacts(1)  # nothing ever: everything about dates holds
    assert held(facts, only=rules.conditions_for("cdpo")) == {rules.NO_SUBMISSION_30}
    assert held(facts, only=rules.conditions_for("supervisor")) == {rules.NO_SUBMISSION_7, rules.NO_VHSND}
    assert rules.conditions_for("aww") == ()


def test_transitions_open_what_newly_holds_and_clear_what_stopped():
    open_now = {("a", 1), ("b", 2)}
    holding = {("b", 2), ("c", 3)}
    assert rules.transitions(open_now, holding) == ({("c", 3)}, {("a", 1)})
    assert rules.transitions(holding, holding) == (set(), set())


@pytest.mark.parametrize(("at", "quiet"), [
    (time(7, 59), True), (time(8, 0), False), (time(14, 0), False), (time(20, 59), False), (time(21, 0), True),
    (time(0, 30), True),
])
def test_quiet_hours_are_21_to_8(at, quiet):
    assert rules.in_quiet_hours(at) is quiet
    assert rules.may_send_sms(at, 0) is not quiet


def test_one_sms_per_condition_per_person_per_day():
    assert rules.may_send_sms(time(10, 0), 0)
    assert not rules.may_send_sms(time(10, 0), rules.SMS_PER_CONDITION_PER_DAY)


@pytest.mark.parametrize(("visits", "short"), [(0, 1), (1, 0), (3, 0)])
def test_each_centre_is_visited_at_least_once_a_month(visits, short):
    assert rules.VISITS_PER_AWC_PER_MONTH == 1
    assert rules.visits_short(visits) == short


def test_the_checklist_and_the_models_agree():
    from poshan.supervision.models import ChecklistItem, Condition, Owner, VhsndService

    assert tuple(ChecklistItem.values) == rules.CHECKLIST
    assert set(Condition.values) == set(rules.CONDITIONS)
    assert tuple(Owner.values) == rules.ACTION_OWNERS
    assert tuple(VhsndService.values) == rules.VHSND_SERVICES


def test_the_rules_module_is_pure():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "calendar", "dataclasses", "datetime"}
