"""The language tapped on the sign-in page is the one the portal speaks after signing in, whatever the
user's profile said before; the profile then remembers it. Each language's button is in its own script."""
import pytest
from django.conf import settings
from playwright.sync_api import expect

from .steps import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("profile, tapped", [("en", "hi"), ("hi", "en")])
def test_language_tapped_on_the_login_page_wins_and_is_saved(live_server, page, shots, users, profile, tapped):
    worker = users.aww
    worker.preferred_language = profile
    worker.save(update_fields=["preferred_language"])

    sign_in(page, live_server.url, worker, language=tapped)

    expect(page.locator("html")).to_have_attribute("lang", tapped)
    page.goto(f"{live_server.url}/beneficiaries/register/")
    expect(page.locator("html")).to_have_attribute("lang", tapped)
    shots(f"signed-in-in-{tapped}")
    worker.refresh_from_db()
    assert worker.preferred_language == tapped


def test_without_a_tap_the_profile_language_is_used(live_server, page, users):
    worker = users.aww
    worker.preferred_language = "mr"
    worker.save(update_fields=["preferred_language"])

    sign_in(page, live_server.url, worker)

    expect(page.locator("html")).to_have_attribute("lang", "mr")
    worker.refresh_from_db()
    assert worker.preferred_language == "mr"


@pytest.mark.parametrize("shown_in", ["hi", "ur", "en"])
def test_each_language_button_is_written_in_its_own_script(live_server, page, shots, db, shown_in):
    page.goto(f"{live_server.url}/accounts/login/")
    if shown_in != "en":
        page.click(f"form.langs button[value={shown_in}]")
        expect(page.locator("html")).to_have_attribute("lang", shown_in)
    shots(f"login-in-{shown_in}")
    for code, name in settings.LANGUAGES:
        expect(page.locator(f"form.langs button[value={code}]")).to_have_text(name)
