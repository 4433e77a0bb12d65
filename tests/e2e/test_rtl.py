"""Urdu, Sindhi and Kashmiri (every right-to-left language offered) are laid out right to left in a real browser:
the layout mirrors, not just the text."""
import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _brand_x(page) -> float:
    box = page.locator(".bar .brand").bounding_box()
    return box["x"] + box["width"] / 2


RIGHT_TO_LEFT = [code for code, _name in settings.LANGUAGES if code in settings.LANGUAGES_BIDI]


def test_every_right_to_left_language_offered_is_tested():
    assert {"ur", "sd", "ks"} <= set(RIGHT_TO_LEFT)


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_right_to_left_language_mirrors_the_layout(live_server, page, shots, db, language):
    page.goto(f"{live_server.url}/accounts/login/")
    english_x = _brand_x(page)
    page.click(f"form.langs button[value={language}]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shots(f"login-in-{language}")
    width = page.viewport_size["width"]
    assert english_x < width / 2 < _brand_x(page)
    label = page.locator("label[for=id_username]").bounding_box()
    field = page.locator("#id_username").bounding_box()
    assert label["x"] + label["width"] == pytest.approx(field["x"] + field["width"], abs=2)  # right-aligned


# Where the last character of a button's name is drawn, against its first: a left-to-right name keeps its
# trailing apostrophe (Bodo, बर') on the right even on a right-to-left page.
LAST_AFTER_FIRST = """(el) => {
  const text = el.firstChild, range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1); const first = range.getBoundingClientRect();
  range.setStart(text, text.length - 1); range.setEnd(text, text.length); const last = range.getBoundingClientRect();
  return last.left > first.left;
}"""


@pytest.mark.parametrize("page_language", RIGHT_TO_LEFT)
def test_each_language_name_keeps_its_own_direction_on_a_right_to_left_page(live_server, page, db, page_language):
    page.goto(f"{live_server.url}/accounts/login/")
    page.click(f"form.langs button[value={page_language}]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    for code in ("brx", "hi", "en"):
        assert page.locator(f"form.langs button[value={code}]").evaluate(LAST_AFTER_FIRST), code
    assert not page.locator("form.langs button[value=ur]").evaluate(LAST_AFTER_FIRST)  # Urdu reads right to left
