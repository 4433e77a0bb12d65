"""The registration page: every field once, in a family block and a person block a worker can tell apart."""
import re
from collections import Counter

from django.urls import reverse
from django.utils import translation

from beneficiaries.forms import RegisterForm


def _ids(page: str) -> Counter:
    return Counter(re.findall(r'\bid="([^"]+)"', page))


def test_every_field_renders_once_with_unique_ids(users, login):
    page = login(users.aww).get(reverse("beneficiaries:new")).content.decode()
    repeated = {i: n for i, n in _ids(page).items() if n > 1}
    assert repeated == {}
    names = Counter(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page))
    for field in RegisterForm.base_fields:
        if field == "consent_purposes" or field in ("sex",):  # one input per choice, one name
            assert names[field] >= 2, field
        elif field in ("csrfmiddlewaretoken",):
            continue
        else:
            assert names[field] == 1, (field, names[field])


def test_the_family_and_the_person_are_separate_blocks(users, login):
    with translation.override("en"):
        page = login(users.aww).get(reverse("beneficiaries:new")).content.decode()
    blocks = re.findall(r"<fieldset[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>", page, flags=re.S)
    by_legend = {legend: body for legend, body in blocks}
    family = next(body for legend, body in by_legend.items() if "family" in legend.lower())
    person = next(body for legend, body in by_legend.items() if "person" in legend.lower())
    assert 'name="head_name"' in family and 'name="name"' not in family
    assert 'name="name"' in person and 'name="head_name"' not in person


def test_a_name_typed_is_kept_and_the_person_saved(users, login, world):
    client = login(users.aww)
    response = client.post(reverse("beneficiaries:new"), {
        "head_name": "Ramesh Kumar", "name": "Sunita Kumari", "sex": "F", "age_years": "25",
        "relation_to_head": "spouse", "enrol_as": "member", "is_resident": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from beneficiaries.models import Beneficiary
    assert Beneficiary.objects.filter(name="Sunita Kumari", awc=world.awc1).exists()


def test_a_refused_person_leaves_no_family_behind(users, login, world):
    """A new family with a person whose Aadhaar is registered already: nothing is saved, no orphan family."""
    from beneficiaries.models import Household
    from tests.factories import make_household, make_person, valid_aadhaar

    number = valid_aadhaar(7)
    make_person(make_household(world.awc1, actor=users.aww), actor=users.aww, name="Meena", age_years=30,
                aadhaar=number)
    families = Household.objects.count()
    response = login(users.aww).post(reverse("beneficiaries:new"), {
        "head_name": "Suresh Yadav", "name": "Kavita Yadav", "sex": "F", "age_years": "28",
        "relation_to_head": "spouse", "enrol_as": "member", "is_resident": "on", "aadhaar": number,
        "consent_given_by": "Kavita Yadav", "consent_purposes": ["services", "aadhaar"],
    })
    assert response.status_code == 400
    assert "aadhaar" in response.context["form"].errors
    assert Household.objects.count() == families


def test_a_new_family_sent_twice_is_saved_once_and_answered_with_the_first(users, login, world):
    """The phone re-sends a new family's form when the first answer was lost: one family, one person, and the retry
    taken to the person first saved (the family written again for the retry is undone, its audit event with it)."""
    import uuid

    from beneficiaries.models import Beneficiary, Household
    from poshan.core.models import AuditEvent

    key = str(uuid.uuid4())
    form = {"head_name": "Mohan Lal", "name": "Geeta Devi", "sex": "F", "age_years": "31", "client_uuid": key,
            "relation_to_head": "spouse", "enrol_as": "member", "is_resident": "on"}
    client = login(users.aww)
    families = Household.objects.count()
    first = client.post(reverse("beneficiaries:new"), form)
    again = client.post(reverse("beneficiaries:new"), form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Beneficiary.objects.filter(client_uuid=key).count() == 1
    assert Household.objects.count() == families + 1
    assert AuditEvent.objects.filter(object_type="beneficiaries.household", action="create",
                                     awc_id=world.awc1.pk).count() == 1
