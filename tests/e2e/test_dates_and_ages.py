"""On the phone, dates read day first and a Hindi page says ages, consent and pregnancy dates in Hindi."""
from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from beneficiaries.lifestage import age_text
from beneficiaries.models import Beneficiary
from tests.factories import make_household, make_person

from .steps import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def family(world, today):
    household = make_household(world.awc1, head_name="Suresh Yadav")
    mother = make_person(household, name="Meena", dob=date(1998, 5, 10), enrol_as="pregnant",
                         lmp=today - timedelta(days=70))
    child = make_person(household, name="Aarti", enrol_as="child", dob=today - timedelta(days=3 * 365 + 130))
    weighed = today.replace(day=1) - timedelta(days=20)
    Beneficiary.objects.filter(pk=child.pk).update(last_weighed_on=weighed)
    return {"mother": mother, "child": child, "weighed": weighed}


def test_english_dates_are_day_first_on_the_phone(live_server, page, shots, users, family):
    sign_in(page, live_server.url, users.aww, language="en")
    page.goto(f"{live_server.url}/beneficiaries/{family['mother'].pk}/")
    expect(page.locator("dl.facts")).to_contain_text("10 May 1998")
    shots("person-page")
    page.goto(f"{live_server.url}/beneficiaries/due/")
    with translation.override("en"):
        weighed = date_format(family["weighed"])
    expect(page.locator("main")).to_contain_text(f"last weighed {weighed}")
    shots("due-list")


def test_hindi_pages_say_ages_consent_and_pregnancy_in_hindi(live_server, page, shots, users, family, today):
    sign_in(page, live_server.url, users.aww, language="hi")
    for path in ("/beneficiaries/", "/beneficiaries/due/", f"/beneficiaries/{family['mother'].pk}/",
                 f"/beneficiaries/{family['child'].pk}/"):
        page.goto(f"{live_server.url}{path}")
        text = page.locator("main").inner_text()
        shots(path.strip("/").replace("/", "-"))
        for english in ("year", "month", "day", "self", "face", "services", "sms", "LMP", "EDD"):
            assert english not in text, (path, english)
    with translation.override("hi"):
        child_age, mother_age = (age_text(family[who].dob, today) for who in ("child", "mother"))
    assert "वर्ष, " in child_age and "महीन" in child_age  # "3 वर्ष, 4 महीने"
    expect(page.locator("main")).to_contain_text(child_age)  # the child's page
    page.goto(f"{live_server.url}/beneficiaries/{family['mother'].pk}/")
    expect(page.locator("main")).to_contain_text(mother_age)  # "28 वर्ष"
    expect(page.locator("main")).to_contain_text("(स्वयं)")
    expect(page.locator("main")).to_contain_text("आखिरी माहवारी")
