"""A form the phone does not keep (a registration), saved without a network, on a phone in Hindi: she stays on the
page with what she typed, the page says nothing was sent, and saving again once the network is back saves it once.
(Before, the browser's own error page replaced the form and what she had typed was lost.)"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary

from .steps import said, sign_in, wait_until_kept

pytestmark = pytest.mark.browser

NOT_SENT = "No network: this was not sent. What you entered is still here: save again when the network returns."


def test_registration_saved_without_a_network_keeps_what_she_typed_and_saves_once_back_online(
        live_server, page, context, shots, users, world):
    base = live_server.url
    sign_in(page, base, users.aww, language="hi")
    page.goto(f"{base}/beneficiaries/new/")
    wait_until_kept(page, "/")  # the service worker controls this page (the home page is kept)
    form = page.locator("main form", has=page.locator("[name=head_name]"))
    form.locator("[name=head_name]").fill("रमेश कुमार")
    form.locator("[name=name]").fill("सुनीता कुमारी")
    form.locator("input[name=sex][value=F]").check()
    form.locator("[name=age_years]").fill("24")
    url = page.url

    context.set_offline(True)
    form.locator("button[type=submit]").click()
    note = page.locator("[data-not-sent]")
    expect(note).to_have_text(said("hi", NOT_SENT))
    expect(note).to_have_attribute("role", "alert")
    shots("offline-not-sent")
    assert page.url == url
    assert form.locator("[name=head_name]").input_value() == "रमेश कुमार"
    assert form.locator("[name=name]").input_value() == "सुनीता कुमारी"
    assert form.locator("input[name=sex][value=F]").is_checked()
    assert form.locator("[name=age_years]").input_value() == "24"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert not Beneficiary.objects.filter(name="सुनीता कुमारी").exists()

    context.set_offline(False)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/beneficiaries/*/")
    expect(page.locator("h1")).to_contain_text("सुनीता कुमारी")
    shots("saved-back-online")
    saved = Beneficiary.objects.get(name="सुनीता कुमारी")
    assert saved.awc_id == world.awc1.pk and saved.household.head_name == "रमेश कुमार"
