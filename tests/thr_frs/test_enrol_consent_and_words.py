"""The face step as a worker meets it: consent asked only when none is recorded, a photo never thrown away for
another field's error, plain words for a mismatch (the figure for the supervisor), steps numbered in order."""
from __future__ import annotations

import re
import uuid

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from beneficiaries.models import Consent
from thr_frs import photostore
from thr_frs.models import FaceCheck, FaceEnrolment

from .conftest import photo, register

FACE = Consent.Purpose.FACE


@pytest.fixture(autouse=True)
def _no_kept_photos_left_behind():
    """A photo kept for a try that never comes waits minutes; other tests count the photos waiting."""
    yield
    for key in photostore.waiting_keys():
        photostore.discard(key)


def _kept_key(token: str) -> str:
    from thr_frs.views.face import KEPT_PHOTO_SALT

    return signing.loads(token, salt=KEPT_PHOTO_SALT)["k"]


def _kept_keys(token: str) -> list[str]:
    """The store keys of a kept photo and of its head-turn frame."""
    from thr_frs.views.face import KEPT_PHOTO_SALT

    data = signing.loads(token, salt=KEPT_PHOTO_SALT)
    return [data["k"], data["t"]]


def _upload(data: bytes):
    return SimpleUploadedFile("face.jpg", data, content_type="image/jpeg")


@pytest.fixture
def aww(users, login):
    return login(users.aww)


@pytest.fixture
def meena(family, users):
    """Registered with consent for services only: her face consent is not recorded."""
    return register(users.aww, family.household, "Meena", age=22, purposes=("services",))


def _enrol_url(person):
    return reverse("thr_frs:enrol", args=[person.pk])


def test_consent_recorded_at_registration_is_not_asked_again(family, aww):
    page = aww.get(_enrol_url(family.sita)).content.decode()
    assert 'name="consent"' not in page and 'name="consent_given_by"' not in page


def test_consent_is_asked_when_none_is_recorded(meena, aww):
    page = aww.get(_enrol_url(meena)).content.decode()
    assert 'name="consent"' in page and 'name="consent_given_by"' in page


