"""Names a person types are checked by one rule (poshan.core.names) in the services: page and API both obey.

A name of only zero-width characters, or one with a right-to-left override hiding what is written, is refused
with a clear message and nothing is saved; a Hindi name that needs a zero-width joiner is accepted.
"""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.models import Beneficiary, Household
from tests.factories import make_household, make_person

INVISIBLE = "\u200b\u200c\u200d"
OVERRIDE = "Ram\u202eesh"
HINDI_ZWJ = "क्\u200dष्णा"  # a half-form kept with a zero-width joiner


def _page(client, name, head_name="Ramesh Kumar"):
    with translation.override("en"):
        return client.post(reverse("beneficiaries:new"), {
            "head_name": head_name, "name": name, "sex": "F", "age_years": "25",
            "relation_to_head": "spouse", "enrol_as": "member", "is_resident": "on",
        })


@pytest.mark.parametrize("bad, message", [(INVISIBLE, "visible letters"), (OVERRIDE, "writing direction")])
def test_the_page_refuses_an_invisible_or_reordered_name_and_saves_nothing(users, login, world, bad, message):
    client = login(users.aww)
    people, families = Beneficiary.objects.count(), Household.objects.count()
    for response, field in ((_page(client, bad), "name"), (_page(client, "Sunita", head_name=bad), "head_name")):
        assert response.status_code == 400
        assert any(message in error for error in response.context["form"].errors[field])
    assert (Beneficiary.objects.count(), Household.objects.count()) == (people, families)


def test_the_page_accepts_a_hindi_name_with_a_zero_width_joiner(users, login, world):
    response = _page(login(users.aww), HINDI_ZWJ, head_name=HINDI_ZWJ)
    assert response.status_code == 302
    assert Beneficiary.objects.filter(name=HINDI_ZWJ, household__head_name=HINDI_ZWJ).exists()


@pytest.mark.parametrize("bad, message", [(INVISIBLE, "visible letters"), (OVERRIDE, "writing direction")])
def test_the_api_refuses_an_invisible_or_reordered_name_and_saves_nothing(users, login, world, bad, message):
    client = login(users.aww)
    household = make_household(world.awc1, actor=users.aww)
    people, families = Beneficiary.objects.count(), Household.objects.count()
    with translation.override("en"):
        person = client.post("/api/v1/beneficiaries/", {"household": household.pk, "name": bad, "sex": "F",
                                                        "age_years": 30}, content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="en")
        family = client.post("/api/v1/households/", {"head_name": bad}, content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="en")
        edit = client.patch(f"/api/v1/beneficiaries/{make_person(household, actor=users.aww, age_years=30).pk}/", {"name": bad},
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert person.status_code == 400 and message in str(person.json()["name"])
    assert family.status_code == 400 and message in str(family.json()["head_name"])
    assert edit.status_code == 400 and message in str(edit.json()["name"])
    assert (Beneficiary.objects.count(), Household.objects.count()) == (people + 1, families)
    assert not Beneficiary.objects.filter(name=bad).exists()


def test_the_api_accepts_a_hindi_name_with_a_zero_width_joiner(users, login, world):
    client = login(users.aww)
    household = make_household(world.awc1, actor=users.aww, head_name=HINDI_ZWJ)
    response = client.post("/api/v1/beneficiaries/", {"household": household.pk, "name": HINDI_ZWJ, "sex": "F",
                                                      "age_years": 30}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == HINDI_ZWJ


def test_staff_names_and_a_helpline_caller_name_obey_the_same_rule(users, world):
    from anganwadi.services import staff_create

    with pytest.raises(ValidationError) as refused:
        staff_create(actor=users.admin, username="newworker", password="a long pass phrase 42",
                     role="aww", location=world.awc1, first_name=INVISIBLE, last_name=OVERRIDE)
    assert set(refused.value.message_dict) == {"first_name", "last_name"}
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="newworker").exists()


def test_a_helpline_caller_name_obeys_the_same_rule(users, login, world):
    from grievances.models import Grievance

    with translation.override("en"):
        response = login(users.helpline).post("/api/v1/grievances/", {
            "category": "payment", "description": "Late pay.", "awc": world.awc6.pk, "caller_language": "mr",
            "caller_name": OVERRIDE}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "writing direction" in str(response.json()["caller_name"])
    assert not Grievance.objects.exists()


def test_the_admin_user_form_refuses_a_bad_first_or_last_name(users):
    from anganwadi.admin import UserNamesForm

    user = users.aww
    data = {"username": user.username, "first_name": INVISIBLE, "last_name": OVERRIDE, "role": user.role,
            "preferred_language": "hi", "is_active": "on", "date_joined": "2026-01-01 10:00"}
    with translation.override("en"):
        form = UserNamesForm(data, instance=user)
        assert not form.is_valid()
    assert "visible letters" in form.errors["first_name"][0]
    assert "writing direction" in form.errors["last_name"][0]
    good = UserNamesForm({**data, "first_name": HINDI_ZWJ, "last_name": "देवी"}, instance=user)
    assert good.is_valid(), good.errors
