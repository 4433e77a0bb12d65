"""Alerts fire once per condition and centre and stop when it clears: days simulated with the centre's daily facts,
the beat task run as it would be (all districts, eagerly), SMS rate-limited and never in quiet hours."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from anganwadi.models import AwcDay
from poshan.core import sms
from poshan.core.models import AuditEvent
from poshan.supervision import rules
from poshan.supervision.models import Alert, AlertContact, AlertRun, AlertSms, Vhsnd
from poshan.supervision.tasks import alerts_evaluate

IST = ZoneInfo("Asia/Kolkata")
START = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def facts(world, users):
    """Every centre of the world open on the 1st, with a VHSND on the 1st (so only what a test does changes)."""
    awcs = [world.awc1, world.awc2, world.awc3, world.awc4, world.awc5, world.awc6]
    for awc in awcs:
        AwcDay.objects.create(awc=awc, date=START, opened=True, recorded_by=users.aww)
        Vhsnd.objects.create(awc=awc, on=START, services=["immunisation"], recorded_by=users.supervisor)
    return awcs


def submit(awc, day: date, users) -> None:
    AwcDay.objects.create(awc=awc, date=day, opened=True, recorded_by=users.aww)


def run(day: date, hour: int = 10, capture=None) -> None:
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=IST), tick=False):
        if capture is None:
            alerts_evaluate.delay()
        else:
            with capture(execute=True):
                alerts_evaluate.delay()


def alerts(condition: str, awc) -> list[Alert]:
    return list(Alert.objects.filter(condition=condition, awc=awc).order_by("pk"))


def test_no_submission_fires_once_and_stops_when_the_centre_submits(facts, world, users):
    for offset in range(1, 9):  # awc2 keeps submitting every day; awc1 goes silent after the 1st
        submit(world.awc2, START + timedelta(days=offset), users)
    for offset in range(1, 7):
        run(START + timedelta(days=offset))
    assert alerts(rules.NO_SUBMISSION_7, world.awc1) == []  # 6 days on the 7th
    run(date(2026, 11, 8))
    run(date(2026, 11, 8), hour=16)  # a second run the same day changes nothing
    run(START + timedelta(days=9))
    (alert,) = alerts(rules.NO_SUBMISSION_7, world.awc1)
    assert alert.state == Alert.State.OPEN and alert.opened_on == date(2026, 11, 8)
    assert alerts(rules.NO_SUBMISSION_7, world.awc2) == []

    submit(world.awc1, date(2026, 11, 10), users)
    run(date(2026, 11, 10))
    alert.refresh_from_db()
    assert alert.state == Alert.State.CLEARED and alert.cleared_at is not None
    run(date(2026, 11, 11))
    assert [a.state for a in alerts(rules.NO_SUBMISSION_7, world.awc1)] == [Alert.State.CLEARED]

    run(date(2026, 11, 17))  # silent again for 7 days: a new episode, a new alert
    assert [a.state for a in alerts(rules.NO_SUBMISSION_7, world.awc1)] == [Alert.State.CLEARED, Alert.State.OPEN]


def test_thirty_silent_days_tell_the_cdpo_and_37_without_vhsnd_the_supervisor(facts, world, users):
    for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 7), date(2026, 12, 8)):
        run(day)
    assert [a.opened_on for a in alerts(rules.NO_SUBMISSION_30, world.awc1)] == [date(2026, 12, 1)]
    assert [a.opened_on for a in alerts(rules.NO_VHSND, world.awc1)] == [date(2026, 12, 8)]
    assert AlertRun.objects.filter(district=world.district1, on=date(2026, 12, 8)).get().open_total >= 3
    assert AuditEvent.objects.filter(object_type="supervision.alertrun", awc_id__isnull=True).exists()


def test_the_home_page_shows_the_alert_to_the_officer_concerned_without_any_run(facts, world, users, login):
    with time_machine.travel(datetime(2026, 11, 12, 10, tzinfo=IST), tick=False):
        submit(world.awc2, date(2026, 11, 11), users)
        page = login(users.supervisor).get(reverse("home")).content.decode()
        assert "Nothing submitted for 7 days" in page and world.awc1.name in page
        assert world.awc2.name not in page.split("alerts-title")[1]
        assert world.awc3.name not in page  # sector2: not hers
        cdpo_page = login(users.cdpo).get(reverse("home")).content.decode()
        assert "alerts-title" not in cdpo_page  # 11 days: not yet the CDPO's
        assert "alerts-title" not in login(users.aww).get(reverse("home")).content.decode()


def test_the_home_panel_costs_the_same_for_few_or_many_alerts(facts, world, users, login,
                                                                django_assert_max_num_queries):
    with time_machine.travel(datetime(2026, 11, 3, 10, tzinfo=IST), tick=False):
        client = login(users.supervisor)
        client.get(reverse("home"))
        with django_assert_max_num_queries(25) as quiet:
            client.get(reverse("home"))
        baseline = len(quiet.captured_queries)  # now: the query log is a ring that the run below overwrites
    run(date(2026, 12, 20))
    with time_machine.travel(datetime(2026, 12, 20, 10, tzinfo=IST), tick=False):
        client = login(users.supervisor)
        client.get(reverse("home"))
        with django_assert_max_num_queries(baseline):
            page = client.get(reverse("home")).content.decode()
    assert "No VHSND for 37 days" in page and "since" in page


def test_one_sms_per_condition_per_person_per_day(facts, world, users, django_capture_on_commit_callbacks):
    AlertContact.objects.create(user=users.supervisor, mobile="9876500001")
    run(date(2026, 11, 8), capture=django_capture_on_commit_callbacks)
    assert len(sms.outbox) == 1 and sms.outbox[0].to == "9876500001"
    assert "2 centres" in sms.outbox[0].text  # awc1 and awc2 of her sector, in one SMS
    run(date(2026, 11, 8), hour=14, capture=django_capture_on_commit_callbacks)
    assert len(sms.outbox) == 1
    assert AlertSms.objects.get().centres == 2


def test_no_sms_in_quiet_hours_the_next_run_outside_them_sends(facts, world, users, django_capture_on_commit_callbacks):
    AlertContact.objects.create(user=users.supervisor, mobile="9876500001")
    run(date(2026, 11, 8), hour=22, capture=django_capture_on_commit_callbacks)
    assert alerts(rules.NO_SUBMISSION_7, world.awc1) and sms.outbox == []
    run(date(2026, 11, 9), hour=7, capture=django_capture_on_commit_callbacks)
    assert sms.outbox == []
    run(date(2026, 11, 9), hour=8, capture=django_capture_on_commit_callbacks)
    assert len(sms.outbox) == 1
    assert all(a.notified_at for a in Alert.objects.filter(awc__sector=world.sector1))


def test_no_sms_without_a_backend(facts, world, users, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = ""
    AlertContact.objects.create(user=users.supervisor, mobile="9876500001")
    run(date(2026, 11, 8), capture=django_capture_on_commit_callbacks)
    assert sms.outbox == [] and alerts(rules.NO_SUBMISSION_7, world.awc1)


def test_weighing_under_the_norm_fires_and_clears_once_the_children_are_weighed(facts, world, users):
    from decimal import Decimal

    from growth.services import measurement_record
    from tests.factories import make_household, make_person

    day = date(2026, 11, 20)  # two thirds of November: 6 of 10 children expected weighed by now
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=IST), tick=False):
        household = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal")
        children = [make_person(household, actor=users.aww, name=f"Child {i}", dob=date(2023, 1 + i, 5),
                                enrol_as="child") for i in range(10)]
    for offset in range(1, 20):
        submit(world.awc1, START + timedelta(days=offset), users)
    run(day)
    (alert,) = alerts(rules.WEIGHING_LOW, world.awc1)
    assert alert.figure == 6
    with time_machine.travel(datetime(2026, 11, 20, 11, tzinfo=IST), tick=False):
        for child in children[:5]:
            measurement_record(actor=users.aww, child=child, date=day, weight_kg=Decimal("12.5"))
    run(day, hour=12)
    alert.refresh_from_db()
    assert alert.state == Alert.State.OPEN  # 5 of the 6 expected
    with time_machine.travel(datetime(2026, 11, 20, 13, tzinfo=IST), tick=False):
        measurement_record(actor=users.aww, child=children[5], date=day, weight_kg=Decimal("12.5"))
    run(day, hour=14)
    alert.refresh_from_db()
    assert alert.state == Alert.State.CLEARED
    assert len(alerts(rules.WEIGHING_LOW, world.awc1)) == 1


def test_a_districts_evaluation_costs_the_same_for_few_or_many_centres(facts, world, users,
                                                                        django_assert_max_num_queries):
    from poshan.supervision.alerts import alerts_evaluate_district
    from tests.factories import LocationFactory

    now = datetime(2026, 11, 20, 10, tzinfo=IST)
    with django_assert_max_num_queries(30) as few:
        alerts_evaluate_district(district_id=world.district1.pk, now=now)
    baseline = len(few.captured_queries)
    for i in range(40):
        awc = LocationFactory(level="awc", parent=world.sector1 if i % 2 else world.sector3)
        submit(awc, date(2026, 11, 1), users)
    with django_assert_max_num_queries(baseline):
        result = alerts_evaluate_district(district_id=world.district1.pk, now=now + timedelta(hours=2))
    assert result["opened"] >= 40  # each new centre: nothing for 19 days, no VHSND


def test_women_due_a_visit_are_counted_person_by_person(world, users):
    """The home-visit norm's women (pregnant or lactating), each probed through her index: with EXISTS PostgreSQL
    may hash every pregnancy of the country, for one sector's home page or one district's evaluation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anganwadi.models import Location
    from poshan.supervision.selectors import centre_facts
    from tests.factories import make_household, make_person

    household = make_household(world.awc1)
    make_person(household, name="P", dob=date(1995, 1, 1), enrol_as="pregnant", lmp=date(2026, 6, 1))
    make_person(household, name="L", dob=date(1996, 1, 1), enrol_as="lactating", delivery_date=date(2026, 10, 1))
    make_person(household, name="Member", dob=date(1990, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        facts = centre_facts(Location.objects.filter(pk__in=[world.awc1.pk, world.awc3.pk]), date(2026, 11, 20),
                             only=(rules.HOME_VISITS_LOW,))
    assert (facts[world.awc1.pk].visits_due, facts[world.awc3.pk].visits_due) == (2, 0)
    assert not [q for q in queries if 'EXISTS(SELECT 1 AS "a" FROM "beneficiaries_pregnancy"' in q["sql"]]
