"""Nothing left behind on a shared phone: in a real browser (Debian's Chromium), the worker signs in, opens a
person's page and her home-visit form (a daily form the phone keeps while she is signed in), signs out — and
nothing of that person is in the browser's Cache Storage, IndexedDB, localStorage or sessionStorage, and going
back does not show her page. (tests/e2e/test_worker_day.py checks the same wipe after a day of offline work.)"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import STORAGE, sign_in, sign_out, wait_until_kept
from tests.factories import make_household, make_person, valid_aadhaar

pytestmark = pytest.mark.browser

NAME = "Meena Wipecheck"
HEAD = "Hari Wipehead"

# Everything the page's origin keeps, as text: each cached response's URL and body, each IndexedDB record,
# local and session storage.
EVERYTHING = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push(request.url, response ? await response.text() : "");
    }
  }
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result);
                                                 r.onerror = () => fail(r.error); });
    for (const store of db.objectStoreNames) {
      const rows = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll();
                                               r.onsuccess = () => ok(r.result); r.onerror = () => ok([]); });
      out.push(JSON.stringify(rows));
    }
    db.close();
  }
  for (const storage of [localStorage, sessionStorage])
    for (let i = 0; i < storage.length; i++) out.push(storage.key(i), storage.getItem(storage.key(i)));
  return out.join("\\n");
}"""


def test_signing_out_leaves_nothing_of_the_person_on_the_phone(live_server, page, users, world):
    base = live_server.url
    aadhaar = valid_aadhaar(8642)
    household = make_household(world.awc1, head_name=HEAD, mobile="9812300000")
    person = make_person(household, name=NAME, age_years=27, aadhaar=aadhaar)

    sign_in(page, base, users.aww)
    wait_until_kept(page, "/centre/today/")  # the service worker is installed and controls the pages
    page.goto(f"{base}/beneficiaries/{person.pk}/")
    expect(page.locator("main")).to_contain_text(NAME)
    page.goto(f"{base}/beneficiaries/{person.pk}/visit/")
    expect(page.locator("main")).to_contain_text(NAME)
    wait_until_kept(page, f"/beneficiaries/{person.pk}/visit/")  # while signed in, the phone keeps it
    assert NAME in page.evaluate(EVERYTHING)  # the probe sees what the phone keeps
    page.evaluate(f"() => {{ localStorage.setItem('probe', '{NAME}'); sessionStorage.setItem('probe', '{NAME}'); }}")

    sign_out(page, base)

    assert page.evaluate(STORAGE) == {"caches": [], "databases": [], "local": 0, "session": 0}
    kept = page.evaluate(EVERYTHING)
    for trace in (NAME, HEAD, aadhaar, aadhaar[-4:], f"/beneficiaries/{person.pk}/"):
        assert trace not in kept
    page.go_back()
    page.wait_for_load_state()
    assert NAME not in page.content()
