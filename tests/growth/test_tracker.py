"""The child growth tracker: three months of pre-school days, meal days and status per child, from the facts."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anganwadi.services import awc_day_open
from beneficiaries import services as people
from beneficiaries.models import Attendance
from growth.services import measurement_record
from growth.tracker import growth_tracker, tracker_months
from tests.factories import make_household, make_person


def at(day: date):
    return time_machine.travel(f"{day.isoformat()} 05:00:00+00:00", tick=False)


def test_three_months_per_child_equal_the_facts_in_fixed_queries(world, users, login):
    aww = users.aww
    with at(date(2026, 8, 20)):
        home = make_household(world.awc1)
        rina = make_person(home, name="Rina", sex="F", dob=date(2022, 3, 1), enrol_as="child")
        toni = make_person(home, name="Toni", sex="M", dob=date(2025, 3, 1), enrol_as="child")
        make_person(make_household(world.awc2), name="Elsewhere", sex="F", dob=date(2022, 3, 1), enrol_as="child")
    for day, hcm in ((date(2026, 9, 3), True), (date(2026, 10, 5), True), (date(2026, 10, 6), False),
                     (date(2026, 11, 2), True)):
        with at(day):
            awc_day_open(actor=aww, awc=world.awc1, day=day, opened_at=time(9))
            people.attendance_record(actor=aww, awc=world.awc1, day=day, present=[rina.pk],
                                     hcm=[rina.pk] if hcm else [])
    for day, kg in ((date(2026, 10, 3), "9.0"), (date(2026, 10, 20), "17.0")):  # October's last weighing counts
        with at(day):
            measurement_record(actor=aww, child=rina, date=day, weight_kg=Decimal(kg), lenhei_cm=Decimal("105.0"),
                               measure="h")
    month = date(2026, 11, 1)
    assert tracker_months(month) == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    rows = {row.child.name: row for row in growth_tracker([rina, toni], month)}
    assert [(m.pse_days, m.meal_days) for m in rows["Rina"].months] == [(1, 1), (2, 1), (1, 1)]
    for m in rows["Rina"].months:  # the same counts straight from the sheet
        days = Attendance.objects.filter(child=rina, date__year=m.month.year, date__month=m.month.month)
        assert (m.pse_days, m.meal_days) == (days.count(), days.filter(hcm=True).count())
    september, october, november = rows["Rina"].months
    assert september.status is None and november.status is None
    assert october.status is not None and october.status.tone == "ok"  # 17 kg, not the first 9 kg
    assert all(m.status is None and m.pse_days == 0 for m in rows["Toni"].months)

    client = login(users.aww)
    client.get(reverse("growth:tracker"), {"month": "2026-10"})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("growth:tracker"), {"month": "2026-11"})
    body = page.content.decode()
    assert page.status_code == 200 and "Rina" in body and "Toni" in body and "Elsewhere" not in body
    assert len(queries) <= 14
