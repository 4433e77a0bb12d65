"""Urdu is laid out right to left in a real browser: the layout mirrors, not just the text."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _brand_x(page) -> float:
    box = page.locator(".bar .brand").bounding_box()
    return box["x"] + box["width"] / 2


def test_urdu_mirrors_the_layout(live_server, page, shots, db):
    page.goto(f"{live_server.url}/accounts/login/")
    english_x = _brand_x(page)
    page.click("form.langs button[value=ur]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shots("login-in-urdu")
    width = page.viewport_size["width"]
    assert english_x < width / 2 < _brand_x(page)
    label = page.locator("label[for=id_username]").bounding_box()
    field = page.locator("#id_username").bounding_box()
    assert label["x"] + label["width"] == pytest.approx(field["x"] + field["width"], abs=2)  # right-aligned
