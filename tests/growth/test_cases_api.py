"""API of malnutrition cases: scoped reads with what is due, every step by POST, follow-ups from the offline
queue (saved once, replay answered with the first answer, another area's case refused)."""
from __future__ import annotations

import uuid

import pytest

from growth.cases import rules
from growth.models import Case, CaseEvent
from tests.growth.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")

CASES = "/api/v1/growth/cases/"
BATCH = "/api/v1/submissions/batch/"


@pytest.fixture
def cases(world, make_child, measure):
    own = make_child(world.awc1, age_days=730, name="Asha")
    far = make_child(world.awc6, age_days=730, name="Chitra")
    for child in (own, far):
        measure(child, on=TODAY, weight=8.0, muac=11.0)
    return Case.objects.get(child=own), Case.objects.get(child=far)


def test_list_and_detail_are_scoped_with_what_is_due(cases, users, login):
    own, far = cases
    client = login(users.aww)
    data = client.get(CASES).json()
    assert [c["id"] for c in data["results"]] == [own.pk]
    assert data["results"][0]["due"][0] == {"step": rules.STEP_APPETITE_TEST, "on": TODAY.isoformat()}
    detail = client.get(f"{CASES}{own.pk}/").json()
    assert [e["kind"] for e in detail["events"]] == [rules.IDENTIFIED]
    assert client.get(f"{CASES}{far.pk}/").status_code == 404
    assert login(users.cdpo).get(CASES).status_code == 403


def test_each_step_by_post(cases, users, login):
    own, far = cases
    client = login(users.aww)
    url = f"{CASES}{own.pk}/steps/"
    ok = client.post(url, {"kind": "appetite", "date": TODAY.isoformat(), "result": rules.FAILED},
                     content_type="application/json")
    assert ok.status_code == 201 and ok.json()["kind"] == rules.APPETITE_TEST
    refused = client.post(url, {"kind": "referral-outcome", "date": TODAY.isoformat(), "outcome": "admitted"},
                          content_type="application/json")
    assert refused.status_code == 400 and "no referral" in str(refused.json())
    client.post(url, {"kind": "complications", "date": TODAY.isoformat(), "signs": ["fever"]},
                content_type="application/json")
    client.post(url, {"kind": "referral", "date": TODAY.isoformat(), "facility": "NRC Sagar"},
                content_type="application/json")
    own.refresh_from_db()
    assert (own.status, own.level) == (rules.REFERRAL_PENDING, rules.NRC)
    assert client.post(f"{CASES}{far.pk}/steps/", {"kind": "counselling", "date": TODAY.isoformat()},
                       content_type="application/json").status_code == 404
    assert login(users.awh).post(url, {"kind": "counselling", "date": TODAY.isoformat()},
                                 content_type="application/json").status_code == 403


def test_follow_up_from_the_offline_queue(cases, users, login):
    own, far = cases
    client = login(users.aww)
    key = str(uuid.uuid4())
    item = {"type": "case_followup", "client_uuid": key,
            "payload": {"case": own.pk, "date": TODAY.isoformat(), "weight_kg": "8.10", "muac_cm": "11.4",
                        "oedema": False, "appetite": rules.PASSED, "illness": ""}}
    first = client.post(BATCH, {"items": [item]}, content_type="application/json").json()
    assert first[0]["status"] == "saved", first
    again = client.post(BATCH, {"items": [item]}, content_type="application/json").json()
    assert again[0]["status"] == "duplicate"
    assert CaseEvent.objects.filter(case=own, kind=rules.FOLLOWUP).count() == 1
    elsewhere = {**item, "client_uuid": str(uuid.uuid4()), "payload": {**item["payload"], "case": far.pk}}
    answer = client.post(BATCH, {"items": [elsewhere]}, content_type="application/json").json()[0]
    assert answer["status"] == "rejected" and "case" in answer["errors"]
    bad = {**item, "client_uuid": str(uuid.uuid4()), "payload": {**item["payload"], "weight_kg": "900"}}
    answer = client.post(BATCH, {"items": [bad]}, content_type="application/json").json()[0]
    assert answer["status"] == "rejected"


def test_the_phone_keeps_and_queues_the_follow_up_form(cases):
    from django.urls import reverse

    from poshan.core.pwa import offline_forms

    form = next(f for f in offline_forms() if f["page"] == "case_followup")
    assert form["types"] == ["case_followup"]
    import re

    assert re.match(form["pattern"], reverse("growth:case_followup", args=[cases[0].pk]))


def test_the_list_takes_the_same_number_of_queries_for_2_or_12_cases(cases, users, login, world, make_child,
                                                                      measure):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users.aww)
    client.get(CASES)  # the session and the user's area read once

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            data = client.get(CASES).json()
        return len(captured), len(data["results"])

    few, shown = queries()
    for n in range(10):
        measure(make_child(world.awc1, age_days=700 + n), on=TODAY, weight=8.0, muac=11.0)
    many, shown_many = queries()
    assert (shown, shown_many) == (1, 11) and many == few


def test_buddy_mothers_visit_by_post_is_refused_until_she_is_chosen(cases, users, login):
    own, far = cases
    client = login(users.aww)
    url = f"{CASES}{own.pk}/steps/"
    visit = {"kind": "buddy-visit", "date": TODAY.isoformat(), "note": "fed twice"}
    refused = client.post(url, visit, content_type="application/json")
    assert refused.status_code == 400 and "buddy mother first" in str(refused.json())
    client.post(url, {"kind": "buddy-mother", "date": TODAY.isoformat(), "name": "Sunita"},
                content_type="application/json")
    ok = client.post(url, visit, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["kind"] == rules.BUDDY_VISIT
    assert ok.json()["payload"]["note"] == "fed twice"
    assert client.post(f"{CASES}{far.pk}/steps/", visit, content_type="application/json").status_code == 404
