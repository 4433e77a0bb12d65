"""The face step on a phone: consent recorded at registration is not asked again; an error in another field keeps
the photo (no second photo); the THR page's steps are numbered from 1 before enrolment."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import make_household, make_person
from thr_frs.models import FaceEnrolment

from .steps import sign_in

pytestmark = pytest.mark.browser

PHOTO = "tests/fixtures/faces/obama_1.jpg"


def test_enrolment_keeps_the_photo_and_asks_consent_only_once(live_server, page, shots, users, world, today):
    base = live_server.url
    household = make_household(world.awc1, actor=users.aww, head_name="Ram")
    sita = make_person(household, name="Sita", dob=date(1998, 1, 1), enrol_as="pregnant",
                       lmp=today - timedelta(days=70))  # face consent recorded at registration
    meena = make_person(household, name="Meena", dob=date(2002, 1, 1), consent=False)
    sign_in(page, base, users.aww, language="en")

    # Before enrolment the steps start at 1.
    page.goto(f"{base}/thr/b/{sita.pk}/")
    steps = page.locator("main h2").all_inner_texts()
    numbered = [s for s in steps if s[:1].isdigit()]
    assert numbered[0].startswith("1. ") and numbered[1].startswith("2. "), steps
    shots("thr-page-before-enrolment")

    # Consent given at registration: the enrolment page does not ask for it again.
    page.goto(f"{base}/thr/b/{sita.pk}/enrol/")
    expect(page.locator("input[name=consent]")).to_have_count(0)

    # No consent recorded: asked here. "Consent given by" forgotten: the photo is kept.
    page.goto(f"{base}/thr/b/{meena.pk}/enrol/")
    page.set_input_files("input[name=photo]", PHOTO)
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("Write who gave the consent.")
    expect(page.locator("main")).to_contain_text("No need to take the photo again")
    shots("photo-kept")
    page.fill("input[name=consent_given_by]", "Meena")
    page.click("main form button[type=submit]")  # no new photo
    expect(page.locator("main")).to_contain_text("The face of Meena is enrolled.")
    shots("enrolled")
    assert FaceEnrolment.objects.filter(person=meena).exists()
