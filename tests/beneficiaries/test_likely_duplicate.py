"""The same person registered again under a new client id (same name — case and spaces aside — sex, date of
birth and mother at one centre) gets a warning the worker can confirm past, on the page, the API and the service."""
import uuid
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.models import Beneficiary, Household
from tests.factories import make_household, make_person

FIRST_DAY = date(2026, 3, 14)
TODAY = date(2026, 11, 27)


@pytest.fixture
def sunita(world, users):
    with time_machine.travel(FIRST_DAY, tick=False):
        return make_person(make_household(world.awc1, actor=users.aww), actor=users.aww, name="Sunita Devi",
                           sex="F", dob=date(2024, 2, 1), enrol_as="child")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _again(household, actor, **extra):
    return services.beneficiary_register(
        actor=actor, household=household, client_uuid=uuid.uuid4(),
        person=services.PersonInput(name="  sunita   DEVI ", sex="F", dob=date(2024, 2, 1), enrol_as="child"),
        consent=None, **extra)


def test_the_service_warns_of_a_likely_duplicate_and_saves_on_confirmation(world, users, sunita):
    other_family = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal")
    with translation.override("en"), pytest.raises(ValidationError) as warned:
        _again(other_family, users.aww)
    error = warned.value.error_dict["confirm_duplicate"][0]
    assert error.code == "likely_duplicate"
    assert "14" in error.messages[0] and "2026" in error.messages[0]  # the day the first one was registered
    assert Beneficiary.objects.filter(dob=date(2024, 2, 1)).count() == 1
    second = _again(other_family, users.aww, confirm_duplicate=True)
    assert second.pk != sunita.pk and Beneficiary.objects.filter(dob=date(2024, 2, 1)).count() == 2


def test_no_warning_for_another_centre_another_birthday_or_a_boy(world, users, sunita):
    elsewhere = make_household(world.awc2, actor=users.aww)  # the service checks the centre only
    assert _again(elsewhere, users.aww).awc_id == world.awc2.pk
    here = make_household(world.awc1, actor=users.aww)
    make_person(here, actor=users.aww, name="Sunita Devi", sex="F", dob=date(2024, 2, 2), enrol_as="child")
    make_person(here, actor=users.aww, name="Sunita Devi", sex="M", dob=date(2024, 2, 1), enrol_as="child")


def test_a_twin_of_another_name_is_registered_without_a_warning(world, users, sunita):
    """Someone of the same birth is on the register (the INSERT that checks for one does nothing), but the names
    differ: she is registered, once, with nothing to confirm."""
    twin = services.beneficiary_register(
        actor=users.aww, household=sunita.household, client_uuid=uuid.uuid4(), consent=None,
        person=services.PersonInput(name="Anita Devi", sex="F", dob=date(2024, 2, 1), enrol_as="child"))
    assert Beneficiary.objects.filter(dob=date(2024, 2, 1), awc=world.awc1).count() == 2
    assert Beneficiary.objects.get(pk=twin.pk).name == "Anita Devi"
    assert twin.memberships.filter(end__isnull=True).count() == 1


def test_someone_who_left_the_centre_is_not_a_likely_duplicate(world, users, sunita):
    Beneficiary.objects.filter(pk=sunita.pk).update(exited_on=date(2026, 10, 1), exit_reason="migrated")
    again = _again(make_household(world.awc1, actor=users.aww), users.aww)
    assert again.pk != sunita.pk


def test_with_a_mother_named_a_child_of_another_mother_is_no_duplicate(world, users):
    home = make_household(world.awc1, actor=users.aww)
    geeta = make_person(home, actor=users.aww, name="Geeta", sex="F", age_years=28)
    kamla = make_person(home, actor=users.aww, name="Kamla", sex="F", age_years=30)

    def child(mother, **extra):
        return services.beneficiary_register(
            actor=users.aww, household=home, client_uuid=uuid.uuid4(), consent=None, **extra,
            person=services.PersonInput(name="Ravi", sex="M", dob=date(2025, 5, 5), enrol_as="child", mother=mother))

    child(geeta)
    child(kamla)  # the same name and birth, another mother: no warning
    with pytest.raises(ValidationError) as warned:
        child(geeta)
    assert warned.value.error_dict["confirm_duplicate"][0].code == "likely_duplicate"
    assert Beneficiary.objects.filter(name="Ravi").count() == 2


