"""The offline queue's batch: every item answered, good ones kept when one is bad, replays exactly once."""
import uuid
from datetime import date

import pytest
import time_machine

from beneficiaries.models import Attendance
from poshan.core.models import SubmissionReceipt
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


def _item(kind, payload, key=None):
    return {"type": kind, "client_uuid": str(key or uuid.uuid4()), "payload": payload}


def test_batch_answers_each_item_and_keeps_the_good_ones(world, users, login):
    kid = make_person(make_household(world.awc1), name="Kid", dob=date(2022, 1, 1), enrol_as="child")
    items = [
        _item("centre_day", {"date": TODAY.isoformat(), "opened": True, "opened_at": "09:15"}),
        _item("attendance", {"date": TODAY.isoformat(), "present": [kid.pk], "hcm": [kid.pk]}),
        _item("attendance", {"date": "2026-12-25", "present": [kid.pk]}),
        _item("ecce", {"date": TODAY.isoformat(), "activity": "story", "children": 1}),
        _item("nonsense", {}),
    ]
    answers = login(users.aww).post("/api/v1/submissions/batch/", items, content_type="application/json").json()
    assert [a["status"] for a in answers] == ["saved", "saved", "rejected", "saved", "rejected"]
    assert "future" in answers[2]["errors"]["date"][0]
    assert Attendance.objects.filter(child=kid, hcm=True).count() == 1


def test_replayed_batch_is_saved_exactly_once(world, users, login):
    kid = make_person(make_household(world.awc1), name="Kid", dob=date(2022, 1, 1), enrol_as="child")
    items = [_item("attendance", {"date": TODAY.isoformat(), "present": [kid.pk]})]
    client = login(users.aww)
    first = client.post("/api/v1/submissions/batch/", items, content_type="application/json").json()
    again = client.post("/api/v1/submissions/batch/", items, content_type="application/json").json()
    assert first[0]["status"] == "saved" and again[0]["status"] == "duplicate"
    assert again[0]["result"] == first[0]["result"]
    assert Attendance.objects.count() == 1 and SubmissionReceipt.objects.count() == 1


def test_a_submission_id_of_another_user_is_refused(world, users, make_user, login):
    key = uuid.uuid4()
    login(users.aww).post("/api/v1/submissions/batch/",
                          [_item("centre_day", {"date": TODAY.isoformat(), "opened": True}, key)],
                          content_type="application/json")
    other = make_user("aww", world.awc2)
    answer = login(other).post("/api/v1/submissions/batch/",
                               [_item("centre_day", {"date": TODAY.isoformat(), "opened": True}, key)],
                               content_type="application/json").json()
    assert answer[0]["status"] == "rejected"


def test_roles_without_a_centre_are_rejected_per_item(world, users, login):
    answers = login(users.supervisor).post(
        "/api/v1/submissions/batch/", [_item("centre_day", {"date": TODAY.isoformat(), "opened": True})],
        content_type="application/json").json()
    assert answers[0]["status"] == "rejected"


def test_anonymous_batch_is_refused(client, db):
    assert client.post("/api/v1/submissions/batch/", [], content_type="application/json").status_code in (401, 403)


def test_offline_correction_replaces_the_sheet(world, users, login):
    household = make_household(world.awc1)
    a, b = (make_person(household, name=n, dob=date(2022, 1, 1), enrol_as="child") for n in "AB")
    client = login(users.aww)
    first = [_item("attendance", {"date": TODAY.isoformat(), "present": [a.pk, b.pk], "hcm": [a.pk, b.pk]})]
    client.post("/api/v1/submissions/batch/", first, content_type="application/json")
    fix = [_item("attendance", {"date": TODAY.isoformat(), "present": [b.pk], "hcm": [], "replace": True})]
    answer = client.post("/api/v1/submissions/batch/", fix, content_type="application/json").json()
    assert answer[0]["status"] == "saved"
    assert dict(Attendance.objects.values_list("child_id", "hcm")) == {b.pk: False}


def test_measurement_from_the_offline_queue(world, users, login):
    from growth.models import Measurement

    child = make_person(make_household(world.awc1), name="Kid", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    item = _item("measurement", {"child": child.pk, "date": TODAY.isoformat(), "weight_kg": "11.5",
                                 "lenhei_cm": "86.0", "measure": "l"})
    client = login(users.aww)
    answers = [client.post("/api/v1/submissions/batch/", [item], content_type="application/json").json()[0]
               for _ in range(2)]
    assert [a["status"] for a in answers] == ["saved", "duplicate"]
    assert Measurement.objects.filter(child=child).count() == 1
    other = make_person(make_household(world.awc2), name="Other", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    refused = client.post("/api/v1/submissions/batch/", [_item("measurement", {**item["payload"], "child": other.pk})],
                          content_type="application/json").json()[0]
    assert refused["status"] == "rejected" and not Measurement.objects.filter(child=other).exists()


def test_a_new_item_is_not_looked_up_first_and_a_replay_after_a_transfer_gets_its_first_answer(world, users, login):
    """A new item costs no lookup of its receipt (the receipt's INSERT is the check); a replay the form itself would
    now refuse (its worker moved to another centre meanwhile) is still answered with the first answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anganwadi.services import staff_assign

    kid = make_person(make_household(world.awc1), name="Kid", dob=date(2022, 1, 1), enrol_as="child")
    items = [_item("attendance", {"date": TODAY.isoformat(), "present": [kid.pk]})]
    client = login(users.aww)
    with CaptureQueriesContext(connection) as seen:
        first = client.post("/api/v1/submissions/batch/", items, content_type="application/json").json()
    assert first[0]["status"] == "saved"
    assert not [q["sql"] for q in seen.captured_queries if 'FROM "core_submissionreceipt"' in q["sql"]]
    staff_assign(actor=users.admin, user=users.aww, role="aww", location=world.awc2)
    again = client.post("/api/v1/submissions/batch/", items, content_type="application/json").json()
    assert again[0]["status"] == "duplicate" and again[0]["result"] == first[0]["result"]
    assert Attendance.objects.count() == 1 and SubmissionReceipt.objects.count() == 1


def test_a_queued_weighing_without_a_length_is_saved_though_how_measured_was_ticked(world, users, login):
    """The measurement page ticks "how measured" for the child's age and a browser cannot untick it, so the phone's
    queue sends a weight alone with measure "h": saved as a weight alone, not refused (growth.services)."""
    from growth.models import Measurement

    kid = make_person(make_household(world.awc1), name="Kid", dob=date(2023, 9, 1), enrol_as="child")
    items = [_item("measurement", {"child": kid.pk, "date": TODAY.isoformat(), "weight_kg": "12.10", "lenhei_cm": "",
                                   "measure": "h", "muac_cm": "", "oedema": False})]
    answers = login(users.aww).post("/api/v1/submissions/batch/", items, content_type="application/json").json()
    assert [a["status"] for a in answers] == ["saved"], answers
    saved = Measurement.objects.get(child=kid)
    assert (saved.lenhei_cm, saved.measure, saved.haz) == (None, "", None)
