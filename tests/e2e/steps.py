"""Steps the browser tests share: signing in and out, what the phone keeps, and a worker's day in a language."""
from __future__ import annotations

import time

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from poshan.core.languages import STATE_LANGUAGES
from tests.factories import TEST_PASSWORD

from .conftest import PHONE

TARGET_PX = 44  # the smallest tap target a thumb hits reliably (WCAG 2.5.5, Android and iOS guidelines)

# Every element a finger may tap, with its size: a checkbox or radio counts with the label that
# wraps it (tapping the label ticks it). Hidden elements are skipped.
SMALL_TARGETS = """(min) => {
  const out = [];
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
  for (const el of targets) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const wrap = el.closest('label');
    if ((el.type === 'checkbox' || el.type === 'radio') && wrap) {
      const outer = wrap.getBoundingClientRect();
      box = {width: Math.max(box.width, outer.width), height: Math.max(box.height, outer.height)};
    }
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const what = (el.textContent || el.name || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
      out.push(`${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${what}" `
               + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return out;
}"""

KEPT_PAGES = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith("poshan-pages-")) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) out.push(new URL(request.url).pathname);
  }
  return out.sort();
}"""

STORAGE = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map(d => d.name),
  local: localStorage.length,
  session: sessionStorage.length,
})"""

SW_READY = """async (path) => {
  const reg = await navigator.serviceWorker.getRegistration();
  return !!(reg && reg.active && navigator.serviceWorker.controller && await caches.match(path));
}"""


def sign_in(page: Page, base: str, user, language: str | None = None) -> None:
    """The sign-in page, choosing the language first when one is given (a button per language)."""
    page.goto(f"{base}/accounts/login/")
    if language:
        page.click(f"form.langs button[value={language}]")
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page: Page, base: str) -> None:
    page.click("header form button[type=submit]")
    page.wait_for_url(f"{base}/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()


def wait_until_kept(page: Page, path: str, timeout: float = 15.0) -> None:
    """The service worker controls the page and keeps `path` for use without a network.

    (Polled with evaluate, which awaits the promise; wait_for_function would not.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(SW_READY, path):
        assert time.monotonic() < deadline, f"{path} was not kept on the phone within {timeout} s"
        page.wait_for_timeout(100)


# A worker's day on a 360-px phone in one language (tests/e2e/test_tamil_day.py, test_santali_day.py).

WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth"
BODY_FONT = "() => getComputedStyle(document.body).fontFamily"


def said(language: str, message: str) -> str:
    """What the page says in `language` (buttons and messages are found by their words in it)."""
    with translation.override(language):
        return translation.gettext(message)


def check_phone_page(page: Page, name: str, problems: dict, language: str, font: str) -> None:
    """In `language`, set in `font`, as wide as the phone, thumb-sized targets; what is wrong goes to `problems`."""
    found = []
    if page.get_attribute("html", "lang") != language:
        found.append(f"not in {language}")
    if not page.evaluate(BODY_FONT).startswith(f'"{font}"'):
        found.append(f"font {page.evaluate(BODY_FONT)}")
    if (width := page.evaluate(WIDER_THAN_SCREEN)) > PHONE["width"]:
        found.append(f"{width} px wide")
    found += page.evaluate(SMALL_TARGETS, TARGET_PX)
    if found:
        problems[name] = found


def worker_day(page: Page, base: str, worker, kids: list, shots, *, language: str, state: int, font: str) -> dict:
    """The worker of a centre in `state` signs in from the state's link, choosing `language` (the state's languages
    listed first, in the state's order); home, the centre opened, the attendance sheet ticked (three present, the
    third without the meal) and saved, then the rest of her daily pages. Returns what was wrong on which page."""
    def say(message: str) -> str:
        return said(language, message)

    problems: dict = {}
    offered = dict(settings.LANGUAGES)
    state_first = [offered[code] for code in STATE_LANGUAGES[state] if code in offered]
    page.goto(f"{base}{reverse('login')}?state={state}")
    buttons = page.locator("form.langs button")
    expect(buttons.first).to_have_text(state_first[0])
    assert buttons.all_inner_texts()[:len(state_first)] == state_first
    page.click(f"form.langs button[value={language}]")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(say("Sign in"))
    check_phone_page(page, "sign-in", problems, language, font)
    shots("sign-in")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")

    expect(page.locator("h1")).to_contain_text(say("Namaste, %(name)s") % {"name": worker.first_name or worker.username})
    check_phone_page(page, "home", problems, language, font)
    shots("home")

    page.click(f"a.tile:has-text('{say('Today at the centre')}')")
    check_phone_page(page, "today", problems, language, font)
    page.click(f"button:has-text('{say('Save: open')}')")
    expect(page.locator(".msg")).to_contain_text(say("Saved: the centre is open."))
    shots("centre-open")

    page.click(f"a:has-text('{say('Attendance and meal')}')")
    expect(page.locator("main form button[type=submit]")).to_have_text(say("Save attendance"))
    for child in kids[:3]:
        page.check(f"#p{child.pk}")
    page.uncheck(f"input[name=hcm][value='{kids[2].pk}']")  # present, but did not eat
    check_phone_page(page, "attendance", problems, language, font)
    shots("attendance-ticked")
    page.click(f"button:has-text('{say('Save attendance')}')")
    expect(page.locator(".msg").first).to_contain_text(
        say("Saved: %(n)s present, %(m)s ate the meal.") % {"n": 3, "m": 2})
    shots("attendance-saved")

    # The rest of her day's pages, where long words could push a button past the screen's edge.
    child = kids[0]
    for name, path in {"due": reverse("beneficiaries:due"), "register": reverse("beneficiaries:register"),
                       "home visit": reverse("beneficiaries:home_visit", args=[child.pk]),
                       "measure": reverse("growth:measure", args=[child.pk]),
                       "growth list": reverse("growth:children"), "growth chart": reverse("growth:child", args=[child.pk]),
                       "follow-ups": reverse("growth:followups"), "THR": reverse("thr_frs:handover", args=[child.pk]),
                       "profile": reverse("profile")}.items():
        if not page.goto(base + path).ok:
            problems[name] = ["not shown"]
        check_phone_page(page, name, problems, language, font)
    shots("last-page")
    return problems
