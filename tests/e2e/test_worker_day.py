"""A worker's day on a phone, in a real browser: the centre opens, attendance online, a child
measured and flagged, then entries made without a network that are sent exactly once when it
returns; and a supervisor's pages. Signing out leaves nothing on the phone."""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import translation
from playwright.sync_api import expect

from anganwadi.models import EcceActivity
from beneficiaries.models import Attendance, AttendanceSubmission, HomeVisit
from poshan.core.models import SubmissionReceipt

from .steps import KEPT_PAGES, STORAGE, sign_in, sign_out, wait_until_kept

pytestmark = pytest.mark.browser


WORKER_LANGUAGE = "hi"  # the worker's day is done in Hindi, as a worker in Madhya Pradesh would


def hi(message: str) -> str:
    """What the page says in Hindi (the test finds buttons and messages by their Hindi words)."""
    with translation.override(WORKER_LANGUAGE):
        return translation.gettext(message)


def queued(page, n: int) -> None:
    expect(page.locator("[data-queue-count]")).to_have_attribute("data-queue-count", str(n))


def test_worker_day_online_then_offline_then_signed_out(live_server, page, context, shots, users, world, centre,
                                                        today):
    base = live_server.url
    yesterday, long_ago = today - timedelta(days=1), today - timedelta(days=10)
    kids = list(centre.values())

    sign_in(page, base, users.aww, language=WORKER_LANGUAGE)
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.locator("h1")).to_contain_text(hi("Namaste, %(name)s") % {"name": users.aww.first_name or
                                                                             users.aww.username})
    shots("home-in-hindi")

    # The centre opens.
    page.click(f"a.tile:has-text('{hi('Today at the centre')}')")
    page.click(f"button:has-text('{hi('Save: open')}')")
    expect(page.locator(".msg")).to_contain_text(hi("Saved: the centre is open."))
    shots("centre-open")

    # Attendance and the meal, online.
    page.click(f"a:has-text('{hi('Attendance and meal')}')")
    for child in kids[:2]:
        page.check(f"#p{child.pk}")
    page.click(f"button:has-text('{hi('Save attendance')}')")
    expect(page.locator(".msg").first).to_contain_text(
        hi("Saved: %(n)s present, %(m)s ate the meal.") % {"n": 2, "m": 2})  # meals are ticked by default
    shots("attendance-online")

    # A child is weighed and measured: the result flags her at once.
    page.goto(f"{base}/growth/child/{centre['Aarti'].pk}/measure/")
    page.fill("#id_weight_kg", "9.5")
    page.fill("#id_lenhei_cm", "90.0")
    page.click("main form button[type=submit]")
    expect(page.locator(".result")).to_have_class(re.compile(r"\bbad\b"))
    shots("measurement-flagged")

    # A home visit form opened while online (it is kept for today, like the centre's daily pages).
    visited = centre["Bhola"]
    page.goto(f"{base}/beneficiaries/{visited.pk}/visit/")
    wait_until_kept(page, f"/beneficiaries/{visited.pk}/visit/")

    # The daily pages are kept for today (the measurement form is one); other growth pages are not.
    page.goto(f"{base}/beneficiaries/attendance/")
    wait_until_kept(page, "/beneficiaries/attendance/")
    wait_until_kept(page, "/centre/today/")
    kept = page.evaluate(KEPT_PAGES)
    assert "/beneficiaries/attendance/" in kept
    assert not any(p.startswith("/growth/") and not p.endswith("/measure/") for p in kept)

    # No network: yesterday's sheet, today's ECCE activity, the home visit, and a sheet too old.
    context.set_offline(True)
    page.goto(f"{base}/beneficiaries/attendance/")
    expect(page.locator("main > p.msg.warning").first).to_be_visible()
    page.fill("#id_date", yesterday.isoformat())
    page.fill("#id_backdate_reason", "Register left at home")
    for child in kids[:2]:  # the kept sheet shows today's ticks
        page.uncheck(f"#p{child.pk}")
    for child in kids[2:5]:
        page.check(f"#p{child.pk}")
    page.click(f"button:has-text('{hi('Save attendance')}')")
    queued(page, 1)
    shots("offline-attendance-kept")

    page.goto(f"{base}/centre/today/")
    page.select_option("#id_ecce-activity", index=1)
    page.fill("#id_ecce-children", "12")
    page.click(f"button:has-text('{hi('Save activity')}')")
    queued(page, 2)

    page.goto(f"{base}/beneficiaries/{visited.pk}/visit/")
    page.select_option("#id_purpose", index=1)
    page.click(f"button:has-text('{hi('Save the visit')}')")
    queued(page, 3)

    page.goto(f"{base}/beneficiaries/attendance/")
    page.fill("#id_date", long_ago.isoformat())
    page.fill("#id_backdate_reason", "Found an old sheet")
    page.check(f"#p{kids[5].pk}")
    page.click(f"button:has-text('{hi('Save attendance')}')")
    queued(page, 4)
    expect(page.locator("#offline-queue")).to_contain_text(hi("Waiting to send: {n}").replace("{n}", "4"))
    shots("offline-four-waiting")
    assert not SubmissionReceipt.objects.exists()

    # The network returns: sent in order, each answered once, the refusal with its reason.
    context.set_offline(False)
    results = page.locator("[data-queue-result]")
    expect(results).to_have_count(4, timeout=15_000)
    assert [results.nth(i).get_attribute("data-queue-result") for i in range(4)] == [
        "saved", "saved", "saved", "rejected"]
    expect(results.nth(3)).to_contain_text(str(3))  # the refusal names the 3-day window
    expect(page.locator("[data-queue-count]")).to_have_count(0)
    shots("back-online-sent")

    assert set(Attendance.objects.filter(date=yesterday).values_list("child_id", flat=True)) == {
        k.pk for k in kids[2:5]}
    assert AttendanceSubmission.objects.filter(date=yesterday).count() == 1
    assert not Attendance.objects.filter(date=long_ago).exists()
    assert EcceActivity.objects.filter(awc=world.awc1, date=today, children=12).count() == 1
    assert HomeVisit.objects.filter(beneficiary=visited, date=today).count() == 1
    assert SubmissionReceipt.objects.count() == 3

    # Exactly once: coming back to the page later sends nothing again.
    page.reload()
    page.wait_for_timeout(1000)
    expect(page.locator("[data-queue-result]")).to_have_count(4)
    assert SubmissionReceipt.objects.count() == 3
    assert AttendanceSubmission.objects.filter(date=yesterday).count() == 1

    # Signing out leaves nothing: caches, IndexedDB, local storage.
    page.evaluate("() => localStorage.setItem('probe', 'x')")
    sign_out(page, base)
    shots("signed-out")
    assert page.evaluate(STORAGE) == {"caches": [], "databases": [], "local": 0, "session": 0}


