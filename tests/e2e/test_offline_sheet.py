"""A sheet saved without a network, on a phone, in a real browser: what the worker sees after the
save is what she entered, a second save of the same sheet replaces the one waiting (and says so),
and what reaches the server when the network returns is the last sheet she saved."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from beneficiaries.models import Attendance
from growth.models import Measurement
from poshan.core.models import SubmissionReceipt

from .steps import sign_in, wait_until_kept

pytestmark = pytest.mark.browser

TICKS = """() => ({
  present: [...document.querySelectorAll('input[name=present]:checked')].map(i => +i.value).sort((a, b) => a - b),
  hcm: [...document.querySelectorAll('input[name=hcm]:checked')].map(i => +i.value).sort((a, b) => a - b),
})"""


@pytest.fixture
def thirteen(world, today):
    """awc1 with thirteen children of 3–6 years."""
    from tests.factories import make_household, make_person

    household = make_household(world.awc1, head_name="Ramvati Bai")
    return [make_person(household, name=f"Child {n:02d}", sex="FM"[n % 2], enrol_as="child",
                        dob=today - timedelta(days=3 * 365 + 100 + 30 * n)) for n in range(13)]


def queued(page, n: int) -> None:
    expect(page.locator("[data-queue-count]")).to_have_attribute("data-queue-count", str(n))


def test_offline_sheet_shows_what_she_entered_and_her_last_save_reaches_the_server(
        live_server, page, context, shots, users, thirteen, today):
    base = live_server.url
    sign_in(page, base, users.aww)

    # Earlier today, online: ten children present.
    page.goto(f"{base}/beneficiaries/attendance/")
    for child in thirteen[:10]:
        page.check(f"#p{child.pk}")
    page.click("button:has-text('Save attendance')")
    expect(page.locator(".msg").first).to_contain_text("Saved: 10 present")
    assert Attendance.objects.filter(date=today).count() == 10

    # The sheet as it is now (ten ticks) is kept on the phone.
    page.goto(f"{base}/beneficiaries/attendance/")
    wait_until_kept(page, "/beneficiaries/attendance/")
    page.reload()  # the copy kept on the phone is today's sheet with the ten ticks
    wait_until_kept(page, "/beneficiaries/attendance/")

    # The last three children arrive; the network is gone when she saves.
    for child in thirteen:
        page.check(f"#p{child.pk}")
    entered = page.evaluate(TICKS)
    assert len(entered["present"]) == 13
    context.set_offline(True)
    page.click("button:has-text('Save attendance')")
    queued(page, 1)
    shots("offline-saved")
    # What she sees is what she entered, not the copy kept before.
    assert page.evaluate(TICKS) == entered
    expect(page.locator("#offline-queue")).to_contain_text("Waiting to send: 1")
    expect(page.locator("[data-queued-entry]")).to_be_visible()

    # She taps Save again: the sheet waiting is replaced, not sent twice, and the page says so.
    page.click("button:has-text('Save attendance')")
    queued(page, 1)
    expect(page.locator("[data-queued-entry=replaced]")).to_be_visible()
    assert page.evaluate(TICKS) == entered
    shots("offline-saved-again")
    # Opening the sheet again without a network shows the sheet waiting, not the older copy.
    page.goto(f"{base}/centre/today/")
    page.goto(f"{base}/beneficiaries/attendance/")
    expect(page.locator("[data-queued-entry=kept]")).to_be_visible()
    assert page.evaluate(TICKS) == entered
    queued(page, 1)
    assert not SubmissionReceipt.objects.exists()

    # The network returns: sent at once (the `online` event), once, and the server has her 13.
    context.set_offline(False)
    results = page.locator("[data-queue-result]")
    expect(results).to_have_count(1, timeout=10_000)
    expect(results.first).to_have_attribute("data-queue-result", "saved")
    expect(page.locator("[data-queue-count]")).to_have_count(0)
    shots("back-online")
    rows = dict(Attendance.objects.filter(date=today).values_list("child_id", "hcm"))
    assert sorted(rows) == entered["present"]
    assert sorted(pk for pk, hcm in rows.items() if hcm) == entered["hcm"]
    assert SubmissionReceipt.objects.count() == 1

    # Online again, the page shows the server's sheet: the same 13.
    page.goto(f"{base}/beneficiaries/attendance/")
    assert page.evaluate(TICKS) == entered


def test_queue_is_sent_when_a_page_loads_after_the_network_returns(live_server, page, context, users, thirteen,
                                                                    today):
    base = live_server.url
    sign_in(page, base, users.aww)
    page.goto(f"{base}/beneficiaries/attendance/")
    wait_until_kept(page, "/beneficiaries/attendance/")
    context.set_offline(True)
    for child in thirteen[:4]:
        page.check(f"#p{child.pk}")
    page.click("button:has-text('Save attendance')")
    queued(page, 1)
    # She closes the page while offline and opens the portal again once the network is back.
    blank = context.new_page()
    page.close()
    context.set_offline(False)
    blank.goto(f"{base}/")
    expect(blank.locator("[data-queue-result]")).to_have_attribute("data-queue-result", "saved", timeout=10_000)
    assert Attendance.objects.filter(date=today).count() == 4


def test_measurement_saved_twice_offline_sends_the_last_and_keeps_other_entries(
        live_server, page, context, shots, users, centre, today):
    base = live_server.url
    child, other = centre["Aarti"], centre["Bhola"]
    sign_in(page, base, users.aww)
    wait_until_kept(page, "/")
    for kid in (child, other):
        page.goto(f"{base}/growth/child/{kid.pk}/measure/")
        wait_until_kept(page, f"/growth/child/{kid.pk}/measure/")

    measured_offline(page, context, base, child)
    page.fill("#id_weight_kg", "13.7")  # she sees the typo and saves again
    page.click("main form button[type=submit]")
    queued(page, 1)
    expect(page.locator("[data-queued-entry=replaced]")).to_be_visible()
    expect(page.locator("#id_weight_kg")).to_have_value("13.7")

    # Another child's measurement is another entry: nothing waiting is lost.
    page.goto(f"{base}/growth/child/{other.pk}/measure/")
    expect(page.locator("#id_weight_kg")).to_have_value("")
    page.fill("#id_weight_kg", "12.1")
    page.fill("#id_lenhei_cm", "92.0")
    page.click("main form button[type=submit]")
    queued(page, 2)
    shots("two-waiting")

    context.set_offline(False)
    expect(page.locator("[data-queue-result=saved]")).to_have_count(2, timeout=10_000)
    assert list(Measurement.objects.filter(child=child, date=today).values_list("weight_kg", flat=True)) == [
        Decimal("13.70")]
    assert list(Measurement.objects.filter(child=other, date=today).values_list("weight_kg", flat=True)) == [
        Decimal("12.10")]


def measured_offline(page, context, base: str, child) -> None:
    """Without a network, 13.5 kg and 95.0 cm saved on the child's kept measure page: the entry waits (the only one)
    and the form stays filled with what she entered."""
    context.set_offline(True)
    page.goto(f"{base}/growth/child/{child.pk}/measure/")
    page.fill("#id_weight_kg", "13.5")
    page.fill("#id_lenhei_cm", "95.0")
    page.click("main form button[type=submit]")
    queued(page, 1)
    expect(page.locator("#id_weight_kg")).to_have_value("13.5")


def saved_offline_then_sent(page, context, base: str, users, child, language: str | None = None) -> None:
    """A measurement of 13.5 kg saved without a network (it waits, the form filled with it), then the network
    back and the entry sent and saved; the form is still shown."""
    sign_in(page, base, users.aww, language=language)
    wait_until_kept(page, "/")
    page.goto(f"{base}/growth/child/{child.pk}/measure/")
    wait_until_kept(page, f"/growth/child/{child.pk}/measure/")
    measured_offline(page, context, base, child)
    context.set_offline(False)
    expect(page.locator("[data-queue-result=saved]")).to_have_count(1, timeout=10_000)
    expect(page.locator("[data-queue-count]")).to_have_count(0)


def test_a_measurement_sent_when_the_network_returns_is_not_saved_again_from_the_form_still_shown(
        live_server, page, context, shots, users, centre, today):
    """Found walking the phone in Hindi: saved without a network, the measurement waits and the form stays filled
    with it; the network returns and the entry is sent and saved; she taps Save on the form still shown, as it looks
    unsaved. That second save must be answered as the first (already saved), never saved as a second measurement."""
    child = centre["Aarti"]
    saved_offline_then_sent(page, context, live_server.url, users, child, language="hi")
    shots("sent-form-still-shown")
    page.click("main form button[type=submit]")  # the form still shown, saved again
    page.wait_for_load_state("networkidle")
    shots("saved-again")
    assert list(Measurement.objects.filter(child=child, date=today).values_list("weight_kg", flat=True)) == [
        Decimal("13.50")]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_measurement_corrected_after_it_was_sent_is_saved_as_a_new_one(
        live_server, page, context, users, centre, today):
    """The same, but she changes the weight before saving again: that is a correction, a new submission (the
    later measurement of the day is the one that counts), not an answer with the first."""
    child = centre["Aarti"]
    saved_offline_then_sent(page, context, live_server.url, users, child)
    page.fill("#id_weight_kg", "13.7")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert sorted(Measurement.objects.filter(child=child, date=today).values_list("weight_kg", flat=True)) == [
        Decimal("13.50"), Decimal("13.70")]
