"""Values a hostile probe sent that once answered 500 (or Django's debug page): ids that are not numbers, dates at
the ends of the calendar, batch bodies of the wrong shape, a limit past any integer, a client id someone else used.
Each is refused with a 400 and a message a person can act on, and nothing is saved."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import AttendanceSubmission
from grievances.models import Grievance
from poshan.core.roles import Role
from tests.factories import make_household, make_person


def _says(response, text: str) -> bool:
    return text in response.content.decode()


@pytest.fixture
def child(world, users):
    household = make_household(world.awc1, actor=users.aww, mobile="9812312345")
    return make_person(household, actor=users.aww, name="Mohan", sex="M",
                       dob=timezone.localdate() - timedelta(days=4 * 365), enrol_as="child")


def test_a_grievance_reusing_anothers_submission_id_is_refused(world, users, make_user, login):
    other = make_user(Role.AWW, world.awc2)
    sid = str(uuid.uuid4())
    first = login(other).post("/api/v1/grievances/", {"category": "device", "description": "Broken.",
                                                       "submission_id": sid}, content_type="application/json")
    assert first.status_code == 201

    response = login(users.aww).post("/api/v1/grievances/", {"category": "device", "description": "Mine.",
                                                              "submission_id": sid}, content_type="application/json")

    assert response.status_code in (400, 409)
    assert "submission_id" in response.json()
    assert Grievance.objects.count() == 1


def test_a_grievance_form_reusing_anothers_submission_id_is_refused(world, users, make_user, login):
    other = make_user(Role.AWW, world.awc2)
    sid = str(uuid.uuid4())
    login(other).post(reverse("grievances:lodge"), {"category": "device", "description": "Broken.",
                                                    "submission_id": sid})

    response = login(users.aww).post(reverse("grievances:lodge"), {"category": "device", "description": "Mine.",
                                                                   "submission_id": sid})

    assert response.status_code == 400
    assert Grievance.objects.count() == 1


def test_an_attendance_sheet_reusing_another_centres_client_id_is_refused(world, users, make_user, child, login):
    other = make_user(Role.AWW, world.awc2)
    cid = str(uuid.uuid4())
    today = timezone.localdate().isoformat()
    assert login(other).post("/api/v1/attendance/", {"date": today, "present": [], "client_uuid": cid},
                             content_type="application/json").status_code == 201

    response = login(users.aww).post("/api/v1/attendance/", {"date": today, "present": [child.pk],
                                                             "client_uuid": cid}, content_type="application/json")

    assert response.status_code in (400, 409)
    assert "client_uuid" in response.json()
    assert AttendanceSubmission.objects.count() == 1


def test_a_claim_that_is_not_a_number_is_a_400(users, login):
    response = login(users.state).post(reverse("anganwadi:allowance_approve"), {"claim": "abc", "action": "pay"})
    assert response.status_code == 400
    assert _says(response, "claim")


def test_an_override_that_is_not_a_number_is_a_400(child, users, login):
    response = login(users.aww).post(reverse("thr_frs:override_handover", args=[child.pk]), {"override": "abc"})
    assert response.status_code == 400


@pytest.mark.parametrize("body", ["null", '"str"', "123", '{"items": 123}', '{"items": null}', '{"items": "x"}'])
def test_a_batch_body_of_the_wrong_shape_is_a_400(body, users, login):
    response = login(users.aww).post("/api/v1/submissions/batch/", body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_batch_items_that_are_not_objects_are_each_rejected(users, login):
    response = login(users.aww).post("/api/v1/submissions/batch/", '{"items": [null, 7, "a"]}',
                                     content_type="application/json")
    assert response.status_code == 200
    assert [answer["status"] for answer in response.json()] == ["rejected"] * 3


def test_a_huge_limit_is_capped_not_a_server_error(users, login):
    client = login(users.aww)
    assert client.get("/api/v1/households/?limit=100000000000000000000").status_code == 200
    assert client.get("/api/v1/households/?offset=100000000000000000000").status_code == 200


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "abc"])
def test_an_api_month_outside_the_calendar_is_a_400_naming_it(month, users, login):
    response = login(users.cdpo).get("/api/v1/thr/figures/", {"month": month})
    assert response.status_code == 400
    assert "month" in response.json()


@pytest.mark.parametrize("role,url", [
    ("supervisor", "/beneficiaries/summary/?month=9999-12"),
    ("supervisor", "/beneficiaries/summary/?month=0001-01"),
    ("aww", "/beneficiaries/attendance/?date=0001-01-01"),
    ("aww", "/beneficiaries/attendance/?date=9999-12-31"),
    ("supervisor", "/dashboard/?month=0001-01"),
    ("supervisor", "/dashboard/?month=9999-12"),
    ("supervisor", "/growth/rising/?month=0001-01"),
    ("supervisor", "/growth/rising/?month=9999-12"),
    ("supervisor", "/thr/supervision/?month=0001-01"),
    ("supervisor", "/thr/report/?month=9999-12"),
    ("dpo", "/grievances/figures/?month=9999-12"),
])
def test_dates_at_the_ends_of_the_calendar_are_refused(role, url, users, login):
    response = login(getattr(users, role)).get(url)
    assert response.status_code == 400, f"{url}: {response.status_code}"


@pytest.mark.parametrize("year,month", [(1, 1), (9999, 12), (2026, 13)])
def test_registers_for_impossible_months_are_not_server_errors(year, month, world, users, login):
    client = login(users.supervisor)
    for url in (f"/registers/{world.awc1.pk}/{year}/{month}/", f"/registers/{world.awc1.pk}/{year}/{month}/attendance/",
                f"/registers/{world.awc1.pk}/{year}/{month}/attendance/pdf/"):
        assert client.get(url).status_code in (400, 404), url


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_exports_for_impossible_months_are_refused(month, users, login):
    response = login(users.dpo).post(reverse("dashboards:export"), {
        "kind": "summary", "file_format": "csv", "month_from": month, "month_to": month})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/growth/?q=a%00b", "/beneficiaries/?q=%00", "/grievances/?a%00=1"])
def test_a_nul_byte_in_a_query_is_a_400(url, users, login):
    response = login(users.aww).get(url)
    assert response.status_code == 400
    assert _says(response, "contains a character that cannot be saved")


def test_a_nul_byte_in_a_form_is_a_400_and_nothing_is_saved(users, login):
    response = login(users.aww).post(reverse("grievances:lodge"), {"category": "device", "description": "a\x00b"})
    assert response.status_code == 400
    assert not Grievance.objects.exists()
