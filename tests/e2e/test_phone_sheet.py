"""The attendance sheet and the other daily pages on a real 360×740 phone: every tap target at
least 44 × 44 px, a labelled meal box that is never ticked for an absent child, rows that tell two
children of the same name apart, seven or more children on one screen, and a sheet of 80 children
that stays under 30 KB as transferred (HTML served gzipped)."""
from __future__ import annotations

import gzip
import re
from datetime import date, timedelta

import pytest
import requests
from django.urls import reverse
from playwright.sync_api import expect

from beneficiaries.models import Attendance, Beneficiary
from tests.factories import TEST_PASSWORD, make_household, make_person

from .steps import SMALL_TARGETS, TARGET_PX, sign_in

pytestmark = pytest.mark.browser

SCREEN_PX = 740
SHEET_CHILDREN = 80
SHEET_BUDGET = 30_000  # bytes as transferred, the attendance sheet of 80 children on 2G


def age_of(dob: date, on: date) -> tuple[int, int]:
    months = (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)
    return months // 12, months % 12


@pytest.fixture
def two_aartis(world, centre, today):
    """A second "Aarti" in another family, a year younger, whose mother is registered."""
    household = make_household(world.awc1, head_name="Mohan Lal")
    mother = make_person(household, name="Sunita Devi", sex="F", dob=date(1996, 5, 10))
    aarti = make_person(household, name="Aarti", sex="F", enrol_as="child",
                        dob=today - timedelta(days=4 * 365 + 200))
    Beneficiary.objects.filter(pk=aarti.pk).update(mother=mother)
    extra = [make_person(household, name=f"Kid {i}", sex="MF"[i % 2], enrol_as="child",
                         dob=today - timedelta(days=3 * 365 + 100 + 30 * i)) for i in range(4)]
    return centre["Aarti"], aarti, mother, extra


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_tap_target_on_the_daily_pages_is_at_least_44_px(live_server, page, users, centre, shots, language):
    base = live_server.url
    sign_in(page, base, users.aww, language=None if language == "en" else language)
    child = centre["Aarti"]
    pages = {
        "home": reverse("home"),
        "today": reverse("anganwadi:today"),
        "attendance": reverse("beneficiaries:attendance"),
        "due": reverse("beneficiaries:due"),
        "home visit": reverse("beneficiaries:home_visit", args=[child.pk]),
        "measure": reverse("growth:measure", args=[child.pk]),
        "growth list": reverse("growth:children"),
        "growth chart": reverse("growth:child", args=[child.pk]),
        "follow-ups": reverse("growth:followups"),
    }
    small = {}
    for name, path in pages.items():
        page.goto(base + path)
        assert page.get_attribute("html", "lang") == language
        found = page.evaluate(SMALL_TARGETS, TARGET_PX)
        if found:
            small[name] = found
    shots("attendance-sheet")
    assert not small, small


def test_meal_box_is_labelled_follows_presence_and_no_meal_is_saved_for_an_absent_child(
        live_server, page, users, centre, today, shots):
    base = live_server.url
    sign_in(page, base, users.aww)
    page.goto(base + reverse("beneficiaries:attendance"))
    aarti, bhola, chanda = centre["Aarti"], centre["Bhola"], centre["Chanda"]

    meals = page.locator("input[name=hcm]")
    expect(meals).to_have_count(len(centre))
    for i in range(len(centre)):  # nobody is present yet: no meal is ticked
        expect(meals.nth(i)).not_to_be_checked()
    meal = page.get_by_role("checkbox", name=f"Meal {aarti.name}", exact=True)
    expect(meal).to_have_count(1)
    assert page.evaluate("(id) => document.querySelector(`input[name=hcm][value='${id}']`).labels.length",
                         str(aarti.pk)) == 1
    expect(page.get_by_role("checkbox", name=f"Present {aarti.name}", exact=True)).to_have_count(1)

    page.check(f"#p{aarti.pk}")  # present: her meal is ticked with one tap
    expect(meal).to_be_checked()
    page.check(f"#p{bhola.pk}")
    page.uncheck(f"#p{bhola.pk}")  # a mistaken tick taken back: no meal either
    expect(page.get_by_role("checkbox", name=f"Meal {bhola.name}", exact=True)).not_to_be_checked()
    page.get_by_role("checkbox", name=f"Meal {chanda.name}", exact=True).check()  # meal but absent
    shots("ticked")
    page.click("main form button[type=submit]")
    expect(page.locator(".msg").first).to_contain_text("Saved: 1 present, 1 ate the meal.")
    assert dict(Attendance.objects.filter(date=today).values_list("child_id", "hcm")) == {aarti.pk: True}

    # The saved sheet shows what was saved: Chanda, absent, has no meal ticked.
    expect(page.get_by_role("checkbox", name=f"Meal {chanda.name}", exact=True)).not_to_be_checked()
    expect(meal).to_be_checked()


