"""Due, claimed, paid and pending per area, one level down, for a quarter."""
from __future__ import annotations

from datetime import date

import pytest

from anganwadi.allowance.selectors import allowance_figures
from anganwadi.allowance.services import allowance_claim_submit, allowance_pay

from .conftest import Q2, Q3


@pytest.fixture
def quarter(world, users, make_user, claim):
    """state1: the worker (claimed 450, paid), her supervisor (claimed 500, pending), the block coordinator
    (nothing claimed) in district1; another worker in district2 (nothing claimed)."""
    make_user("aww", world.awc5)
    allowance_claim_submit(actor=users.supervisor, period_start=Q3, amount=500)
    allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 11, 26))


def _by_place(rows):
    return {(row.location.name if row.location else None): row.money for row in rows}


def test_state_sees_its_districts(world, quarter):
    rows, total = allowance_figures(location=world.state1, period_start=Q3)
    by_place = _by_place(rows)
    d1, d2 = by_place[world.district1.name], by_place[world.district2.name]
    assert (d1.people, d1.due, d1.claimed, d1.paid, d1.pending, d1.unclaimed) == (3, 1500, 950, 450, 500, 550)
    assert (d2.people, d2.due, d2.claimed) == (1, 500, 0)
    assert (total.due, total.paid, total.pending) == (2000, 450, 500)


def test_sector_shows_its_centres_and_its_own_supervisor(world, quarter):
    rows, total = allowance_figures(location=world.sector1, period_start=Q3)
    by_place = _by_place(rows)
    assert (by_place[world.awc1.name].paid, by_place[world.awc1.name].due) == (450, 500)
    assert (by_place[None].people, by_place[None].pending) == (1, 500)  # the supervisor herself
    assert total.due == 1000


def test_another_quarter_has_nothing_claimed(world, quarter):
    _rows, total = allowance_figures(location=world.state1, period_start=Q2)
    assert (total.due, total.claimed, total.paid) == (2000, 0, 0)


def test_nation_groups_by_state(world, quarter):
    rows, total = allowance_figures(location=None, period_start=Q3)
    assert {row.location.pk for row in rows} == {world.state1.pk}
    assert total.claimed == 950


def test_figures_cost_a_fixed_number_of_queries(world, quarter, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        allowance_figures(location=world.state1, period_start=Q3)
