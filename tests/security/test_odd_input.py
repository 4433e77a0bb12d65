"""Ids from query strings and forms that are not plain numbers — a superscript "²" (which str.isdigit() accepts
but int() refuses) or a number past the database's integer range — are ignored or refused, never a server error.
(Found by the API fuzzing in test_api_fuzz.py.)"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_household, make_person

ODD = ["²", "१२", "9" * 30, "-1", " 7"]


@pytest.fixture
def sita(world, users):
    household = make_household(world.awc1, actor=users.aww, mobile="9812312345")
    return make_person(household, actor=users.aww, name="Sita", enrol_as="pregnant", age_years=24,
                       lmp=timezone.localdate() - timedelta(days=60))


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("role,url", [
    ("aww", "/api/v1/equipment/devices/?awc={v}"),
    ("aww", "/api/v1/equipment/infrastructure/?awc={v}"),
    ("aww", "/api/v1/locations/?parent={v}"),
    ("aww", "/api/v1/growth/measurements/?child={v}"),
    ("cdpo", "/api/v1/thr/figures/?location={v}"),
    ("cdpo", "/growth/follow-up/?location={v}"),
])
def test_odd_ids_in_query_strings_are_not_server_errors(role, url, value, users, login):
    response = login(getattr(users, role)).get(url.format(v=value))
    assert response.status_code in (200, 400, 404), f"{url.format(v=value)}: {response.status_code}"


@pytest.mark.parametrize("value", ODD)
def test_odd_ids_in_thr_forms_are_not_server_errors(value, sita, users, login):
    client = login(users.aww)
    assert client.get(reverse("thr_frs:enrol", args=[sita.pk]), {"nominee": value}).status_code in (200, 404)
    assert client.post(reverse("thr_frs:erase", args=[sita.pk]), {"person": value}).status_code in (302, 404)


@pytest.mark.parametrize("value", ODD)
def test_odd_ids_on_the_attendance_sheet_are_not_server_errors(value, sita, users, login):
    response = login(users.aww).post(reverse("beneficiaries:attendance"),
                                     {"date": timezone.localdate().isoformat(), "present": [value]})
    assert response.status_code in (302, 400)


def test_odd_imei_is_a_clear_refusal():
    from anganwadi.equipment.imei import imei_problem

    assert imei_problem("²" * 15) == "digits"
    assert imei_problem("४९०१५४२०३२३७५१८") in ("digits", None)