def test_rows_tell_two_children_of_the_same_name_apart_and_seven_fit_on_the_screen(
        live_server, page, users, two_aartis, today, shots):
    base = live_server.url
    first, second, mother, _ = two_aartis
    sign_in(page, base, users.aww)
    page.goto(base + reverse("beneficiaries:attendance"))
    rows = page.locator("table.sheet tbody tr")
    expect(rows).to_have_count(11)
    aartis = rows.filter(has_text="Aarti")
    expect(aartis).to_have_count(2)
    texts = [re.sub(r"\s+", " ", aartis.nth(i).inner_text()) for i in range(2)]
    assert texts[0] != texts[1]
    for child, text in zip(sorted([first, second], key=lambda c: c.pk), texts):
        years, months = age_of(child.dob, today)
        assert f"{years} y {months} mo" in text, text
    assert any(mother.name in text for text in texts), texts

    rows.first.evaluate("(row) => window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY)")
    shots("rows-on-one-screen")
    inside = page.evaluate("""(screen) => [...document.querySelectorAll('table.sheet tbody tr')]
        .filter(r => { const b = r.getBoundingClientRect(); return b.top >= -0.5 && b.bottom <= screen + 0.5; })
        .length""", SCREEN_PX)
    assert inside >= 7, f"only {inside} children fit on a {SCREEN_PX} px screen"


@pytest.fixture
def eighty_children(world, users, today):
    """80 children of 3–6 years at awc1, in 40 families with long names (a big centre)."""
    children = []
    for h in range(SHEET_CHILDREN // 2):
        household = make_household(world.awc1, head_name=f"Ramprasad Vishwakarma {h}")
        children += [make_person(household, name=f"Bhagyashree Kumari {h}-{i}", sex="F", enrol_as="child",
                                 dob=today - timedelta(days=3 * 365 + 100 + 300 * i + h)) for i in range(2)]
    return children


def test_attendance_sheet_of_80_children_is_under_30_kb_as_transferred(live_server, users, eighty_children):
    base = live_server.url
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    signed_in = session.post(f"{base}/accounts/login/", data={
        "username": users.aww.username, "password": TEST_PASSWORD,
        "csrfmiddlewaretoken": session.cookies["csrftoken"]}, headers={"Referer": f"{base}/accounts/login/"})
    assert signed_in.url == f"{base}/", signed_in.url

    response = session.get(base + reverse("beneficiaries:attendance"), headers={"Accept-Encoding": "gzip"},
                           stream=True)
    transferred = response.raw.read(decode_content=False)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    html = gzip.decompress(transferred).decode()
    assert html.count('name="present"') == SHEET_CHILDREN
    print(f"\nattendance sheet, {SHEET_CHILDREN} children: {len(transferred)} bytes gzipped, "
          f"{len(html.encode())} bytes of HTML")
    assert len(transferred) <= SHEET_BUDGET

    plain = session.get(base + reverse("beneficiaries:attendance"), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.text.count('name="present"') == SHEET_CHILDREN


@pytest.fixture
def twenty(world, today):
    household = make_household(world.awc1, head_name="Kailash Meena")
    return [make_person(household, name=f"Child {n:02d}", sex="FM"[n % 2], enrol_as="child",
                        dob=today - timedelta(days=3 * 365 + 100 + 30 * n)) for n in range(20)]


def test_twenty_children_present_with_their_meal_take_twenty_one_taps(live_server, page, users, twenty, today):
    base = live_server.url
    sign_in(page, base, users.aww)
    page.goto(base + reverse("beneficiaries:attendance"))
    taps = 0
    for child in twenty:
        page.click(f"#p{child.pk}")
        taps += 1
    page.click("main form button[type=submit]")
    taps += 1
    expect(page.locator(".msg").first).to_contain_text("Saved: 20 present, 20 ate the meal.")
    assert dict(Attendance.objects.filter(date=today).values_list("child_id", "hcm")) == {
        c.pk: True for c in twenty}
    print(f"\ntaps for {len(twenty)} children present with their meal: {taps}")
    assert taps == len(twenty) + 1