def test_enrolment_with_recorded_consent_needs_no_ticks(family, aww, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = aww.post(_enrol_url(family.sita), {"photo": _upload(photo("obama_1.jpg")),
                                                      "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 302
    assert FaceEnrolment.objects.filter(person=family.sita).exists()


def test_an_error_in_another_field_keeps_the_photo(meena, aww, django_capture_on_commit_callbacks):
    submission = str(uuid.uuid4())
    first = aww.post(_enrol_url(meena), {"photo": _upload(photo("obama_1.jpg")), "client_uuid": submission,
                                         "consent": "on", "consent_given_by": ""})
    assert first.status_code == 400
    page = first.content.decode()
    assert "Write who gave the consent." in page
    kept = re.search(r'name="kept_photo" value="([^"]+)"', page)
    assert kept, "the photo must be kept for the next try"
    assert "No need to take the photo again" in page
    assert not FaceCheck.objects.exists()
    assert _kept_key(kept.group(1)) in photostore.waiting_keys()

    with django_capture_on_commit_callbacks(execute=True):  # no new photo: the kept one is used
        second = aww.post(_enrol_url(meena), {"kept_photo": kept.group(1), "client_uuid": submission,
                                              "consent": "on", "consent_given_by": "Meena"})
    assert second.status_code == 302, second.content.decode()[:3000]
    assert FaceEnrolment.objects.filter(person=meena).exists()
    assert photostore.waiting_keys() == []  # taken for the check, and the check took it


def test_a_kept_photo_is_only_for_the_same_person(meena, family, aww):
    first = aww.post(_enrol_url(meena), {"photo": _upload(photo("obama_1.jpg")), "client_uuid": str(uuid.uuid4()),
                                         "consent": "on", "consent_given_by": ""})
    kept = re.search(r'name="kept_photo" value="([^"]+)"', first.content.decode()).group(1)
    other = aww.post(_enrol_url(family.ram), {"kept_photo": kept, "client_uuid": str(uuid.uuid4())})
    assert other.status_code == 400
    assert not FaceCheck.objects.exists()


def test_missing_consent_tick_keeps_the_photo_too(meena, aww):
    response = aww.post(_enrol_url(meena), {"photo": _upload(photo("obama_1.jpg")), "client_uuid": str(uuid.uuid4()),
                                            "consent_given_by": "Meena"})
    assert response.status_code == 400
    assert 'name="kept_photo"' in response.content.decode()


@pytest.fixture
def mismatch(family, stock, aww, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aww.post(_enrol_url(family.sita), {"photo": _upload(photo("biden_1.jpg")), "client_uuid": str(uuid.uuid4())})
    with django_capture_on_commit_callbacks(execute=True):  # a live pair (the head turned) of another person
        response = aww.post(reverse("thr_frs:match", args=[family.sita.pk]),
                            {"photo": _upload(photo("obama_2.jpg")), "turned_photo": _upload(photo("obama_1.jpg")),
                             "client_uuid": str(uuid.uuid4()), "quantity": 4})
    return FaceCheck.objects.get(purpose="match"), response


def test_a_mismatch_is_told_in_words_without_the_figure(mismatch, aww):
    check, response = mismatch
    assert check.status == "done" and not check.matched
    with translation.override("en"):
        page = aww.get(response["Location"]).content.decode()
    assert ("This does not look like the same person. Try again in good light, or use another way below."
            in page)
    assert "Distance" not in page and f"{check.distance:.2f}" not in page


def test_the_supervisor_sees_the_figure(mismatch, users, login):
    check, _ = mismatch
    page = login(users.supervisor).get(reverse("thr_frs:supervision")).content.decode()
    assert "Sita" in page and f"{check.distance:.2f}" in page and f"{check.tolerance:.2f}" in page


def _numbered_steps(page: str) -> list[str]:
    return re.findall(r"<h2>\s*(\d+)\.", page)


def test_thr_page_steps_start_at_one_before_enrolment(family, stock, aww):
    page = aww.get(reverse("thr_frs:handover", args=[family.sita.pk])).content.decode()
    assert _numbered_steps(page) == ["1", "2"]
    assert page.index("1. ") < page.index(str(reverse("thr_frs:enrol", args=[family.sita.pk])))


def test_thr_page_steps_after_enrolment(family, stock, aww, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aww.post(_enrol_url(family.sita), {"photo": _upload(photo("obama_1.jpg")), "client_uuid": str(uuid.uuid4())})
    page = aww.get(reverse("thr_frs:handover", args=[family.sita.pk])).content.decode()
    assert _numbered_steps(page) == ["1"]  # the other ways open after a failed check


def test_an_error_in_the_packets_keeps_the_photo_of_the_face_check(family, stock, aww,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aww.post(_enrol_url(family.sita), {"photo": _upload(photo("obama_1.jpg")), "client_uuid": str(uuid.uuid4())})
    match_url = reverse("thr_frs:match", args=[family.sita.pk])
    submission = str(uuid.uuid4())
    first = aww.post(match_url, {"photo": _upload(photo("obama_2.jpg")), "turned_photo": _upload(photo("obama_1.jpg")),
                                 "client_uuid": submission, "quantity": "0"})
    assert first.status_code == 400
    kept = re.search(r'name="kept_photo" value="([^"]+)"', first.content.decode())
    assert kept and "No need to take the photo again" in first.content.decode()
    assert sorted(photostore.waiting_keys()) == sorted(_kept_keys(kept.group(1)))  # the photo and the turned frame

    with django_capture_on_commit_callbacks(execute=True):
        second = aww.post(match_url, {"kept_photo": kept.group(1), "client_uuid": submission, "quantity": "4"})
    assert second.status_code == 302
    check = FaceCheck.objects.get(purpose="match")
    assert check.matched and photostore.waiting_keys() == []


def test_for_a_child_the_worker_sees_whose_consent_is_recorded(family, users, aww, django_capture_on_commit_callbacks):
    """Mohan's face check uses a parent's face: Sita's consent is recorded, Meena's (an adult of the family) not."""
    register(users.aww, family.household, "Meena", age=22, purposes=("services",))
    with translation.override("en"):
        page = aww.get(_enrol_url(family.mohan)).content.decode()
    assert "Sita (consent for the face check recorded)" in page
    assert ">Meena<" in page and 'name="consent"' in page

    with django_capture_on_commit_callbacks(execute=True):  # Sita chosen: no consent tick needed
        response = aww.post(_enrol_url(family.mohan), {"photo": _upload(photo("obama_1.jpg")), "person": family.sita.pk,
                                                       "relation": "mother", "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 302
    assert FaceEnrolment.objects.filter(person=family.sita).exists()


def test_a_single_still_photo_is_refused_on_the_hand_over_page(family, stock, aww, django_capture_on_commit_callbacks):
    """The head-turn challenge is required: one photo alone never reaches the face check, and it is kept so the
    worker takes only the second photo."""
    with django_capture_on_commit_callbacks(execute=True):
        aww.post(_enrol_url(family.sita), {"photo": _upload(photo("obama_1.jpg")), "client_uuid": str(uuid.uuid4())})

    with translation.override("en"):
        response = aww.post(reverse("thr_frs:match", args=[family.sita.pk]),
                            {"photo": _upload(photo("obama_2.jpg")), "client_uuid": str(uuid.uuid4()), "quantity": 4})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Take the second photo after the person turns the head: one photo alone is not accepted." in page
    assert not FaceCheck.objects.filter(purpose="match").exists()
    kept = re.search(r'name="kept_photo" value="([^"]+)"', page)
    assert kept and photostore.waiting_keys() == [_kept_key(kept.group(1))]
