"""A district officer exports on her phone (360 px, Hindi): a wrong place code is refused with its message and what
she chose stays; corrected but sent without a network, the page says it was not sent; sent again with the network
back, the file downloads and the page no longer shows either message (a file does not replace the page, so the old
messages would stay and say the export failed)."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .steps import said, sign_in, wait_until_kept

pytestmark = pytest.mark.browser


def test_an_export_refused_then_corrected_downloads_and_leaves_no_old_error(live_server, page, users, world):
    base = live_server.url
    sign_in(page, base, users.dpo, "hi")
    page.goto(f"{base}{reverse('dashboards:export')}")
    # The service worker controls the page before anything is sent: a worker installed only while the refused form
    # was being answered left that answer's page uncontrolled, and the wait below ran out (CI, now and then).
    wait_until_kept(page, "/")
    month = timezone.localdate().strftime("%Y-%m")
    page.fill("#id_location_code", "99")
    page.select_option("#id_level", "awc")
    page.click("main form button[type=submit]")
    refusal = said("hi", "No place has this code at that level.")
    expect(page.locator("main form .errorlist")).to_contain_text(refusal)
    assert page.input_value("#id_location_code") == "99" and page.input_value("#id_month_from") == month
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.fill("#id_location_code", "")
    page.select_option("#id_level", "")
    wait_until_kept(page, "/")  # the service worker controls this page (the home page is kept)
    page.context.set_offline(True)  # sent without a network: the page stays, saying so
    page.click("main form button[type=submit]")
    not_sent = page.locator("[data-not-sent]")
    expect(not_sent).to_be_visible()
    page.context.set_offline(False)
    with page.expect_download() as download:
        page.click("main form button[type=submit]")
    assert download.value.suggested_filename.endswith(".csv")
    assert open(download.value.path(), "rb").read().startswith(b"\xef\xbb\xbfchild_id,")
    expect(page.locator("main form .errorlist")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(refusal)
    expect(not_sent).to_have_count(0)
