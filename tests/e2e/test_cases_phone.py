"""The children under treatment on a 360 px phone, in Hindi: one case to a full-width card (not squeezed two to a
row with list bullets beside them), and every step due is a tap target of at least 44 px, on the list and on the
case page."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from growth.models import Case
from growth.services import measurement_record
from tests.factories import make_household, make_person

from .steps import sign_in
from .test_phone_sheet import SMALL_TARGETS, TARGET_PX

pytestmark = pytest.mark.browser

CARDS = """() => [...document.querySelectorAll('main .case-list > li')].map(li => ({
  width: li.getBoundingClientRect().width, marker: getComputedStyle(li).listStyleType}))"""


def test_cases_list_and_case_page_fit_a_phone_in_hindi(live_server, page, users, world, today, shots):
    household = make_household(world.awc1, head_name="Ramesh Kumar")
    for name, muac in (("Munni", "11.0"), ("Gudiya", "12.0")):  # one SAM, one MAM
        child = make_person(household, name=name, sex="F", enrol_as="child", dob=today - timedelta(days=760))
        measurement_record(actor=users.aww, child=child, date=today - timedelta(days=3), weight_kg=Decimal("8.4"),
                           lenhei_cm=Decimal("80.0"), measure="h", muac_cm=Decimal(muac))
    assert Case.objects.filter(closed_on__isnull=True).count() == 2
    base = live_server.url
    sign_in(page, base, users.aww, language="hi")

    page.goto(base + reverse("growth:cases"))
    expect(page.locator("main")).to_contain_text("Munni")
    cards = page.evaluate(CARDS)
    assert len(cards) == 2
    assert all(card["width"] >= 300 and card["marker"] == "none" for card in cards), cards
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = {"list": page.evaluate(SMALL_TARGETS, TARGET_PX)}
    shots("cases-list-hi")

    with page.expect_navigation():  # measured once the case page has loaded with its styles, not mid-navigation
        page.click("main .case-list a:has-text('Munni')")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    small["case"] = page.evaluate(SMALL_TARGETS, TARGET_PX)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shots("case-page-hi")
    assert not any(small.values()), small
