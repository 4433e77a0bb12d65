"""Recording that a person left, on a phone: nothing chosen for her, a confirmation, and a supervisor's undo."""
from datetime import date

import pytest
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary
from tests.factories import make_household, make_person

from .steps import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_one_tap_records_no_death_and_a_supervisor_can_undo(live_server, page, shots, users, world):
    base = live_server.url
    asha = make_person(make_household(world.awc1, actor=users.aww), name="Asha Devi", sex="F", dob=date(1995, 3, 3))
    sign_in(page, base, users.aww, language="en")
    page.goto(f"{base}/beneficiaries/{asha.pk}/")
    expect(page.locator("input[name=reason]:checked")).to_have_count(0)
    shots("person-page")

    page.click("button:has-text('Record leaving')")  # the one tap that used to record a death
    page.wait_for_load_state()
    asha.refresh_from_db()
    assert asha.exited_on is None

    page.check("input[name=reason][value=death]")
    page.click("button:has-text('Record leaving')")
    page.wait_for_load_state()
    asha.refresh_from_db()
    assert asha.exited_on is None  # not confirmed yet
    expect(page.locator("input[name=reason][value=death]")).to_be_checked()  # her choice is kept
    shots("asked-to-confirm")

    page.check("input[name=confirm]")
    page.click("button:has-text('Record leaving')")
    page.wait_for_url(f"{base}/beneficiaries/{asha.pk}/")
    asha.refresh_from_db()
    assert asha.exit_reason == Beneficiary.ExitReason.DEATH
    sign_out(page, base)

    sign_in(page, base, users.supervisor, language="en")
    page.goto(f"{base}/beneficiaries/{asha.pk}/")
    page.fill("textarea[name=reason]", "She is alive: Death was chosen by mistake")
    shots("supervisor-undo")
    page.click("button:has-text('Undo leaving')")
    page.wait_for_url(f"{base}/beneficiaries/{asha.pk}/")
    asha.refresh_from_db()
    assert asha.exited_on is None and asha.exit_reason == ""
    shots("back-in-the-programme")
