"""A past day's categories do not change when a later fact is recorded: a woman who delivered on the 1st was pregnant
on the last day of the month before, also when that month is counted after the delivery was recorded."""
from __future__ import annotations

from datetime import date

import time_machine

from beneficiaries.lifestage import Category
from beneficiaries.models import Beneficiary, Pregnancy
from beneficiaries.selectors import category_q, served_by_category
from beneficiaries.services import NewbornInput, delivery_record
from tests.factories import make_household, make_person


def test_a_delivery_on_the_first_leaves_her_pregnant_on_the_last_day_of_the_month_before(world, users):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        sita = make_person(make_household(world.awc1, actor=users.aww), actor=users.aww, name="Sita",
                           dob=date(1998, 3, 3), enrol_as="pregnant", lmp=date(2025, 9, 1))
    with time_machine.travel(date(2026, 6, 1), tick=False):
        delivery_record(actor=users.aww, pregnancy=Pregnancy.objects.get(woman=sita), delivery_date=date(2026, 6, 1),
                        outcome=Pregnancy.Outcome.LIVE_BIRTH, newborns=[NewbornInput("Baby of Sita", "F", None)])
    may_31, june_1 = date(2026, 5, 31), date(2026, 6, 1)
    pregnant = Beneficiary.objects.filter(category_q(Category.PREGNANT, may_31))
    lactating = Beneficiary.objects.filter(category_q(Category.LACTATING, may_31))
    assert list(pregnant) == [sita] and not lactating.exists()
    assert not Beneficiary.objects.filter(category_q(Category.PREGNANT, june_1)).exists()
    assert list(Beneficiary.objects.filter(category_q(Category.LACTATING, june_1))) == [sita]
    served, tests = served_by_category(awc_ids=[world.awc1.pk], on=may_31)
    assert served.filter(tests[str(Category.PREGNANT)]).count() == 1
