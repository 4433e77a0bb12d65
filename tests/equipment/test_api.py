"""Equipment endpoints: scoped reads, reports through the service, clear messages for bad input."""
from __future__ import annotations

from rest_framework.test import APIClient

from anganwadi.equipment.models import Device, Infrastructure
from grievances.models import Grievance

from .conftest import IMEI

DEVICES = "/api/v1/equipment/devices/"
BUILDINGS = "/api/v1/equipment/infrastructure/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_worker_lists_her_centres_devices_only(world, users, make_user, phone):
    from anganwadi.equipment.services import device_record

    device_record(actor=make_user("aww", world.awc2), awc=world.awc2, kind="stadiometer", condition="working")
    rows = _api(users.aww).get(DEVICES).json()["results"]
    assert [(r["awc"], r["kind"], r["imei_masked"]) for r in rows] == [(world.awc1.pk, "smartphone",
                                                                        "XXXXXXXXXXX7518")]
    assert IMEI not in str(rows)


def test_device_of_another_area_is_not_found(world, users, phone):
    assert _api(users.supervisor).get(f"{DEVICES}{phone.pk}/").status_code == 200
    assert _api(users.cdpo).get(f"{DEVICES}{phone.pk}/").status_code == 200
    assert _api(users.dpo).get(f"{DEVICES}{phone.pk}/").status_code == 200
    assert _api(users.supervisor).get(DEVICES, {"awc": world.awc1.pk}).json()["count"] == 1


def test_out_of_area_officer_gets_not_found(world, users, make_user, phone):
    other_supervisor = make_user("supervisor", world.sector2)
    assert _api(other_supervisor).get(f"{DEVICES}{phone.pk}/").status_code == 404


def test_worker_reports_a_broken_phone_and_a_grievance_opens(world, users, phone):
    response = _api(users.aww).post(DEVICES, {"kind": "smartphone", "condition": "broken"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["condition"] == "broken" and body["grievance_created"] is True
    assert body["grievance_reference"] == Grievance.objects.get().reference


def test_new_device_answers_created(world, users):
    response = _api(users.aww).post(DEVICES, {"kind": "infantometer", "condition": "working"}, format="json")
    assert response.status_code == 201 and response.json()["awc"] == world.awc1.pk


def test_report_for_a_centre_outside_the_area_is_not_found(world, users):
    response = _api(users.supervisor).post(DEVICES, {"awc": world.awc3.pk, "kind": "infantometer",
                                                     "condition": "working"}, format="json")
    assert response.status_code == 404 and not Device.objects.exists()


def test_supervisor_reports_for_a_centre_of_her_sector(world, users):
    response = _api(users.supervisor).post(DEVICES, {"awc": world.awc2.pk, "kind": "infantometer",
                                                     "condition": "working"}, format="json")
    assert response.status_code == 201


def test_unknown_device_type_is_a_clear_400(world, users):
    response = _api(users.aww).post(DEVICES, {"kind": "fridge", "condition": "working"}, format="json")
    assert response.status_code == 400 and "Unknown device type “fridge”" in response.json()["kind"][0]
    assert not Device.objects.exists()


def test_bad_imei_is_a_clear_400_and_nothing_saved(world, users):
    response = _api(users.aww).post(DEVICES, {"kind": "smartphone", "condition": "working",
                                              "imei": IMEI[:-1] + "1"}, format="json")
    assert response.status_code == 400 and "check digit" in response.json()["imei"][0]
    assert not Device.objects.exists()


def test_block_coordinator_cannot_report(world, users):
    response = _api(users.cdpo).post(DEVICES, {"awc": world.awc1.pk, "kind": "infantometer",
                                               "condition": "working"}, format="json")
    assert response.status_code == 403


def test_building_is_recorded_and_read_in_scope(world, users):
    answers = {"own_building": True, "drinking_water": False, "toilet": True, "electricity": True, "kitchen": False}
    assert _api(users.aww).post(BUILDINGS, answers, format="json").status_code == 200
    assert Infrastructure.objects.get(awc=world.awc1).toilet
    assert _api(users.supervisor).get(BUILDINGS).json()["count"] == 1


def test_building_of_another_area_is_not_listed(world, users, make_user):
    answers = {"own_building": True, "drinking_water": True, "toilet": True, "electricity": True, "kitchen": True}
    _api(users.aww).post(BUILDINGS, answers, format="json")
    assert _api(make_user("supervisor", world.sector2)).get(BUILDINGS).json()["count"] == 0


def test_building_needs_all_five_answers(world, users):
    response = _api(users.aww).post(BUILDINGS, {"toilet": True}, format="json")
    assert response.status_code == 400 and "kitchen" in response.json()


def test_api_refuses_a_make_longer_than_the_field(world, users):
    response = _api(users.aww).post(DEVICES, {"kind": "stadiometer", "condition": "working", "make": "M" * 61},
                                    format="json")
    assert response.status_code == 400 and "make" in response.json()
    assert not Device.objects.filter(awc=world.awc1, kind="stadiometer").exists()