def test_supervisor_summary_and_area_drill_down_are_not_kept(live_server, page, shots, users, world, centre):
    base = live_server.url
    sign_in(page, base, users.supervisor)
    shots("home")

    page.click("a.tile:has-text('Monthly summary')")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(world.awc1.name)
    shots("monthly-summary")

    page.goto(f"{base}/area/")
    expect(page.locator("h1")).to_contain_text(world.sector1.name)
    shots("area")
    page.click(f"table.list a:has-text('{world.awc1.name}')")
    expect(page.locator("h1")).to_contain_text(world.awc1.name)
    expect(page.locator("nav.crumbs")).to_contain_text(world.sector1.name)
    shots("area-drill-down")

    wait_until_kept(page, "/")
    assert page.evaluate(KEPT_PAGES) == ["/"]  # the home page only: no summary, area or centre page

    # Even if the browser ignored the server's Clear-Site-Data, the page and the worker wipe it all.
    stripped = []

    def without_clear_site_data(route):
        response = route.fetch(max_redirects=0)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "clear-site-data"}
        stripped.append(len(headers) < len(response.headers))
        route.fulfill(response=response, headers=headers)

    page.route("**/accounts/logout/", without_clear_site_data)
    page.evaluate("() => sessionStorage.setItem('probe', 'x')")
    sign_out(page, base)
    assert stripped == [True]
    assert page.evaluate(STORAGE) == {"caches": [], "databases": [], "local": 0, "session": 0}


LEFT_FROM_YESTERDAY = """async ({user, day, child, uuid}) => {
  const db = await new Promise((ok, ko) => {
    const open = indexedDB.open("poshan-offline", 1);
    open.onsuccess = () => ok(open.result);
    open.onerror = () => ko(open.error);
  });
  await new Promise((ok, ko) => {
    const t = db.transaction(["queue"], "readwrite");
    t.objectStore("queue").add({user, type: "attendance", client_uuid: uuid, queued_at: new Date(day + "T10:00").getTime(),
                                payload: {date: day, present: [child], hcm: [child], backdate_reason: ""}});
    t.oncomplete = ok;
    t.onerror = () => ko(t.error);
  });
  db.close();
}"""


def test_sheet_kept_on_its_day_and_sent_the_next_day_says_why_it_is_late(live_server, page, users, centre, today):
    base = live_server.url
    yesterday = today - timedelta(days=1)
    sign_in(page, base, users.aww)
    wait_until_kept(page, "/beneficiaries/attendance/")
    key = str(uuid.uuid4())
    page.evaluate(LEFT_FROM_YESTERDAY, {"user": page.get_attribute("#offline-queue", "data-user"),
                                        "day": yesterday.isoformat(), "child": centre["Esha"].pk, "uuid": key})
    page.reload()
    expect(page.locator("[data-queue-result]")).to_have_attribute("data-queue-result", "saved", timeout=15_000)
    sent = AttendanceSubmission.objects.get(client_uuid=key)
    assert sent.date == yesterday
    assert sent.backdate_reason == f"Entered on the phone on {yesterday.isoformat()} without a network"