def _page(client, **extra):
    with translation.override("en"):
        return client.post(reverse("beneficiaries:new"), {
            "head_name": "Mohan Lal", "name": "SUNITA devi", "sex": "F", "dob": "2024-02-01",
            "relation_to_head": "daughter", "enrol_as": "child", "is_resident": "on",
            "client_uuid": str(uuid.uuid4()), **extra})


def test_the_page_shows_the_warning_keeps_what_was_typed_and_saves_when_confirmed(users, login, sunita):
    client = login(users.aww)
    families = Household.objects.count()
    warned = _page(client)
    assert warned.status_code == 400
    page = warned.content.decode()
    assert "Yes, this is a different person" in page and 'name="confirm_duplicate" type="checkbox"' in page.replace(
        'type="checkbox" name="confirm_duplicate"', 'name="confirm_duplicate" type="checkbox"')
    assert "registered at this centre on" in page
    assert 'value="Mohan Lal"' in page and 'value="2024-02-01"' in page and 'value="SUNITA devi"' in page
    assert Household.objects.count() == families
    saved = _page(client, confirm_duplicate="on")
    assert saved.status_code == 302
    assert Beneficiary.objects.filter(dob=date(2024, 2, 1), awc=sunita.awc).count() == 2


def test_the_page_has_no_checkbox_until_there_is_a_warning(users, login):
    page = login(users.aww).get(reverse("beneficiaries:new")).content.decode()
    assert 'type="checkbox" name="confirm_duplicate"' not in page and "different person" not in page


def test_the_api_answers_the_warning_and_accepts_confirm_duplicate(users, login, world, sunita):
    client = login(users.aww)
    household = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal")
    body = {"household": household.pk, "name": "Sunita Devi", "sex": "F", "dob": "2024-02-01", "enrol_as": "child"}
    with translation.override("en"):
        warned = client.post("/api/v1/beneficiaries/", body, content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="en")
    assert warned.status_code == 400
    assert "registered at this centre on" in warned.json()["confirm_duplicate"][0]
    saved = client.post("/api/v1/beneficiaries/", {**body, "confirm_duplicate": True},
                        content_type="application/json")
    assert saved.status_code == 201, saved.content


def test_the_warning_speaks_the_workers_language(world, users, sunita):
    with translation.override("hi"), pytest.raises(ValidationError) as warned:
        _again(make_household(world.awc1, actor=users.aww), users.aww)
    assert "दूसरा व्यक्ति" in warned.value.message_dict["confirm_duplicate"][0]


def test_the_offline_batch_gets_the_same_refusal_with_its_code(users, login, world, sunita):
    household = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal")
    body = {"household": household.pk, "name": "sunita devi", "sex": "F", "dob": "2024-02-01", "enrol_as": "child"}
    items = [{"type": "registration", "client_uuid": str(uuid.uuid4()), "payload": body},
             {"type": "registration", "client_uuid": str(uuid.uuid4()), "payload": {**body, "confirm_duplicate": True}}]
    with translation.override("en"):
        answers = login(users.aww).post("/api/v1/submissions/batch/", items, content_type="application/json",
                                        HTTP_ACCEPT_LANGUAGE="en").json()
    assert [a["status"] for a in answers] == ["rejected", "saved"]
    assert answers[0]["codes"] == {"confirm_duplicate": ["likely_duplicate"]}
    assert "registered at this centre on" in answers[0]["errors"]["confirm_duplicate"][0]
    assert answers[1]["result"]["id"] != sunita.pk
    assert Beneficiary.objects.filter(dob=date(2024, 2, 1), awc=world.awc1).count() == 2
