"""Equipment pages: the worker's centre, her supervisor's sector, read-only above; bad input explained."""
from __future__ import annotations

import pytest
from django.urls import reverse

from anganwadi.equipment.models import Device, Infrastructure
from grievances.models import Grievance

from .conftest import IMEI


def _centre(awc) -> str:
    return reverse("anganwadi:equipment_centre", args=[awc.pk])


def _post_phone(client, awc, **fields):
    data = {"which": "smartphone", "smartphone-kind": "smartphone", "smartphone-condition": "working",
            "smartphone-make": "Samsung A05", "smartphone-imei": IMEI}
    data.update({f"smartphone-{k}": v for k, v in fields.items()})
    return client.post(_centre(awc), data)


def test_worker_goes_straight_to_her_centre(world, users, login):
    response = login(users.aww).get(reverse("anganwadi:equipment"))
    assert response.status_code == 302 and response["Location"] == _centre(world.awc1)


@pytest.mark.parametrize("role, inside, outside", [
    ("aww", "awc1", "awc2"), ("awh", "awc1", "awc2"), ("supervisor", "awc1", "awc3"), ("cdpo", "awc1", "awc4"),
    ("dpo", "awc1", "awc5"), ("state", "awc1", "awc6")])
def test_centre_page_in_and_out_of_scope(world, users, login, role, inside, outside):
    client = login(getattr(users, role))
    assert client.get(_centre(getattr(world, inside))).status_code == 200
    assert client.get(_centre(getattr(world, outside))).status_code == 404


def test_officer_list_shows_only_centres_of_the_area(world, users, login, phone):
    page = login(users.supervisor).get(reverse("anganwadi:equipment")).content.decode()
    assert world.awc1.name in page and world.awc2.name in page and world.awc3.name not in page
    assert "Working" in page


def test_helpline_has_no_equipment_pages(world, users, login):
    assert login(users.helpline).get(reverse("anganwadi:equipment")).status_code == 403


def test_page_shows_the_imei_masked(world, users, login, phone):
    page = login(users.aww).get(_centre(world.awc1)).content.decode()
    assert "XXXXXXXXXXX7518" in page and IMEI not in page


def test_worker_records_her_phone_from_the_page(world, users, login):
    response = _post_phone(login(users.aww), world.awc1)
    assert response.status_code == 302
    assert Device.objects.get(awc=world.awc1).make == "Samsung A05"


def test_supervisor_reports_a_broken_scale_in_her_sector(world, users, login):
    client = login(users.supervisor)
    response = client.post(_centre(world.awc2), {"which": "infant_scale", "infant_scale-kind": "infant_scale",
                                                 "infant_scale-condition": "working"}, follow=True)
    assert response.status_code == 200 and Device.objects.get(awc=world.awc2).condition == "working"


def test_broken_phone_from_the_page_tells_the_grievance_reference(world, users, login, phone):
    response = _post_phone(login(users.aww), world.awc1, condition="broken", imei="")
    page = login(users.aww).get(response["Location"]).content.decode()
    assert Grievance.objects.get().reference in page


def test_block_coordinator_may_look_but_not_change(world, users, login):
    client = login(users.cdpo)
    assert 'name="which"' not in client.get(_centre(world.awc1)).content.decode()
    assert _post_phone(client, world.awc1).status_code == 403


def test_worker_cannot_post_for_another_centre(world, users, login):
    assert _post_phone(login(users.aww), world.awc2).status_code == 404


def test_bad_imei_on_the_page_is_explained_and_nothing_saved(world, users, login):
    response = _post_phone(login(users.aww), world.awc1, imei=IMEI[:-1] + "0")
    assert response.status_code == 400 and "fails its check digit" in response.content.decode()
    assert not Device.objects.exists()


def test_unknown_device_type_on_the_page_is_explained(world, users, login):
    response = login(users.aww).post(_centre(world.awc1), {"which": "fridge", "fridge-kind": "fridge",
                                                           "fridge-condition": "working"})
    assert response.status_code == 400 and "Unknown device type “fridge”" in response.content.decode()
    assert not Device.objects.exists()


def test_building_is_saved_from_the_page(world, users, login):
    response = login(users.aww).post(_centre(world.awc1), {"which": "infra", "infra-toilet": "on",
                                                           "infra-kitchen": "on"})
    assert response.status_code == 302
    building = Infrastructure.objects.get(awc=world.awc1)
    assert (building.toilet, building.kitchen, building.electricity) == (True, True, False)


def test_list_costs_a_bounded_number_of_queries(world, users, login, phone, django_assert_max_num_queries):
    from anganwadi.equipment.services import device_record

    for kind in ("infant_scale", "stadiometer"):
        device_record(actor=users.supervisor, awc=world.awc2, kind=kind, condition="working")
    client = login(users.ministry)
    client.get(reverse("anganwadi:equipment"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("anganwadi:equipment")).status_code == 200
