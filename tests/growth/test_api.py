"""API: measurements and each child's status and history, scoped; idempotent, validated creates."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from growth.models import Measurement
from growth.tasks import run_nightly
from poshan.core.roles import Role
from tests.growth.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")

MEASUREMENTS = "/api/v1/growth/measurements/"
CHILDREN = "/api/v1/growth/children/"


@pytest.fixture
def kids(world, make_child, measure):
    own = make_child(world.awc1, dob=date(2025, 5, 1), name="Asha")
    other = make_child(world.awc3, dob=date(2025, 5, 1), name="Chitra")
    for child in (own, other):
        measure(child, on=date(2026, 11, 12), weight=8.8, lenhei=73.0)
    run_nightly.delay(TODAY.isoformat()).get()
    return own, other


def body(child, **extra) -> dict:
    return {"client_uuid": str(uuid.uuid4()), "child": child.pk, "date": TODAY.isoformat(), "weight_kg": "9.00",
            "lenhei_cm": "73.5", "measure": "l", "oedema": False, **extra}


def test_create_returns_scores_and_result(kids, users, login):
    response = login(users.aww).post(MEASUREMENTS, body(kids[0]), content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["stunting"] == 1 and data["haz"] < -2
    assert data["result"].startswith("Weight normal; height moderately low for age — stunted")


def test_replayed_create_answers_with_the_first_measurement(kids, users, login):
    client = login(users.aww)
    payload = body(kids[0])
    first = client.post(MEASUREMENTS, payload, content_type="application/json")
    again = client.post(MEASUREMENTS, {**payload, "weight_kg": "9.50"}, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["weight_kg"] == "9.00"
    assert Measurement.objects.filter(child=kids[0]).count() == 2


def test_create_refuses_impossible_weight_with_message(kids, users, login):
    response = login(users.aww).post(MEASUREMENTS, body(kids[0], weight_kg="80"), content_type="application/json")
    assert response.status_code == 400
    assert "80 kg is not possible" in response.json()["weight_kg"][0]


def test_create_refuses_muac_under_six_months(world, make_child, users, login):
    baby = make_child(world.awc1, age_days=100)
    response = login(users.aww).post(MEASUREMENTS, body(baby, weight_kg="5.50", lenhei_cm="58.0", muac_cm="11.0"),
                                     content_type="application/json")
    assert response.status_code == 400 and "from 6 months" in response.json()["muac_cm"][0]


def test_create_for_a_child_out_of_scope_looks_like_no_child(kids, users, login):
    response = login(users.aww).post(MEASUREMENTS, body(kids[1]), content_type="application/json")
    assert response.status_code == 400 and "child" in response.json()
    assert Measurement.objects.filter(child=kids[1]).count() == 1


def test_supervisor_cannot_create(kids, users, login):
    assert login(users.supervisor).post(MEASUREMENTS, body(kids[0]), content_type="application/json").status_code == 403


def test_measurement_list_holds_only_own_children(kids, users, login):
    rows = login(users.aww).get(MEASUREMENTS).json()["results"]
    assert {row["child"] for row in rows} == {kids[0].pk}


def test_measurement_detail_out_of_scope_is_not_found(kids, users, login):
    other = kids[1].measurements.get()
    assert login(users.aww).get(f"{MEASUREMENTS}{other.pk}/").status_code == 404


def test_measurement_list_filters_by_child(kids, users, login):
    rows = login(users.supervisor).get(MEASUREMENTS, {"child": kids[0].pk}).json()["results"]
    assert [row["child"] for row in rows] == [kids[0].pk]


def test_child_status_and_history(kids, users, login):
    data = login(users.aww).get(f"{CHILDREN}{kids[0].pk}/").json()
    assert data["status"]["stunting"] == 1 and data["status"]["measured_on"] == "2026-11-12"
    assert [m["date"] for m in data["history"]] == ["2026-11-12"]
    assert "name" not in data


def test_child_status_out_of_scope_is_not_found(kids, users, login):
    assert login(users.aww).get(f"{CHILDREN}{kids[1].pk}/").status_code == 404


def test_child_status_list_holds_only_own_children(kids, users, login):
    rows = login(users.aww).get(CHILDREN).json()["results"]
    assert [row["child"] for row in rows] == [kids[0].pk]


def test_child_without_a_run_has_null_status(world, make_child, users, login):
    child = make_child(world.awc1, age_days=300)
    assert login(users.aww).get(f"{CHILDREN}{child.pk}/").json()["status"] is None


@pytest.mark.parametrize("role", [Role.CDPO, Role.MINISTRY, Role.HELPLINE])
def test_roles_without_names_get_no_child_records(kids, users, login, role):
    client = login(getattr(users, role))
    assert client.get(MEASUREMENTS).status_code == 403
    assert client.get(CHILDREN).status_code == 403


def test_schema_lists_growth_endpoints(users, login):
    paths = login(users.aww).get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {MEASUREMENTS, f"{MEASUREMENTS}{{id}}/", CHILDREN, f"{CHILDREN}{{id}}/"} <= set(paths)


def test_reading_a_childs_growth_is_audited(kids, users, login):
    from poshan.core.models import AuditEvent

    login(users.aww).get(f"{CHILDREN}{kids[0].pk}/")
    assert AuditEvent.objects.filter(action="view", object_type="beneficiaries.beneficiary",
                                     object_id=str(kids[0].pk)).exists()
