"""Categories come from dates, and change by themselves at each boundary."""
from datetime import date, timedelta

import pytest

from beneficiaries import lifestage
from beneficiaries.lifestage import Category

DOB = date(2024, 1, 10)


@pytest.mark.parametrize("days, band", [
    (0, Category.CHILD_0_6M), (182, Category.CHILD_0_6M), (183, Category.CHILD_6M_3Y),
])
def test_six_month_boundary(days, band):
    assert lifestage.child_band(DOB, DOB + timedelta(days=days)) == band


def test_third_birthday_moves_child_to_3_6_band():
    assert lifestage.child_band(DOB, date(2027, 1, 9)) == Category.CHILD_6M_3Y
    assert lifestage.child_band(DOB, date(2027, 1, 10)) == Category.CHILD_3_6Y


def test_sixth_birthday_ends_childhood_in_the_programme():
    assert lifestage.child_band(DOB, date(2030, 1, 9)) == Category.CHILD_3_6Y
    assert lifestage.child_band(DOB, date(2030, 1, 10)) is None


def test_leap_day_birthday_falls_on_first_of_march():
    leap = date(2024, 2, 29)
    assert lifestage.child_band(leap, date(2027, 2, 28)) == Category.CHILD_6M_3Y
    assert lifestage.child_band(leap, date(2027, 3, 1)) == Category.CHILD_3_6Y


@pytest.mark.parametrize("on, expected", [
    (date(2024, 1, 9), False), (date(2024, 1, 10), True), (date(2028, 1, 10), True), (date(2029, 1, 9), True),
    (date(2029, 1, 10), False),
])
def test_adolescent_from_14th_birthday_until_the_19th(on, expected):
    dob = date(2010, 1, 10)
    assert lifestage.is_adolescent(dob, "F", on, awc_eligible=True) is expected


def test_adolescents_only_girls_in_eligible_centres():
    on = date(2025, 6, 1)
    dob = date(2010, 1, 10)
    assert not lifestage.is_adolescent(dob, "M", on, awc_eligible=True)
    assert not lifestage.is_adolescent(dob, "F", on, awc_eligible=False)


def test_edd_and_trimesters():
    lmp = date(2026, 1, 1)
    assert lifestage.edd(lmp) == date(2026, 10, 8)
    assert lifestage.trimester(lmp, lmp + timedelta(weeks=12, days=6)) == 1
    assert lifestage.trimester(lmp, lmp + timedelta(weeks=13)) == 2
    assert lifestage.trimester(lmp, lmp + timedelta(weeks=28)) == 3


def test_lactating_for_183_days_after_delivery():
    delivered = date(2026, 3, 1)
    assert lifestage.is_lactating(delivered, delivered + timedelta(days=182))
    assert not lifestage.is_lactating(delivered, delivered + timedelta(days=183))
    assert not lifestage.is_lactating(delivered, delivered - timedelta(days=1))


def test_mother_can_be_lactating_and_pregnant_again():
    cats = lifestage.categories(dob=date(1998, 5, 5), sex="F", on=date(2026, 6, 1), awc_eligible=False,
                                pregnant=True, last_delivery=date(2026, 2, 1))
    assert cats == [Category.PREGNANT, Category.LACTATING]
