"""The hand-over page asks for two frames: a single still photo is refused before any face check (and kept, so
only the second photo is taken); with the frame after the head turned, the ration is handed over. Both frames
leave the phone face-sized."""
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_household, make_person
from thr_frs.models import FaceCheck, ThrDistribution
from thr_frs.services import face_enrol_request, stock_receive

from .steps import sign_in

pytestmark = pytest.mark.browser

BEFORE = "tests/fixtures/faces/obama_2.jpg"
TURNED = "tests/fixtures/faces/obama_1.jpg"  # the same person, the head turned (tests/thr_frs/test_liveness.py)


def test_a_single_photo_is_refused_and_the_turned_frame_hands_over(live_server, page, shots, users, world, today):
    base = live_server.url
    household = make_household(world.awc1, actor=users.aww, head_name="Ram")
    sita = make_person(household, name="Sita", dob=date(1998, 1, 1), enrol_as="pregnant",
                       lmp=today - timedelta(days=70))
    stock_receive(actor=users.aww, awc=world.awc1, received_on=timezone.localdate(), packets=20)
    with open(TURNED, "rb") as enrolment_photo:
        face_enrol_request(actor=users.aww, beneficiary=sita, photo=enrolment_photo.read())  # eager worker
    sign_in(page, base, users.aww, language="en")

    page.goto(f"{base}/thr/b/{sita.pk}/")
    page.set_input_files("input[name=photo]", BEFORE)
    expect(page.locator("[data-frs-preview]")).to_be_visible()
    page.click("main form[data-frs-form] button[type=submit]")
    expect(page.locator("main")).to_contain_text(
        "Take the second photo after the person turns the head: one photo alone is not accepted.")
    expect(page.locator("main")).to_contain_text("No need to take the photo again")
    shots("one-photo-refused")
    assert not FaceCheck.objects.filter(purpose="match").exists()

    page.set_input_files("input[name=turned_photo]", TURNED)
    page.wait_for_function("() => { const f = document.querySelector('input[name=turned_photo]').files[0];"
                           " return f && f.name === 'face.jpg'; }")
    size = page.evaluate("() => document.querySelector('input[name=turned_photo]').files[0].size")
    assert size <= 30 * 1024
    page.click("main form[data-frs-form] button[type=submit]")
    expect(page.locator("main")).to_contain_text("packets handed over", timeout=60_000)
    shots("handed-over-after-the-turn")
    assert ThrDistribution.objects.get(beneficiary=sita).verified_by == "face"
