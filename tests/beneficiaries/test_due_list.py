"""The worker's due list: today and this week from the schedules, missed items rolled over and counted, scoped,
in a fixed number of queries however many people the centre has."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine
from django.urls import reverse

from beneficiaries.models import HomeVisit, Pregnancy
from beneficiaries.selectors import due_list
from growth.services import measurement_record
from tests.factories import make_household, make_person
from thr_frs.models import OverrideRequest, ThrDistribution

ON = date(2026, 11, 27)


def _world(world, users, n: int):
    with time_machine.travel(date(2026, 5, 1), tick=False):
        home = make_household(world.awc1, actor=users.aww)
        women = [make_person(home, name=f"Sita {i}", dob=date(1998, 3, 3)) for i in range(n)]
        make_person(make_household(world.awc2, head_name="Mohan Lal"), name="Outsider", dob=date(1998, 3, 3))
    for woman in women:  # day 179 of pregnancy: the 1st trimester window missed, the 2nd open
        Pregnancy.objects.create(woman=woman, lmp=date(2026, 6, 1))
    HomeVisit.objects.create(awc=world.awc1, beneficiary=women[0], date=date(2026, 7, 10), purpose="pregnancy",
                             recorded_by=users.aww)
    with time_machine.travel(date(2026, 11, 20), tick=False):
        kid = make_person(home, name="Baby", sex="M", dob=date(2026, 11, 20), enrol_as="child")
    return women, kid


def test_the_due_list_equals_the_hand_calculation(world, users):
    women, kid = _world(world, users, 2)
    with time_machine.travel(ON, tick=False):
        found = due_list(user=users.aww)
    today = [(r.beneficiary.name, r.item.kind, r.item.step, r.item.missed) for r in found.today]
    assert sorted(today) == sorted([
        ("Sita 0", "pregnancy_visit", "window_2", 0),
        ("Sita 1", "pregnancy_visit", "window_2", 1),
        # born 20 Nov, registered that day, never visited: days 1 and 3 missed, day 7 open (27 Nov – 3 Dec)
        ("Baby", "newborn_visit", "day_7", 2),
        ("Baby", "weighing", "", 0),
        ("Baby", "height", "", 0),  # never measured: due from birth, then every 3 months
        ("Sita 0", "thr", "", 0), ("Sita 1", "thr", "", 0),  # pregnant: this month's ration not yet handed over
    ])
    assert found.missed == 3
    assert [(r.beneficiary.name, r.item.kind, r.item.due_on) for r in found.week] == []
    assert all(r.beneficiary.name != "Outsider" for r in found.today + found.week)


def test_a_ration_handed_over_and_a_height_measured_leave_the_list_until_due_again(world, users):
    women, kid = _world(world, users, 2)
    for woman, month in ((women[0], date(2026, 11, 1)), (women[1], date(2026, 10, 1))):  # Sita 1: last month's
        override = OverrideRequest.objects.create(beneficiary=woman, awc=world.awc1, month=month, quantity=1,
                                                  reason="The face check is not possible", requested_by=users.aww,
                                                  status="approved")
        ThrDistribution.objects.create(beneficiary=woman, awc=world.awc1, month=month, quantity=1,
                                       handed_over_by=users.aww, verified_by="override", override=override)
    with time_machine.travel(date(2026, 11, 25), tick=False):
        measurement_record(actor=users.aww, child=kid, date=date(2026, 11, 25), weight_kg=Decimal("3.4"),
                           lenhei_cm=Decimal("51.0"), measure="l")
    with time_machine.travel(ON, tick=False):
        kinds = {(r.beneficiary.name, r.item.kind) for r in due_list(user=users.aww).today}
    assert ("Sita 0", "thr") not in kinds and ("Sita 1", "thr") in kinds
    assert ("Baby", "height") not in kinds
    with time_machine.travel(date(2027, 2, 25), tick=False):  # three months after the last height
        assert ("Baby", "height") in {(r.beneficiary.name, r.item.kind) for r in due_list(user=users.aww).today}


def test_the_due_page_shows_today_and_this_week_in_fixed_queries(world, users, login, django_assert_max_num_queries):
    _world(world, users, 3)
    client = login(users.aww)
    with time_machine.travel(ON, tick=False):
        client.get(reverse("beneficiaries:due"))
        with django_assert_max_num_queries(20) as small:
            page = client.get(reverse("beneficiaries:due")).content.decode()
    assert "Home visit in pregnancy (second trimester)" in page
    assert "Newborn care home visit (day 7 after birth)" in page and "2 missed, rolled over" in page
    assert "4 items were missed and are rolled over to today." in page
    with time_machine.travel(date(2026, 10, 1), tick=False):
        more = [make_person(make_household(world.awc1, head_name=f"Head {i}"), name=f"Asha {i}",
                            dob=date(1999, 1, 1)) for i in range(15)]
    for woman in more:
        Pregnancy.objects.create(woman=woman, lmp=date(2026, 3, 1))
    with time_machine.travel(ON, tick=False):
        with django_assert_max_num_queries(len(small.captured_queries)):
            page = client.get(reverse("beneficiaries:due")).content.decode()
    assert "Asha 14" in page and "Home visit in pregnancy (week 36 to delivery)" in page

