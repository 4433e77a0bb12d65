"""The allowance rule (pure): who is paid, how much a quarter, which quarter a day belongs to."""
from datetime import date

import pytest

from anganwadi.allowance import rules


@pytest.mark.parametrize("role", ["aww", "supervisor", "cdpo"])
def test_a_quarter_is_a_quarter_of_the_yearly_rate(role):
    assert rules.entitlement(role=role, annual_rate=2000) == 500


@pytest.mark.parametrize("role", ["awh", "dpo", "state", "ministry", "helpline", "admin", ""])
def test_other_roles_are_not_paid(role):
    assert rules.entitlement(role=role, annual_rate=2000) == 0


def test_pro_rata_by_months_and_never_above_a_year():
    assert rules.entitlement(role="aww", annual_rate=2000, months=12) == 2000
    assert rules.entitlement(role="aww", annual_rate=2000, months=1) == 166  # whole rupees, rounded down
    assert rules.entitlement(role="aww", annual_rate=2000, months=24) == 2000


def test_four_quarters_make_the_yearly_rate():
    assert 4 * rules.entitlement(role="supervisor", annual_rate=2000) == 2000


@pytest.mark.parametrize("day, start, end, fy, q", [
    (date(2026, 4, 1), date(2026, 4, 1), date(2026, 6, 30), "2026-27", 1),
    (date(2026, 11, 27), date(2026, 10, 1), date(2026, 12, 31), "2026-27", 3),
    (date(2027, 3, 31), date(2027, 1, 1), date(2027, 3, 31), "2026-27", 4),
])
def test_financial_year_quarters(day, start, end, fy, q):
    assert rules.quarter_start(day) == start and rules.quarter_end(start) == end
    assert (rules.financial_year(start), rules.quarter_number(start)) == (fy, q)


def test_only_the_first_day_of_a_quarter_names_one():
    assert rules.is_quarter_start(date(2026, 7, 1)) and not rules.is_quarter_start(date(2026, 8, 1))


def test_previous_quarters_cross_the_year():
    assert rules.previous_quarters(date(2027, 2, 10), 3) == [date(2027, 1, 1), date(2026, 10, 1), date(2026, 7, 1)]
