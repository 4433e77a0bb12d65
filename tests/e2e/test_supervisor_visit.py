"""A supervisor on her phone (360 px): the alerts on her home page, her sector's centres, a visit with an action,
and the next visit closing it; no page wider than the screen, in English and in Hindi."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from poshan.supervision.models import ActionItem

from .steps import sign_in

pytestmark = pytest.mark.browser
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def answer_checklist(page) -> None:
    for radio in page.locator("fieldset.card input[type=radio][value=yes]").all():
        radio.check()


def test_supervisor_records_a_visit_and_the_next_one_closes_its_action(live_server, page, shots, users, world):
    base = live_server.url
    sign_in(page, base, users.supervisor)
    expect(page.locator("#alerts-title")).to_be_visible()  # nothing submitted yet by her centres
    assert not page.evaluate(WIDER_THAN_SCREEN)
    shots("home-alerts")
    page.click("a.tile[href='/supervision/']")
    expect(page.locator("table.list")).to_contain_text(world.awc1.name)
    assert not page.evaluate(WIDER_THAN_SCREEN)
    page.goto(f"{base}/supervision/centre/{world.awc1.pk}/visit/")
    answer_checklist(page)
    page.fill("#id_new_0_text", "Repair the weighing scale")
    page.select_option("#id_new_0_owner", "cdpo")
    page.fill("#id_new_0_due", page.input_value("#id_on"))
    assert not page.evaluate(WIDER_THAN_SCREEN)
    shots("visit-form")
    page.click("button.primary[type=submit]")
    expect(page.locator("main")).to_contain_text("Repair the weighing scale")
    assert not page.evaluate(WIDER_THAN_SCREEN)
    shots("centre")

    page.goto(f"{base}/supervision/centre/{world.awc1.pk}/visit/")
    expect(page.locator("main")).to_contain_text("Actions from the last visit")
    answer_checklist(page)
    page.locator("input[type=radio][value=done]").check()
    page.click("button.primary[type=submit]")
    expect(page.locator("main")).to_contain_text("No open actions.")
    assert ActionItem.objects.get().status == ActionItem.Status.DONE


def test_the_visit_form_fits_the_phone_in_hindi(live_server, page, users, world):
    sign_in(page, live_server.url, users.supervisor, language="hi")
    page.goto(f"{live_server.url}/supervision/centre/{world.awc1.pk}/visit/")
    expect(page.locator("h1")).to_contain_text("दौरा दर्ज करें")
    assert not page.evaluate(WIDER_THAN_SCREEN)
