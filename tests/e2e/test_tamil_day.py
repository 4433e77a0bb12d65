"""An Anganwadi worker of Tamil Nadu on a 360-px phone, in Tamil: the sign-in page opened from the state's link
shows தமிழ் first; home, the centre opened, the attendance sheet ticked and saved, then the rest of her daily pages —
every page in Tamil, set in Noto Sans Tamil, nothing wider than the screen, every tap target at least 44 px."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from beneficiaries.models import Attendance
from tests.factories import TEST_PASSWORD

from .conftest import PHONE
from .test_phone_sheet import SMALL_TARGETS, TARGET_PX

pytestmark = pytest.mark.browser

TAMIL_NADU = 33
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth"
BODY_FONT = "() => getComputedStyle(document.body).fontFamily"


def ta(message: str) -> str:
    """What the page says in Tamil (buttons and messages are found by their Tamil words)."""
    with translation.override("ta"):
        return translation.gettext(message)


def check_phone_page(page, name: str, problems: dict) -> None:
    """In Tamil, in the Tamil face, as wide as the phone, thumb-sized targets; what is wrong goes to `problems`."""
    found = []
    if page.get_attribute("html", "lang") != "ta":
        found.append("not in Tamil")
    if not page.evaluate(BODY_FONT).startswith('"Noto Sans Tamil"'):
        found.append(f"font {page.evaluate(BODY_FONT)}")
    if (width := page.evaluate(WIDER_THAN_SCREEN)) > PHONE["width"]:
        found.append(f"{width} px wide")
    found += page.evaluate(SMALL_TARGETS, TARGET_PX)
    if found:
        problems[name] = found


def test_worker_day_in_tamil_on_a_phone(live_server, page, shots, users, centre, today):
    base, worker, problems = live_server.url, users.aww, {}
    kids = list(centre.values())

    page.goto(f"{base}{reverse('login')}?state={TAMIL_NADU}")
    expect(page.locator("form.langs button").first).to_have_text("தமிழ்")
    page.click("form.langs button[value=ta]")
    expect(page.locator("html")).to_have_attribute("lang", "ta")
    expect(page.locator("h1")).to_have_text(ta("Sign in"))
    check_phone_page(page, "sign-in", problems)
    shots("sign-in")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")

    expect(page.locator("h1")).to_contain_text(ta("Namaste, %(name)s") % {"name": worker.first_name
                                                                              or worker.username})
    check_phone_page(page, "home", problems)
    shots("home")

    page.click(f"a.tile:has-text('{ta('Today at the centre')}')")
    check_phone_page(page, "today", problems)
    page.click(f"button:has-text('{ta('Save: open')}')")
    expect(page.locator(".msg")).to_contain_text(ta("Saved: the centre is open."))
    shots("centre-open")

    page.click(f"a:has-text('{ta('Attendance and meal')}')")
    expect(page.locator("main form button[type=submit]")).to_have_text(ta("Save attendance"))
    for child in kids[:3]:
        page.check(f"#p{child.pk}")
    page.uncheck(f"input[name=hcm][value='{kids[2].pk}']")  # present, but did not eat
    check_phone_page(page, "attendance", problems)
    shots("attendance-ticked")
    page.click(f"button:has-text('{ta('Save attendance')}')")
    expect(page.locator(".msg").first).to_contain_text(
        ta("Saved: %(n)s present, %(m)s ate the meal.") % {"n": 3, "m": 2})
    shots("attendance-saved")

    saved = dict(Attendance.objects.filter(date=today).values_list("child_id", "hcm"))
    assert saved == {kids[0].pk: True, kids[1].pk: True, kids[2].pk: False}

    # The rest of her day's pages, where Tamil's long words could push a button past the screen's edge.
    child = kids[0]
    for name, path in {"due": reverse("beneficiaries:due"), "register": reverse("beneficiaries:register"),
                       "home visit": reverse("beneficiaries:home_visit", args=[child.pk]),
                       "measure": reverse("growth:measure", args=[child.pk]),
                       "growth list": reverse("growth:children"), "growth chart": reverse("growth:child", args=[child.pk]),
                       "follow-ups": reverse("growth:followups"), "THR": reverse("thr_frs:handover", args=[child.pk]),
                       "profile": reverse("profile")}.items():
        if not page.goto(base + path).ok:
            problems[name] = ["not shown"]
        check_phone_page(page, name, problems)
    shots("last-page")
    assert problems == {}
