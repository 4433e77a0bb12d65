"""The service worker fetches ahead only the pages the signed-in user may open: the centre's daily
pages for the worker, never for a supervisor (no 403 in the server's log)."""
from __future__ import annotations

import logging
import time

import pytest

from .steps import KEPT_PAGES, sign_in, wait_until_kept

pytestmark = pytest.mark.browser

AWW_ONLY = ("/centre/today/", "/beneficiaries/attendance/")

WARMED = """async () => {
  const db = await new Promise((ok, ko) => {
    const open = indexedDB.open("poshan-offline");
    open.onsuccess = () => ok(open.result);
    open.onerror = () => ko(open.error);
  });
  if (!db.objectStoreNames.contains("meta")) { db.close(); return ""; }
  const mark = await new Promise((ok) => {
    const get = db.transaction(["meta"]).objectStore("meta").get("warmed");
    get.onsuccess = () => ok(get.result || "");
    get.onerror = () => ok("");
  });
  db.close();
  return mark;
}"""


def wait_until_warmed(page, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(WARMED):
        assert time.monotonic() < deadline, f"the day's pages were not fetched ahead within {timeout} s"
        page.wait_for_timeout(100)


def test_a_supervisor_browser_never_fetches_the_centre_worker_pages(live_server, page, context, users, caplog):
    base = live_server.url
    asked = []
    context.on("request", lambda request: asked.append(request.url))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        sign_in(page, base, users.supervisor)
        wait_until_kept(page, "/")
        wait_until_warmed(page)
        page.reload()  # a second page: hello again
        wait_until_warmed(page)
    assert not [url for url in asked if url.startswith(base) and url[len(base):].startswith(AWW_ONLY)]
    assert not [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", 0) == 403]
    assert page.evaluate(KEPT_PAGES) == ["/"]


def test_the_centre_worker_phone_still_fetches_her_daily_pages_ahead(live_server, page, users):
    base = live_server.url
    sign_in(page, base, users.aww)
    for path in AWW_ONLY:
        wait_until_kept(page, path)  # without opening them
    assert set(AWW_ONLY) <= set(page.evaluate(KEPT_PAGES))
