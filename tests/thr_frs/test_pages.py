"""The worker's pages end to end (real photos through the HTTP stack, task run eagerly)."""
from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from poshan.core import sms
from thr_frs.models import FaceCheck, FaceEnrolment, OverrideRequest, ThrDistribution, ThrStockEntry
from thr_frs import ratelimit
from thr_frs.ratelimit import FACE_CHECKS_PER_MINUTE

from .conftest import blank_photo, photo


# The second frame of each photo the tests send: the same person with the head turned (tests/thr_frs/test_liveness).
TURNED = {photo("obama_2.jpg"): photo("obama_1.jpg"), photo("biden_1.jpg"): photo("biden_2.jpg"),
          photo("biden_2.jpg"): photo("biden_1.jpg")}


def _upload(data: bytes, name="face.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def aww(users, login):
    return login(users.aww)


@pytest.fixture
def post_photo(aww, django_capture_on_commit_callbacks):
    def post(url_name, beneficiary, data: bytes, **fields):
        if url_name == "match" and "turned_photo" not in fields:  # the page asks for the head-turn frame too
            fields["turned_photo"] = _upload(TURNED.get(data, data), name="turned.jpg")
        with django_capture_on_commit_callbacks(execute=True):
            return aww.post(reverse(f"thr_frs:{url_name}", args=[beneficiary.pk]),
                            {"photo": _upload(data), "client_uuid": str(uuid.uuid4()), **fields})

    return post


@pytest.fixture
def enrolled(family, post_photo):
    response = post_photo("enrol", family.sita, photo("obama_1.jpg"))
    assert response.status_code == 302
    return family


def test_centre_page_lists_who_is_entitled_and_the_stock(family, stock, aww):
    page = aww.get(reverse("thr_frs:home")).content.decode()

    assert "Sita" in page and "Mohan" in page and "Baby" not in page
    assert "Balance" in page and "100" in page


def test_enrolment_page_shows_the_live_camera_and_the_capture_input(family, aww):
    page = aww.get(reverse("thr_frs:enrol", args=[family.sita.pk])).content.decode()

    assert 'accept="image/*"' in page and 'capture="user"' in page
    assert "js/frs_camera.js" in page and "<script>" not in page


def test_enrolment_over_http_shows_the_result(enrolled, aww):
    check = FaceCheck.objects.get()
    page = aww.get(reverse("thr_frs:check", args=[check.pk])).content.decode()

    assert "The face of Sita is enrolled." in page


def test_match_over_http_hands_over_and_says_so(enrolled, stock, aww, post_photo):
    response = post_photo("match", enrolled.sita, photo("obama_2.jpg"), quantity=4)

    assert response.status_code == 302
    page = aww.get(response["Location"]).content.decode()
    assert "Face matches Sita." in page and "4 packets handed over." in page


def test_mismatch_over_http_offers_the_other_ways(family, stock, aww, post_photo):
    assert post_photo("enrol", family.sita, photo("biden_2.jpg")).status_code == 302
    # A live pair of another person (the head turned): the two-frame check passes, the match refuses.
    response = post_photo("match", family.sita, photo("obama_2.jpg"), quantity=4)

    check = FaceCheck.objects.get(purpose="match")
    assert check.status == "done" and check.matched is False
    page = aww.get(response["Location"]).content.decode()
    assert "This does not look like the same person." in page
    assert "Send a code to the registered mobile" in page and "Ask the supervisor for an override" in page
    assert not ThrDistribution.objects.exists()


def test_a_still_photo_offers_the_other_ways_too(enrolled, stock, aww, post_photo):
    # biden_1 then biden_2 are two sittings, not a head turning: the two-frame check refuses before the match.
    response = post_photo("match", enrolled.sita, photo("biden_1.jpg"), quantity=4)

    page = aww.get(response["Location"]).content.decode()
    assert "not a person turning the head" in page
    assert "Send a code to the registered mobile" in page and "Ask the supervisor for an override" in page
    assert not ThrDistribution.objects.exists()


def test_photo_without_a_face_asks_for_a_new_one(enrolled, stock, aww, post_photo):
    response = post_photo("match", enrolled.sita, blank_photo(), quantity=4)

    page = aww.get(response["Location"]).content.decode()
    assert "No face was found in the photo. Take a new photo" in page


def test_two_faces_ask_for_a_new_photo(enrolled, stock, aww, post_photo):
    response = post_photo("match", enrolled.sita, photo("two_people.jpg"), quantity=4)

    page = aww.get(response["Location"]).content.decode()
    assert "More than one face was found in the photo." in page


def test_pending_check_shows_progress_and_polls(enrolled, users, aww):
    check = FaceCheck.objects.create(awc=enrolled.sita.awc, beneficiary=enrolled.sita, person=enrolled.sita,
                                     purpose="match", requested_by=users.aww)

    page = aww.get(reverse("thr_frs:check", args=[check.pk])).content.decode()
    status = aww.get(reverse("thr_frs:check_status", args=[check.pk])).json()

    assert "<progress>" in page and "js/frs_check.js" in page and 'http-equiv="refresh"' in page
    assert status["status"] == "pending" and status["matched"] is None


def test_too_many_photos_in_a_minute_are_refused_with_a_message(enrolled, stock, aww, post_photo, monkeypatch):
    monkeypatch.setattr(ratelimit, "current_window", lambda: 1)  # all in one minute, whatever the clock says
    for _ in range(FACE_CHECKS_PER_MINUTE):
        post_photo("match", enrolled.sita, blank_photo(), quantity=4)

    response = post_photo("match", enrolled.sita, blank_photo(), quantity=4)

    assert response.status_code == 429
    assert "Too many photos in a minute" in response.content.decode()


def test_too_large_photo_is_refused_before_anything_is_kept(family, aww, post_photo, settings):
    settings.FRS_MAX_PHOTO_BYTES = 50_000

    response = post_photo("enrol", family.sita, photo("obama_1.jpg"))

    assert response.status_code == 400 and "The photo is too large" in response.content.decode()
    assert not FaceCheck.objects.exists()


def test_nominee_face_is_enrolled_from_the_nominee_link(enrolled, users, aww, django_capture_on_commit_callbacks):
    from thr_frs.services import nominee_add

    nominee_add(actor=users.aww, beneficiary=enrolled.sita, person=enrolled.ram)
    url = reverse("thr_frs:enrol", args=[enrolled.sita.pk]) + f"?nominee={enrolled.ram.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = aww.post(url, {"photo": _upload(photo("biden_1.jpg")), "person": enrolled.ram.pk,
                                  "client_uuid": str(uuid.uuid4())})

    assert "The face of Ram is enrolled." in aww.get(response["Location"]).content.decode()
    assert FaceCheck.objects.get(person=enrolled.ram).via_nominee is True


