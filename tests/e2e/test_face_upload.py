"""The phone sends a small, face-sized photo: a 12-megapixel picture leaves the page as at most 30 KB, with a
progress bar, and the face in it is still found and enrolled."""
from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import make_household, make_person
from thr_frs.models import FaceEnrolment

from .steps import sign_in

pytestmark = pytest.mark.browser

LIMIT = 30 * 1024


def _twelve_megapixels(path):
    with Image.open("tests/fixtures/faces/obama_2.jpg") as image:
        portrait = image.convert("RGB")
    scaled = portrait.resize((round(portrait.width * 3000 / portrait.height), 3000))
    canvas = Image.effect_noise((4000, 3000), 24).convert("RGB")
    canvas.paste(scaled, ((4000 - scaled.width) // 2, 0))
    canvas.save(path, "JPEG", quality=90)
    return path


def test_a_big_photo_is_sent_face_sized_under_30_kb_with_a_progress_bar(live_server, page, shots, users, world,
                                                                         today, tmp_path):
    base = live_server.url
    household = make_household(world.awc1, actor=users.aww, head_name="Ram")
    sita = make_person(household, name="Sita", dob=date(1998, 1, 1), enrol_as="pregnant",
                       lmp=today - timedelta(days=70))
    big = _twelve_megapixels(tmp_path / "big.jpg")
    assert big.stat().st_size > 2_000_000
    sign_in(page, base, users.aww, language="en")
    page.goto(f"{base}/thr/b/{sita.pk}/enrol/")
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" and "/enrol/" in r.url else None)

    page.set_input_files("input[name=photo]", str(big))
    expect(page.locator("[data-frs-preview]")).to_be_visible()  # shrunk on the phone: the preview shows it
    size, width, height = page.evaluate("""() => {
        const file = document.querySelector("input[name=photo]").files[0];
        return createImageBitmap(file).then(b => [file.size, b.width, b.height]);
    }""")
    assert size <= LIMIT and max(width, height) <= 400, (size, width, height)
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("The face of Sita is enrolled.", timeout=30_000)
    shots("enrolled-from-a-small-photo")

    assert len(sent) == 1  # one upload, by the page's own request (with its progress bar)
    assert FaceEnrolment.objects.filter(person=sita).exists()


def test_the_sending_line_has_a_progress_bar_and_says_checking_when_sent(live_server, page, users, world, today):
    base = live_server.url
    household = make_household(world.awc1, actor=users.aww, head_name="Ram")
    sita = make_person(household, name="Sita", dob=date(1998, 1, 1), enrol_as="pregnant",
                       lmp=today - timedelta(days=70))
    sign_in(page, base, users.aww, language="hi")
    page.goto(f"{base}/thr/b/{sita.pk}/enrol/")
    sending = page.locator("[data-frs-sending]")
    expect(sending.locator("progress")).to_have_count(1)
    assert sending.get_attribute("data-checking") == "भेज दी गई। फ़ोटो की जाँच हो रही है…"
