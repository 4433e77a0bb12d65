"""The register pages and API: what a worker sees, what she may not see, and bad input kept."""
import uuid
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import Beneficiary
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from tests.factories import make_household, make_person, valid_aadhaar

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(world, users):
    household = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal", mobile="9123456789")
    child = make_person(household, name="Pinky", dob=date(2024, 5, 5), enrol_as="child", aadhaar=valid_aadhaar(21))
    elsewhere = make_person(make_household(world.awc2, head_name="Other"), name="Outsider", dob=date(2024, 5, 5),
                            enrol_as="child")
    return household, child, elsewhere


def test_worker_sees_her_register_with_masked_numbers_only(people, users, login):
    household, child, elsewhere = people
    page = login(users.aww).get(reverse("beneficiaries:register")).content.decode()
    assert "Pinky" in page and "Outsider" not in page
    detail = login(users.aww).get(reverse("beneficiaries:detail", args=[child.pk])).content.decode()
    assert child.aadhaar_masked in detail and child.aadhaar not in detail
    household_page = login(users.aww).get(reverse("beneficiaries:household", args=[household.pk])).content.decode()
    assert "XXXXXX6789" in household_page and "9123456789" not in household_page


def test_worker_of_another_centre_gets_not_found(people, users, login):
    _, child, elsewhere = people
    client = login(users.aww)
    assert client.get(reverse("beneficiaries:detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(f"/api/v1/beneficiaries/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/api/v1/beneficiaries/{child.pk}/").status_code == 200


def test_supervisor_sees_her_sector_but_cannot_register(people, users, login):
    _, child, elsewhere = people
    client = login(users.supervisor)
    assert client.get(reverse("beneficiaries:detail", args=[elsewhere.pk])).status_code == 200
    assert client.get(reverse("beneficiaries:new")).status_code == 403


@pytest.mark.parametrize("role", [Role.CDPO, Role.DPO, Role.STATE, Role.MINISTRY, Role.HELPLINE])
def test_roles_above_the_sector_see_no_names(people, users, login, role):
    _, child, _ = people
    client = login(getattr(users, role))
    assert client.get(reverse("beneficiaries:register")).status_code == 403
    assert client.get(reverse("beneficiaries:detail", args=[child.pk])).status_code == 403
    assert client.get("/api/v1/beneficiaries/").status_code == 403


def test_viewing_a_record_is_audited(people, users, login):
    _, child, _ = people
    login(users.aww).get(reverse("beneficiaries:detail", args=[child.pk]))
    assert AuditEvent.objects.filter(action="view", object_id=str(child.pk), actor=users.aww).exists()


def test_search_by_mobile_number_finds_the_family(people, users, login):
    client = login(users.aww)
    found = client.post(reverse("beneficiaries:register"), {"q": "91234 56789"})  # a number: never in the address
    page = client.get(found["Location"]).content.decode()
    assert "Pinky" in page


def _register_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("beneficiaries:register")).status_code == 200
    return len(ctx.captured_queries)


def test_register_page_query_count_does_not_grow_with_rows(world, users, login, django_assert_max_num_queries):
    household = make_household(world.awc1)
    client = login(users.aww)
    make_person(household, name="Child first", dob=date(2023, 1, 1), enrol_as="child")
    client.get(reverse("beneficiaries:register"))  # session refreshed once
    with_one = _register_queries(client)
    for i in range(30):
        make_person(household, name=f"Child {i}", dob=date(2023, 1, 1 + i % 28), enrol_as="child")
    with_page_full = _register_queries(client)
    assert with_one == with_page_full
    with django_assert_max_num_queries(14):
        client.get(reverse("beneficiaries:register"))


def test_bad_input_re_renders_with_what_was_typed(people, users, login):
    household, _, _ = people
    response = login(users.aww).post(reverse("beneficiaries:new"), {
        "household": household.pk, "name": "Future Baby", "sex": "F", "dob": "2027-01-01", "enrol_as": "child",
        "relation_to_head": "daughter", "mobile": "12345",
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "cannot be in the future" in page
    assert 'value="Future Baby"' in page
    assert not Beneficiary.objects.filter(name="Future Baby").exists()


def test_registration_through_the_page_confirms_and_shows_the_person(people, users, login):
    household, _, _ = people
    client = login(users.aww)
    response = client.post(reverse("beneficiaries:new"), {
        "household": household.pk, "name": "Munni", "sex": "F", "dob": "2025-02-02", "enrol_as": "child",
        "relation_to_head": "daughter", "is_resident": "on", "consent_purposes": ["services"],
        "consent_given_by": "Mohan Lal", "consent_relation": "father",
    }, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Munni is registered" in page and "Child 6 months–3 years" in page


def test_duplicate_aadhaar_message_in_form_and_api_is_the_same(people, users, login, world, make_user):
    _, child, _ = people
    other_worker = make_user(Role.AWW, world.awc3)
    other_household = make_household(world.awc3, actor=other_worker)
    client = login(other_worker)
    form = client.post(reverse("beneficiaries:new"), {
        "household": other_household.pk, "name": "Copy", "sex": "F", "dob": "2024-05-05", "enrol_as": "child",
        "relation_to_head": "daughter", "aadhaar": child.aadhaar, "consent_purposes": ["services", "aadhaar"],
        "consent_given_by": "Parent",
    }).content.decode()
    api = client.post("/api/v1/beneficiaries/", {
        "household": other_household.pk, "name": "Copy", "sex": "F", "dob": "2024-05-05", "enrol_as": "child",
        "aadhaar": child.aadhaar, "consent": {"given_by": "Parent", "purposes": ["services", "aadhaar"]},
    }, content_type="application/json")
    message = api.json()["aadhaar"][0]
    assert api.status_code == 400
    assert "another centre" in message and str(world.awc1.code) not in message  # not her centre: not named
    assert message.replace("'", "&#x27;") in form


def test_api_create_is_idempotent_by_client_uuid(people, users, login):
    household, _, _ = people
    payload = {"household": household.pk, "name": "Tinku", "sex": "M", "dob": "2025-06-01", "enrol_as": "child",
               "client_uuid": str(uuid.uuid4())}
    client = login(users.aww)
    first = client.post("/api/v1/beneficiaries/", payload, content_type="application/json")
    second = client.post("/api/v1/beneficiaries/", payload, content_type="application/json")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["categories"] == ["child_6m_3y"]


def test_api_never_returns_the_full_aadhaar(people, users, login):
    _, child, _ = people
    body = login(users.aww).get(f"/api/v1/beneficiaries/{child.pk}/").content.decode()
    assert child.aadhaar not in body and child.aadhaar_masked in body


def test_due_page_lists_unweighed_children(people, users, login):
    page = login(users.aww).get(reverse("beneficiaries:due")).content.decode()
    assert "Pinky" in page and "Outsider" not in page
