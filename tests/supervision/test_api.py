"""The supervision API: the same services and scope as the pages."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine

from poshan.supervision import rules
from poshan.supervision.models import ActionItem, Vhsnd, Visit

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def body(awc, on="2026-11-18", **extra) -> dict:
    return {"awc": awc.pk, "on": on, "findings": "ok",
            "checks": [{"item": item, "ok": True, "note": ""} for item in rules.CHECKLIST], **extra}


def test_a_visit_recorded_by_api_closes_the_last_visits_actions(world, users, login):
    client = login(users.supervisor)
    first = client.post("/api/v1/supervision/visits/", body(world.awc1, on="2026-11-02", actions=[
        {"text": "Fix the scale", "owner": "aww", "due_on": "2026-11-10"}]), content_type="application/json")
    assert first.status_code == 201 and first.json()["actions"][0]["status"] == "open"
    action = ActionItem.objects.get()
    refused = client.post("/api/v1/supervision/visits/", body(world.awc1), content_type="application/json")
    assert refused.status_code == 400 and Visit.objects.count() == 1
    second = client.post("/api/v1/supervision/visits/", body(world.awc1, closing=[{"action": action.pk, "done": True}]),
                         content_type="application/json")
    assert second.status_code == 201
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE
    listed = client.get("/api/v1/supervision/visits/", {"awc": world.awc1.pk}).json()
    assert [v["on"] for v in listed["results"]] == ["2026-11-18", "2026-11-02"]


def test_the_api_keeps_to_the_supervisors_sector(world, users, login):
    client = login(users.supervisor)
    Visit.objects.create(awc=world.awc3, on=date(2026, 11, 3), supervisor=users.supervisor)
    assert client.get("/api/v1/supervision/visits/").json()["results"] == []
    assert client.post("/api/v1/supervision/visits/", body(world.awc3),
                       content_type="application/json").status_code == 404
    vhsnd = {"awc": world.awc3.pk, "on": "2026-11-19", "services": ["thr"], "children_referred": 0}
    assert client.post("/api/v1/supervision/vhsnd/", vhsnd, content_type="application/json").status_code == 400
    assert not Vhsnd.objects.exists()


def test_vhsnd_and_alerts_by_api(world, users, login):
    client = login(users.supervisor)
    vhsnd = {"awc": world.awc1.pk, "on": "2026-11-19", "services": ["thr", "immunisation"], "children_referred": 1}
    assert client.post("/api/v1/supervision/vhsnd/", vhsnd, content_type="application/json").status_code == 201
    assert Vhsnd.objects.get().services == ["immunisation", "thr"]  # in the rules' order
    board = client.get("/api/v1/supervision/alerts/").json()
    alerts = {(line["awc"], line["alert"]) for line in board["lines"]}
    assert (world.awc2.pk, rules.NO_VHSND) in alerts and (world.awc1.pk, rules.NO_VHSND) not in alerts
    assert login(users.aww).get("/api/v1/supervision/alerts/").status_code == 403
