"""Dashboard figures: open, overdue, resolved in SLA %, by category and by area — over the user's area only."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from grievances import services
from grievances.selectors import grievance_figures
from poshan.core.roles import Role

T0 = dt.datetime(2026, 4, 6, 6, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def spread(world, users, make_user, lodge):
    """In district1: awc1 (project1) — 1 resolved in SLA, 1 resolved late, 1 overdue, 1 open;
    awc4 (project2) — 1 open. In state2: awc6 — 1 open."""
    awc4_worker = make_user(Role.AWW, world.awc4)
    awc6_worker = make_user(Role.AWW, world.awc6)
    with time_machine.travel(T0, tick=False):
        in_sla, late, overdue = lodge(category="app"), lodge(category="supplies"), lodge(category="device")
        lodge(category="payment")
        lodge(actor=awc4_worker, category="app")
        lodge(actor=awc6_worker, category="app")
    with time_machine.travel(T0 + dt.timedelta(hours=10), tick=False):
        services.grievance_start(actor=users.cdpo, grievance=in_sla)
        services.grievance_resolve(actor=users.cdpo, grievance=in_sla, note="Done in time.")
    with time_machine.travel(T0 + dt.timedelta(hours=100), tick=False):
        services.grievance_start(actor=users.cdpo, grievance=late)
        services.grievance_resolve(actor=users.cdpo, grievance=late, note="Done late.")
    return overdue


def figures_at(user, hours=130, month=None):
    return grievance_figures(user, month=month, now=T0 + dt.timedelta(hours=hours))


def test_totals_for_a_district(spread, users):
    figures = figures_at(users.dpo)
    assert (figures.totals.total, figures.open, figures.overdue) == (5, 3, 2)  # device (120 h) and awc4's app
    assert figures.resolved_in_sla_pct == 50.0


def test_by_category(spread, users):
    rows = {row.key: row for row in figures_at(users.dpo).by_category}
    assert (rows["app"].total, rows["app"].resolved_in_sla, rows["app"].overdue) == (2, 1, 1)
    assert rows["supplies"].resolved_in_sla_pct == 0.0
    assert rows["other"].total == 0 and rows["other"].resolved_in_sla_pct is None


def test_by_area_is_one_row_per_child_of_the_users_area(world, spread, users):
    rows = {row.key: row for row in figures_at(users.dpo).by_area}
    assert set(rows) == {world.project1.pk, world.project2.pk}
    assert (rows[world.project1.pk].total, rows[world.project2.pk].total) == (4, 1)


def test_nation_by_area_is_by_state(world, spread, users):
    rows = {row.key: row.total for row in figures_at(users.ministry).by_area}
    assert rows == {world.state1.pk: 5, world.state2.pk: 1}


def test_month_keeps_grievances_lodged_that_month(spread, users):
    assert figures_at(users.dpo, month=dt.date(2026, 4, 1)).totals.total == 5
    assert figures_at(users.dpo, month=dt.date(2026, 3, 1)).totals.total == 0


def test_figures_never_count_outside_the_area(world, spread, make_user):
    other_dpo = make_user(Role.DPO, world.district3)
    assert figures_at(other_dpo).totals.total == 1


def test_figures_take_a_bounded_number_of_queries(spread, users, django_assert_max_num_queries):
    vars(users.dpo).pop("_area_cache", None)  # count the area lookup too
    with django_assert_max_num_queries(6):
        figures_at(users.dpo)


def test_figures_page_shows_the_area(world, spread, users, login):
    page = login(users.dpo).get(reverse("grievances:figures")).content.decode()
    assert world.project1.name in page and world.project2.name in page
    assert "50%" in page
    assert world.state2.name not in page


def test_figures_page_is_for_officers(users, login):
    assert login(users.aww).get(reverse("grievances:figures")).status_code == 403


def test_figures_page_month_filter(spread, users, login):
    page = login(users.dpo).get(reverse("grievances:figures"), {"month": "2026-03"}).content.decode()
    assert "March 2026" in page
