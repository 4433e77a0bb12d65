"""The phone's queue when the sign-in has ended (30 idle minutes, or signed out elsewhere): the entries stay on
the phone, the page asks the worker to sign in again, and once she has they are sent, once."""
from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from beneficiaries.models import AttendanceSubmission

from .steps import sign_in, wait_until_kept

pytestmark = pytest.mark.browser


def _queued(page, n: int) -> None:
    expect(page.locator("[data-queue-count]")).to_have_attribute("data-queue-count", str(n))


def test_an_ended_sign_in_keeps_the_queue_and_asks_to_sign_in_again(live_server, page, context, users, centre):
    base = live_server.url
    sign_in(page, base, users.aww)
    wait_until_kept(page, "/beneficiaries/attendance/")

    context.set_offline(True)
    page.goto(f"{base}/beneficiaries/attendance/")
    page.check(f"#p{centre['Esha'].pk}")
    page.click("main form button[type=submit].primary")
    _queued(page, 1)

    Session.objects.all().delete()  # meanwhile her sign-in ends on the server (idle, or signed out elsewhere)
    context.set_offline(False)
    expect(page.locator("#offline-queue")).to_contain_text("Sign in again to send them.", timeout=15_000)
    _queued(page, 1)
    assert not AttendanceSubmission.objects.exists()

    sign_in(page, base, users.aww)
    page.goto(f"{base}/beneficiaries/attendance/")
    expect(page.locator("[data-queue-result]")).to_have_attribute("data-queue-result", "saved", timeout=15_000)
    assert AttendanceSubmission.objects.count() == 1
