"""A monthly weighing without a length on a 360 px phone, in Hindi: the form ticks "how measured" for the child's
age before anything is typed, and a browser cannot untick a radio button, so the weight alone must still save
(found walking the form: it was refused with "leave 'how measured' empty", which the worker cannot do)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from growth.models import Measurement
from tests.factories import make_household, make_person

from .steps import sign_in

pytestmark = pytest.mark.browser


def test_a_weight_alone_is_saved_though_how_measured_was_ticked_for_her(live_server, page, users, world, today,
                                                                        shots):
    child = make_person(make_household(world.awc1), name="Aadhya", sex="F", enrol_as="child",
                        dob=today - timedelta(days=1040))
    base = live_server.url
    sign_in(page, base, users.aww, language="hi")
    page.goto(base + reverse("growth:measure", args=[child.pk]))
    expect(page.locator("input[name=measure][value=h]")).to_be_checked()  # ticked for her age, not by her
    page.fill("#id_weight_kg", "12.10")
    page.click("main form button[type=submit]")
    expect(page.locator(".result")).to_be_visible()
    shots("weight-only-saved")
    saved = Measurement.objects.get(child=child)
    assert (saved.weight_kg, saved.lenhei_cm, saved.measure) == (Decimal("12.10"), None, "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
