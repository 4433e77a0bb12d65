"""Steps the browser tests share: signing in and out, and what the phone keeps."""
from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD

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
