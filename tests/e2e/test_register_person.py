"""Registering a person on a phone: the name typed is the name saved."""
import pytest
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary

from .steps import sign_in

pytestmark = pytest.mark.browser


def test_worker_registers_a_person_on_the_phone_and_the_name_is_saved(live_server, page, shots, users, world):
    base = live_server.url
    sign_in(page, base, users.aww, language="en")
    page.goto(f"{base}/beneficiaries/new/")
    expect(page.locator("[name=name]")).to_have_count(1)
    family = page.locator("fieldset", has=page.locator("[name=head_name]"))
    person = page.locator("fieldset", has=page.locator("[name=name]"))
    expect(family.locator("legend")).to_be_visible()
    expect(person.locator("legend")).to_be_visible()
    expect(family.locator("[name=name]")).to_have_count(0)
    expect(person.locator("[name=head_name]")).to_have_count(0)

    family.locator("[name=head_name]").fill("Ramesh Kumar")
    person.locator("[name=name]").fill("Sunita Kumari")
    person.locator("input[name=sex][value=F]").check()
    person.locator("[name=age_years]").fill("25")
    shots("form-filled")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/beneficiaries/*/")
    expect(page.locator("h1")).to_contain_text("Sunita Kumari")
    shots("saved")
    saved = Beneficiary.objects.get(name="Sunita Kumari")
    assert saved.awc_id == world.awc1.pk and saved.household.head_name == "Ramesh Kumar"
