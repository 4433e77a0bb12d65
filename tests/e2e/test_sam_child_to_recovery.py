"""One SAM child from the measurement to recovery, on a 360 px phone: the result page tells the next protocol
step, the worker records the appetite test and the danger signs, three weekly follow-ups, and the case ends
recovered with its weight gain."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from growth.models import Case

from .steps import sign_in

pytestmark = pytest.mark.browser


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def save(page) -> None:
    page.click("main form button[type=submit]")


def test_one_sam_child_from_measurement_to_recovery(live_server, page, shots, users, world, today):
    from tests.factories import make_household, make_person

    child = make_person(make_household(world.awc1, head_name="Ramesh Kumar"), name="Munni", sex="F",
                        enrol_as="child", dob=today - timedelta(days=760))
    base = live_server.url
    start = today - timedelta(days=21)
    sign_in(page, base, users.aww)

    # Weighed three weeks ago: MUAC 11.0 cm is SAM; the result says what to do next, not "refer".
    page.goto(f"{base}/growth/child/{child.pk}/measure/")
    page.fill("#id_date", start.isoformat())
    page.fill("#id_weight_kg", "8.0")
    page.fill("#id_lenhei_cm", "80.0")
    page.fill("#id_muac_cm", "11.0")
    save(page)
    expect(page.locator(".result")).to_contain_text("treatment starts today")
    expect(page.locator(".next-step")).to_contain_text("Do the appetite test")
    fits_the_phone(page)
    shots("result-next-step")

    # The treatment page: appetite test passed, no danger sign: managed at the centre.
    page.click("a:has-text('Open the treatment page')")
    page.click("a:has-text('Do the appetite test')")
    page.fill("#id_date", start.isoformat())
    page.check("input[name=result][value=passed]")
    shots("appetite-test")
    save(page)
    page.click("a:has-text('Check the danger signs')")
    page.fill("#id_date", start.isoformat())
    save(page)
    expect(page.locator("main")).to_contain_text("Under treatment at the centre")
    expect(page.locator("main")).to_contain_text("Medical screening by the PHC doctor")
    fits_the_phone(page)
    shots("under-treatment")

    # Weekly follow-ups: MUAC 12.0, then 12.6 and 12.8 cm (two in a row at 12.5 or more): recovered.
    for weeks_ago, kg, muac in ((2, "8.30", "12.0"), (1, "8.60", "12.6"), (0, "8.90", "12.8")):
        page.click("a:has-text('Follow-up weighing')") if weeks_ago else page.goto(
            f"{base}/growth/case/{Case.objects.get(child=child).pk}/follow-up/")
        page.fill("#id_date", (today - timedelta(weeks=weeks_ago)).isoformat())
        page.fill("#id_weight_kg", kg)
        page.fill("#id_muac_cm", muac)
        page.check("input[name=oedema][value=no]")
        save(page)
    expect(page.locator("main dl")).to_contain_text("Recovered")
    expect(page.locator("main dl")).to_contain_text("g/kg/day")
    expect(page.locator("main")).to_contain_text("Monthly check after recovery")
    fits_the_phone(page)
    shots("recovered")
    case = Case.objects.get(child=child)
    assert (case.outcome, case.closed_on, case.events.count()) == ("recovered", today, 6)
