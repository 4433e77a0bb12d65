"""ICDS-CAS's service-delivery and underage-mother figures: counted in the rollups from the facts, shown on the
dashboard at every level."""
from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from anganwadi.services import awc_day_open
from beneficiaries import services as people
from poshan.core.roles import Level
from poshan.dashboards.models import AreaMonth
from poshan.dashboards.rollups.refresh import refresh_month
from tests.factories import make_household, make_person

MONTH = date(2026, 11, 1)


def at(day: date):
    return time_machine.travel(f"{day.isoformat()} 05:00:00+00:00", tick=False)


@pytest.fixture
def month_at_the_centre(world, users):
    aww = users.aww
    with at(date(2026, 10, 20)):
        home = make_household(world.awc1)
        every_day = make_person(home, name="Asha", sex="F", dob=date(2022, 5, 1), enrol_as="child")
        most_days = make_person(home, name="Binu", sex="M", dob=date(2022, 7, 1), enrol_as="child")
        make_person(make_household(world.awc1), name="Young mother", dob=date(2009, 6, 1), enrol_as="pregnant",
                    lmp=date(2026, 6, 1))           # 17 on 30 November
        make_person(make_household(world.awc1), name="Young lactating", dob=date(2009, 1, 1), enrol_as="lactating",
                    delivery_date=date(2026, 10, 1))  # 17
        make_person(make_household(world.awc1), name="Nineteen", dob=date(2007, 1, 1), enrol_as="pregnant",
                    lmp=date(2026, 6, 1))           # 19: not under 18
        make_person(make_household(world.awc1), name="Eighteen today", dob=date(2008, 11, 30), enrol_as="pregnant",
                    lmp=date(2026, 6, 1))           # 18 on the figures day: not under 18
    for n in range(1, 22):  # 21 days at the pre-school; the meal on 10 of them (not 21)
        day = date(2026, 11, n)
        with at(day):
            awc_day_open(actor=aww, awc=world.awc1, day=day, opened_at=time(9))
            present = [every_day.pk] + ([most_days.pk] if n > 1 else [])  # Binu: 20 days
            people.attendance_record(actor=aww, awc=world.awc1, day=day, present=present,
                                     hcm=present if n <= 10 else [])
    with at(date(2026, 12, 2)):
        refresh_month(MONTH, trigger="admin", today=date(2026, 12, 2))


def test_the_rollups_count_pre_school_days_and_underage_mothers_at_every_level(month_at_the_centre, world):
    awc = AreaMonth.objects.get(month=MONTH, level=Level.AWC, location=world.awc1)
    assert (awc.pse_21, awc.hcm_21, awc.preschool) == (1, 0, 2)
    assert awc.underage_mothers == 2
    for level, place in ((Level.SECTOR, world.sector1), (Level.PROJECT, world.project1),
                         (Level.DISTRICT, world.district1), (Level.STATE, world.state1)):
        row = AreaMonth.objects.get(month=MONTH, level=level, location=place)
        assert (row.pse_21, row.underage_mothers) == (1, 2), level
    assert AreaMonth.objects.get(month=MONTH, level=Level.NATION).underage_mothers == 2


def test_the_dashboard_shows_them(month_at_the_centre, users, login):
    body = login(users.cdpo).get(reverse("dashboards:home"), {"month": "2026-11"}).content.decode()
    assert "21+ days of pre-school education" in body and "Mothers under 18" in body
