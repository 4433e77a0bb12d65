"""On a 360-px phone in Hindi: the CDPO gives awc2's worker charge of the vacant awc1; the worker switches to it
from the top of her page and her day's page is then awc1's."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .steps import sign_in, sign_out

pytestmark = pytest.mark.browser


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_cdpo_gives_charge_and_the_worker_works_the_vacant_centre(live_server, page, shots, users, world,
                                                                      make_user, today):
    base = live_server.url
    worker = make_user("aww", world.awc2)
    sign_in(page, base, users.cdpo, language="hi")
    page.goto(f"{base}/charges/")
    expect(page.locator("h1")).to_have_text("अतिरिक्त प्रभार")
    page.select_option("#id_holder", str(worker.pk))
    page.select_option("#id_location", str(world.awc1.pk))
    page.fill("#id_start", today.isoformat())
    page.fill("#id_end", (today + timedelta(days=6)).isoformat())
    page.fill("#id_reason", "मातृत्व अवकाश")
    assert fits_the_phone(page)
    shots("grant-form")
    page.click("form.form button.primary")
    expect(page.locator("table.list")).to_contain_text(world.awc1.name)
    expect(page.locator("table.list")).to_contain_text("अभी प्रभार में")
    assert fits_the_phone(page)
    shots("granted")
    sign_out(page, base)

    sign_in(page, base, worker, language="hi")
    switch = page.locator("form.switch")
    expect(switch).to_be_visible()
    assert fits_the_phone(page)
    shots("switch")
    switch.locator("select").select_option(str(world.awc1.pk))
    switch.locator("button").click()
    page.goto(f"{base}/centre/today/")
    expect(page.locator("main")).to_contain_text(world.awc1.name)
    expect(page.locator("form.switch select")).to_have_value(str(world.awc1.pk))
    assert fits_the_phone(page)
    shots("working-the-held-centre")
