"""An officer's and an administrator's tables on a 360-px phone, in Hindi: a table wider than the screen scrolls
inside its own box, and the page itself never scrolls sideways (its menu, headings and buttons stay in view)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from poshan.core.roles import Role

from .steps import sign_in

pytestmark = pytest.mark.browser
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
TABLES_BOXED = """() => [...document.querySelectorAll('main table')].every(t => {
  for (let box = t.parentElement; box; box = box.parentElement) {
    if (getComputedStyle(box).overflowX === 'auto') return box.getBoundingClientRect().right <= window.innerWidth;
  }
  return t.getBoundingClientRect().right <= window.innerWidth;
})"""


@pytest.fixture
def administrator(make_user):
    admin = make_user(Role.ADMIN, None)
    admin.is_staff = admin.is_superuser = True  # as the demo's administrator and createsuperuser make her
    admin.save(update_fields=["is_staff", "is_superuser"])
    return admin


def _check(page, base: str, paths: list[str]) -> dict[str, int]:
    wide = {}
    for path in paths:
        page.goto(f"{base}{path}")
        expect(page.locator("main table").first).to_be_visible()
        if (width := page.evaluate(PAGE_WIDTH)) > 360 or not page.evaluate(TABLES_BOXED):
            wide[path] = width
    return wide


def test_a_district_officers_tables_fit_the_phone(live_server, page, users):
    sign_in(page, live_server.url, users.dpo, "hi")
    assert _check(page, live_server.url, ["/growth/follow-up/", "/staff/", "/area/"]) == {}


def test_an_administrators_tables_fit_the_phone(live_server, page, administrator, users):
    sign_in(page, live_server.url, administrator, "hi")
    assert _check(page, live_server.url, ["/audit/", "/staff/", "/grievances/figures/"]) == {}
