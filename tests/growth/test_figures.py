"""Monthly figures per AWC (for rising cases and, later, the dashboards' rollups) and rising cases."""
from __future__ import annotations

from datetime import date

import pytest

from growth.models import Measurement
from growth.selectors import Figures, monthly_awc_figures, rising_cases
from tests.growth.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")

DOB = date(2025, 5, 1)
NOV, OCT = date(2026, 11, 1), date(2026, 10, 1)
WELL = dict(weight=10.5, lenhei=81.0)
STUNTED = dict(weight=8.8, lenhei=73.0)


def test_each_child_counts_once_by_the_latest_measurement_of_the_month(world, make_child, measure):
    child = make_child(world.awc1, dob=DOB)
    measure(child, on=date(2026, 11, 3), **STUNTED)
    measure(child, on=date(2026, 11, 20), **WELL)
    figures = monthly_awc_figures([world.awc1.pk], NOV)[world.awc1.pk]
    assert figures.measured == 1
    assert figures.stunting == (0, 1)


def test_numerator_is_moderate_plus_severe_and_denominator_the_assessed(world, make_child, measure):
    for body in (STUNTED, WELL, dict(weight=10.5)):  # the last has no length: not in stunting's denominator
        measure(make_child(world.awc1, dob=DOB), on=date(2026, 11, 5), **body)
    figures = monthly_awc_figures([world.awc1.pk], NOV)[world.awc1.pk]
    assert figures.measured == 3
    assert figures.stunting == (1, 2)
    assert figures.underweight == (0, 3)


def test_implausible_values_are_out_of_prevalence(world, make_child, measure):
    measure(make_child(world.awc1, dob=DOB), on=date(2026, 11, 5), weight=3.0, lenhei=81.0)
    measure(make_child(world.awc1, dob=DOB), on=date(2026, 11, 5), **WELL)
    figures = monthly_awc_figures([world.awc1.pk], NOV)[world.awc1.pk]
    assert Measurement.objects.filter(is_implausible=True).count() == 1
    assert figures.underweight == (0, 1)


def test_sam_counts_severe_acute_only(world, make_child, measure):
    measure(make_child(world.awc1, dob=DOB), on=date(2026, 11, 5), **WELL, muac=11.0)   # SAM
    measure(make_child(world.awc1, dob=DOB), on=date(2026, 11, 5), **WELL, muac=12.0)   # MAM
    assert monthly_awc_figures([world.awc1.pk], NOV)[world.awc1.pk].sam == (1, 2)


def test_other_months_and_centres_are_not_counted(world, make_child, measure):
    measure(make_child(world.awc1, dob=DOB), on=date(2026, 10, 30), **STUNTED)
    measure(make_child(world.awc2, dob=DOB), on=date(2026, 11, 5), **STUNTED)
    assert monthly_awc_figures([world.awc1.pk], NOV) == {}


def test_figures_add_up_and_give_prevalence():
    total = Figures(4, (1, 4), (0, 4), (2, 4), (0, 3)) + Figures(6, (2, 6), (1, 6), (0, 6), (0, 0))
    assert total.stunting == (3, 10) and total.prevalence("stunting") == 30.0
    assert Figures().prevalence("sam") is None


def test_rising_cases_put_the_biggest_rise_first(world, make_child, measure, users):
    for awc, stunted_now in ((world.awc1, 1), (world.awc2, 2)):
        for i in range(2):
            child = make_child(awc, dob=DOB)
            measure(child, on=date(2026, 10, 12), **WELL)
            measure(child, on=date(2026, 11, 12), **(STUNTED if i < stunted_now else WELL))
    rows, places = rising_cases(user=users.supervisor, level="awc", month=NOV)
    assert places == 2
    assert [row.location for row in rows] == [world.awc2, world.awc1]
    change = {c.condition: c for c in rows[0].changes}["stunting"]
    assert (change.before, change.now, change.rise) == (0.0, 100.0, 100.0)


def test_rising_cases_add_up_centres_to_sectors(world, make_child, measure, users):
    for awc in (world.awc1, world.awc2, world.awc3):
        measure(make_child(awc, dob=DOB), on=date(2026, 11, 12), **STUNTED)
    rows, _ = rising_cases(user=users.cdpo, level="sector", month=NOV)
    measured = {row.location: row.measured for row in rows}
    assert measured == {world.sector1: 2, world.sector2: 1}


def test_rising_cases_stay_in_the_users_area(world, make_child, measure, users):
    measure(make_child(world.awc3, dob=DOB), on=date(2026, 11, 12), **STUNTED)
    rows, places = rising_cases(user=users.supervisor, level="awc", month=NOV)
    assert (rows, places) == ([], 0)