def test_otp_over_http(enrolled, stock, aww, post_photo, django_capture_on_commit_callbacks):
    post_photo("match", enrolled.sita, photo("biden_1.jpg"), quantity=4)
    with django_capture_on_commit_callbacks(execute=True):
        aww.post(reverse("thr_frs:otp_send", args=[enrolled.sita.pk]))
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)

    response = aww.post(reverse("thr_frs:otp_verify", args=[enrolled.sita.pk]),
                        {"code": code, "quantity": 4, "client_uuid": str(uuid.uuid4())}, follow=True)

    assert "Code correct: 4 packets handed over to Sita." in response.content.decode()
    assert ThrDistribution.objects.get().verified_by == "otp"


def test_override_over_http_from_request_to_handover(family, stock, users, login):
    login(users.aww).post(reverse("thr_frs:override", args=[family.sita.pk]),
                          {"reason": "She refuses a photo this month", "quantity": 4,
                           "client_uuid": str(uuid.uuid4())})
    override = OverrideRequest.objects.get()
    page = login(users.supervisor).get(reverse("thr_frs:supervision")).content.decode()
    assert "She refuses a photo this month" in page
    login(users.supervisor).post(reverse("thr_frs:override_decide", args=[override.pk]),
                                 {f"o{override.pk}-approve": "yes"})

    response = login(users.aww).post(reverse("thr_frs:override_handover", args=[family.sita.pk]),
                                     {"override": override.pk, "client_uuid": str(uuid.uuid4())}, follow=True)

    assert "4 packets handed over to Sita (supervisor override)." in response.content.decode()


def test_supervisor_sees_repeated_failures_per_centre(enrolled, stock, users, login, post_photo):
    post_photo("match", enrolled.sita, photo("biden_1.jpg"), quantity=4)
    post_photo("match", enrolled.sita, photo("biden_2.jpg"), quantity=4)

    page = login(users.supervisor).get(reverse("thr_frs:supervision")).content.decode()

    assert "Sita (2)" in page


def test_consent_withdrawal_erases_the_face(enrolled, aww):
    response = aww.post(reverse("thr_frs:erase", args=[enrolled.sita.pk]), {"person": enrolled.sita.pk},
                        follow=True)

    assert "the face data of Sita is erased" in response.content.decode()
    assert not FaceEnrolment.objects.exists()


def test_stock_is_recorded_from_the_stock_page(world, users, aww):
    response = aww.post(reverse("thr_frs:stock"), {"received_on": "2026-11-01", "packets": 40,
                                                   "client_uuid": str(uuid.uuid4())}, follow=True)

    assert "40 packets recorded." in response.content.decode()
    assert ThrStockEntry.objects.get().packets == 40


def test_register_lists_the_months_handovers(enrolled, stock, aww, post_photo, users, login):
    post_photo("match", enrolled.sita, photo("obama_2.jpg"), quantity=4)

    page = login(users.supervisor).get(reverse("thr_frs:register")).content.decode()

    assert "Sita" in page and "Face match" in page


def test_report_above_the_supervisor_shows_figures_not_names(enrolled, stock, aww, post_photo, users, login, world):
    post_photo("match", enrolled.sita, photo("obama_2.jpg"), quantity=4)

    page = login(users.cdpo).get(reverse("thr_frs:report")).content.decode()

    assert world.sector1.name in page and "Sita" not in page
    assert "THR via face recognition" in page and "100.0 %" in page


def test_home_page_offers_the_thr_tile_to_the_worker(world, users, aww):
    assert "Take-home ration" in aww.get(reverse("home")).content.decode()


@pytest.mark.parametrize("path", ["thr_frs:enrol", "thr_frs:match", "/api/v1/thr/face-checks/"])
def test_a_photo_form_posted_as_plain_fields_is_answered_with_a_message_not_a_server_error(family, aww, path):
    """A body with no file part (urlencoded: a script, an old client) is read before the view by the check for NUL
    bytes (poshan.core.middleware.BadParameterMiddleware), so the photo's in-memory handler has nothing to handle:
    the form is refused for its missing photo, as a multipart one without a photo is."""
    from urllib.parse import urlencode

    url = path if path.startswith("/") else reverse(path, args=[family.sita.pk])
    body = urlencode({"client_uuid": str(uuid.uuid4()), "beneficiary": family.sita.pk, "purpose": "enrol"})
    response = aww.post(url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert not FaceCheck.objects.exists()
