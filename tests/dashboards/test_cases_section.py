"""The dashboard's section on children under treatment for malnutrition: the place's cases only, counted again
within ten minutes of a new step (never served from a page kept for the rollups alone), in a fixed number of
queries whatever the number of cases, in the user's language."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth.cases import rules, services
from growth.models import Case
from growth.services import measurement_record
from tests.factories import make_household, make_person
from tests.growth.test_cases_simulation import card

TODAY = date(2026, 11, 27)
NOW = "2026-11-27 06:00:00+00:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sam_child(awc, aww, *, on: date = TODAY, name: str = "Child") -> Case:
    """A child of two years measured with MUAC 11.0 cm: a SAM case opens (through the services)."""
    child = make_person(make_household(awc), name=name, sex="F", dob=date(2024, 9, 1), enrol_as="child")
    measurement_record(actor=aww, child=child, date=on, weight_kg=Decimal("8.0"), muac_cm=Decimal("11.0"))
    return Case.objects.get(child=child)


def page(client, location=None) -> str:
    url = reverse("dashboards:place", args=[location.pk]) if location else reverse("dashboards:home")
    response = client.get(url, {"month": "2026-11"})
    assert response.status_code == 200
    return response.content.decode()


def test_each_level_counts_only_its_own_cases(world, users, login, make_user):
    sam_child(world.awc1, users.aww)
    sam_child(world.awc3, make_user("aww", world.awc3))
    sam_child(world.awc6, make_user("aww", world.awc6))
    sector = page(login(users.supervisor))
    assert card(sector, "admissions") == "1"  # sector1: awc1 only
    assert '<div class="ind-sub">Severe acute malnutrition (SAM): 1</div>' in sector  # by category, those with any
    assert card(page(login(users.cdpo)), "admissions") == "2"  # project1: awc1 and awc3
    assert card(page(login(users.cdpo), world.sector2), "admissions") == "1"
    assert card(page(login(users.state)), "admissions") == "2"  # state1, not awc6 of state2
    national = login(users.ministry)
    assert card(page(national), "admissions") == "3" and card(page(national, world.state2), "admissions") == "1"
    assert card(page(national), "open") == "3"


def test_a_new_step_shows_within_ten_minutes_and_not_from_an_older_page(world, users, login, frozen):
    case = sam_child(world.awc1, users.aww)
    client = login(users.supervisor)
    assert card(page(client), "died") == "—"
    services.case_exit(actor=users.aww, case=case, on=TODAY, outcome=rules.DIED)
    assert card(page(client), "died") == "—"  # the same ten minutes: the kept page
    frozen.shift(timedelta(minutes=10))
    shown = page(client)
    assert card(shown, "died") == "100.0%" and card(shown, "open") == "0"


def test_the_number_of_queries_does_not_grow_with_the_cases(world, users, login, make_user, frozen):
    client = login(users.ministry)
    sam_child(world.awc1, users.aww)

    def queries(month: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboards:home"), {"month": month}).status_code == 200
        return len(captured)

    client.get(reverse("dashboards:home"))  # session and user read once
    few = queries("2026-11")
    centres = [world.awc2, world.awc3, world.awc4, world.awc5, world.awc6]
    workers = {awc.pk: make_user("aww", awc) for awc in centres}
    for n, awc in enumerate(centres * 4):
        sam_child(awc, workers[awc.pk], name=f"Child {n}")
    frozen.shift(timedelta(minutes=10))  # the kept page is over: counted again
    client.get(reverse("dashboards:home"))  # the new users' assignments and the session, read once
    many = queries("2026-11")
    assert many == few
    assert card(page(client), "admissions") == "21"


def test_the_section_is_in_the_users_language(world, users, login):
    sam_child(world.awc1, users.aww)
    client = login(users.supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    hindi = page(client)
    assert 'id="cases-admissions"' in hindi and "Children under treatment for malnutrition" not in hindi
    assert "Admissions" not in hindi
