"""A supervisor opens last month's dashboard on her phone: real figures (not zeros), when they were counted,
changes only between complete months, and the same figures one level down."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from growth.services import measurement_record
from poshan.dashboards.rollups.refresh import refresh_month
from poshan.dashboards.selectors import add_months
from tests.factories import make_household, make_person

from .steps import sign_in

pytestmark = pytest.mark.browser


def card(page, label: str):
    return page.locator("div.ind", has=page.locator(".ind-label", has_text=re.compile(f"^{re.escape(label)}$")))


@pytest.fixture
def past_months(world, users, make_user, today):
    """Two months back: awc1 registers a mother-to-be and two children. Last month: both children are weighed at
    awc1; awc2 registers a child today whose weighing last month was copied from his growth card."""
    this_month = today.replace(day=1)
    last, before = add_months(this_month, -1), add_months(this_month, -2)
    with time_machine.travel(f"{(before + timedelta(days=4)).isoformat()} 05:00:00+00:00", tick=False):
        home = make_household(world.awc1, head_name="Mohan Lal")
        make_person(home, name="Kiran", dob=before.replace(year=before.year - 24), enrol_as="pregnant",
                    lmp=before - timedelta(days=60))
        first = make_person(home, name="Tara", sex="F", dob=before.replace(year=before.year - 2), enrol_as="child")
        second = make_person(home, name="Veer", sex="M", dob=before.replace(year=before.year - 4), enrol_as="child")
    worker2 = make_user("aww", world.awc2)
    weighed_on = last + timedelta(days=14)
    with time_machine.travel(f"{weighed_on.isoformat()} 05:00:00+00:00", tick=False):
        for child, kg, cm in ((first, "11.0", "85.0"), (second, "15.0", "101.0")):
            measurement_record(actor=users.aww, child=child, date=weighed_on, weight_kg=Decimal(kg),
                               lenhei_cm=Decimal(cm), measure="l" if cm == "85.0" else "h")
    late = make_person(make_household(world.awc2, head_name="Imran Khan"), name="Sahil", sex="M",
                       dob=today.replace(year=today.year - 3) - timedelta(days=30), enrol_as="child")
    measurement_record(actor=worker2, child=late, date=weighed_on, weight_kg=Decimal("13.0"),
                       lenhei_cm=Decimal("95.0"), measure="h")
    for month in (before, last, this_month):
        refresh_month(month, trigger="nightly", today=today)
    return last


def test_supervisor_reads_last_months_dashboard_on_her_phone(live_server, page, shots, users, world, past_months):
    base, last = live_server.url, past_months
    sign_in(page, base, users.supervisor)
    page.click("a.tile[href='/dashboard/']")
    expect(page.locator("h1")).to_contain_text(world.sector1.name)
    shots("this-month")

    page.fill("#f-month", last.strftime("%Y-%m"))
    page.click("form.filters button[type=submit]")
    expect(page.locator("h1 small")).to_contain_text(last.strftime("%B %Y"))
    # Sector 1 last month: Kiran (pregnant), Tara, Veer at awc1 and Sahil at awc2 (weighed there before he
    # was registered): four people, three children, all three weighed.
    expect(card(page, "Beneficiaries registered").locator(".ind-value")).to_have_text("4")
    expect(card(page, "Pregnant women").locator(".ind-value")).to_have_text("1")
    expect(card(page, "Weighing efficiency").locator(".ind-sub")).to_contain_text("3 / 3")
    as_of = page.locator("#as-of")
    expect(as_of).to_contain_text("Figures as of")
    expect(as_of).to_contain_text("ask your state office")
    # Both months are complete, so they are compared: two months back three people, nobody weighed (0 of 2);
    # nobody was lactating in either month, so that card has no change at all.
    expect(card(page, "Beneficiaries registered").locator(".chg")).to_have_text("▲ 1.0")
    expect(card(page, "Weighing efficiency").locator(".chg")).to_have_text("▲ 100.0")
    expect(card(page, "Lactating mothers").locator(".chg")).to_have_count(0)
    box = card(page, "Beneficiaries registered").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, "the card fits the phone's width"
    shots("last-month")

    page.click(f"table.list a:has-text('{world.awc2.name}')")
    expect(page.locator("h1")).to_contain_text(world.awc2.name)
    expect(page.locator("#f-month")).to_have_value(last.strftime("%Y-%m"))
    expect(card(page, "Beneficiaries registered").locator(".ind-value")).to_have_text("1")
    expect(card(page, "Weighing efficiency").locator(".ind-sub")).to_contain_text("1 / 1")
    shots("last-month-awc2")
