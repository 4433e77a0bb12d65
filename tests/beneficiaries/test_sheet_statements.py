"""The statements one attendance sheet costs as a request: the worker's permissions and centre come from the
cache (poshan.core.usercache), so only the sheet's own rules reach the database; the number is pinned here."""
import uuid
from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anganwadi.services import awc_day_open
from tests.factories import make_household, make_person

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
    # 14 = session + user, then the sheet: the day's earlier ticks, the replay check, the closed-day check, the
    # children's eligibility, the duplicates, one INSERT of every tick, the receipt, the audit row, and two
    # savepoints opened and released (before: 17, with the permissions' two reads and the assignment's one).
    assert len(ctx.captured_queries) == 14, "\n".join(q["sql"][:120] for q in ctx.captured_queries)
