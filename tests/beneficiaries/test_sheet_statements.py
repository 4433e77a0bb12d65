"""The statements one attendance sheet costs as a request: the worker's permissions and centre come from the
cache (poshan.core.usercache), so only the sheet's own rules reach the database; the number is pinned here."""
import uuid
from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from anganwadi.services import awc_day_open
from beneficiaries.models import Attendance, AttendanceSubmission
from tests.factories import make_household, make_person
from tests.sql import sent_statements

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


def test_a_sheet_of_forty_children_as_a_request(world, users, login):
    household = make_household(world.awc1)
    children = [make_person(household, name=f"C{i}", sex="F", dob=date(2022, 6, 1), enrol_as="child").pk
                for i in range(40)]
    awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(9))
    client = login(users.aww)
    client.get(reverse("beneficiaries:attendance"))  # the sheet is opened first, as on the phone
    data = {"date": TODAY.isoformat(), "client_uuid": str(uuid.uuid4()), "present": children, "hcm": children}
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("beneficiaries:attendance"), data)
    assert response.status_code == 302
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "auth_permission" not in sql and "anganwadi_staffassignment" not in sql
    # 8 = session + user, the day's earlier ticks (the page's choice between a first sheet and a correction),
    # then the sheet's three: one INSERT … SELECT of every tick that may be made (closed day, centre, band and
    # duplicates checked in it), the receipt (its id claimed by the same INSERT), the audit row; and the
    # transaction (here a savepoint in the test's transaction). Before: 14, and 17 before the user cache.
    statements = sent_statements(ctx.captured_queries)
    assert len(statements) == 8, "\n".join(sql[:120] for sql in statements)
    assert Attendance.objects.filter(date=TODAY, hcm=True).count() == 40


def test_a_sheet_through_the_api_costs_its_three_statements(world, users):
    household = make_household(world.awc1)
    children = [make_person(household, name=f"C{i}", sex="F", dob=date(2022, 6, 1), enrol_as="child").pk
                for i in range(40)]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(users.aww)[1]}")
    body = {"date": TODAY.isoformat(), "present": children, "hcm": children[:10], "client_uuid": str(uuid.uuid4())}
    api.post("/api/v1/attendance/", {**body, "date": "2026-11-26", "backdate_reason": "late", "client_uuid": None},
             format="json")  # the permissions and the centre are read once, then kept
    with CaptureQueriesContext(connection) as ctx:
        response = api.post("/api/v1/attendance/", body, format="json")
    assert response.status_code == 201 and response.json()["saved"] == 40 and response.json()["meals"] == 10
    sheet = [sql for sql in sent_statements(ctx.captured_queries) if "knox_authtoken" not in sql
             and "SAVEPOINT" not in sql]
    assert len(sheet) == 3, "\n".join(q[:120] for q in sheet)  # the ticks, the receipt, the audit row
    replay = api.post("/api/v1/attendance/", body, format="json")  # a retry: the work is undone, the first answer
    assert replay.json() == {**response.json(), "replayed": True}
    assert Attendance.objects.filter(date=TODAY).count() == 40 and Attendance.objects.filter(date=TODAY, hcm=True).count() == 10
    assert AttendanceSubmission.objects.filter(client_uuid=body["client_uuid"]).count() == 1
