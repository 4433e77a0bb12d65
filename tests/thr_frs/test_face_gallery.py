"""Enrolment from two or three photos (a small gallery per person), matched against the nearest (eager task)."""
from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from bench import face_calibration, face_degradations
from poshan.core.models import AuditEvent
from thr_frs import faces
from thr_frs.models import FaceCheck, FaceEnrolment
from thr_frs.services import face_enrol_request, face_match_request
from thr_frs.services.gallery import ENROL_PHOTOS, MAX_PHOTOS, gallery_append, gallery_of

from .conftest import photo


def _enrol(on_commit, users, person, data: bytes) -> FaceCheck:
    check = on_commit(face_enrol_request, actor=users.aww, beneficiary=person, photo=data)
    check.refresh_from_db()
    return check


@pytest.fixture(scope="module")
def obama_third_sitting() -> bytes:
    """Person A's face cut out of two_people.jpg: a third sitting, not in the repository as a file."""
    crop = next(p for p in face_calibration.sample_photos() if p.name == "two_people_left")
    return face_degradations.jpeg(crop.image)


def test_two_more_photos_of_the_same_face_join_the_gallery(family, users, on_commit, obama_third_sitting):
    first = _enrol(on_commit, users, family.sita, photo("obama_1.jpg"))
    second = _enrol(on_commit, users, family.sita, photo("obama_2.jpg"))
    third = _enrol(on_commit, users, family.sita, obama_third_sitting)

    assert [c.status for c in (first, second, third)] == [FaceCheck.Status.DONE] * 3
    enrolment = FaceEnrolment.objects.get(person=family.sita)
    assert enrolment.photos == ENROL_PHOTOS == 3
    gallery = gallery_of(enrolment)
    assert gallery.shape == (3, faces.ENCODING_SIZE)
    assert np.allclose(gallery[1], faces.encode_face(photo("obama_2.jpg")))
    # each added photo was checked against the enrolled face first: its distance is kept on the check
    assert second.distance is not None and second.distance <= second.tolerance
    added = AuditEvent.objects.filter(object_type="thr_frs.faceenrolment", action=AuditEvent.Action.UPDATE)
    assert added.count() == 2

    with pytest.raises(ValidationError, match="already enrolled"):
        face_enrol_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_small.jpg"))


def test_a_photo_of_someone_else_never_joins_the_gallery(family, users, on_commit):
    _enrol(on_commit, users, family.sita, photo("obama_1.jpg"))

    check = _enrol(on_commit, users, family.sita, photo("biden_1.jpg"))

    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.NOT_SAME_FACE)
    assert check.distance > check.tolerance
    enrolment = FaceEnrolment.objects.get(person=family.sita)
    assert enrolment.photos == 1 and gallery_of(enrolment).shape == (1, faces.ENCODING_SIZE)


def test_a_match_is_decided_by_the_nearest_enrolled_photo(family, users, stock, on_commit, obama_third_sitting):
    _enrol(on_commit, users, family.sita, photo("obama_1.jpg"))
    _enrol(on_commit, users, family.sita, photo("obama_2.jpg"))

    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=obama_third_sitting)
    check.refresh_from_db()

    probe = faces.encode_face(obama_third_sitting)
    distances = [faces.face_distance(faces.encode_face(photo(name)), probe) for name in ("obama_1.jpg", "obama_2.jpg")]
    assert check.matched is True
    assert check.distance == pytest.approx(min(distances)) and min(distances) < max(distances)


def test_an_enrolment_of_one_photo_made_before_galleries_still_matches(family, users, stock, on_commit):
    FaceEnrolment.objects.create(person=family.sita, awc_id=family.sita.awc_id, enrolled_by=users.aww,
                                 encoding=faces.encode_face(photo("obama_1.jpg")).astype("<f8").tobytes())

    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    check.refresh_from_db()

    assert check.matched is True


def test_the_gallery_never_holds_more_than_a_few_templates():
    enrolment = FaceEnrolment(encoding=np.zeros((1, faces.ENCODING_SIZE)).astype("<f8").tobytes(), photos=1)
    for value in range(1, MAX_PHOTOS + 3):
        gallery_append(enrolment, np.full(faces.ENCODING_SIZE, float(value)), keep_first=0)
    rows = gallery_of(enrolment)
    assert enrolment.photos == len(rows) == MAX_PHOTOS
    assert [row[0] for row in rows] == [float(v) for v in range(3, MAX_PHOTOS + 3)]  # the oldest went first


def test_the_pages_ask_for_the_next_photo_until_the_gallery_is_full(family, users, login, on_commit):
    from django.urls import reverse

    aww = login(users.aww)
    first = _enrol(on_commit, users, family.sita, photo("obama_1.jpg"))

    page = aww.get(reverse("thr_frs:check", args=[first.pk])).content.decode()
    assert "Photo 1 of 3." in page and reverse("thr_frs:enrol", args=[family.sita.pk]) in page
    handover = aww.get(reverse("thr_frs:handover", args=[family.sita.pk])).content.decode()
    assert "enrolled from 1 photo of 3" in handover and "Add a photo of the face" in handover

    _enrol(on_commit, users, family.sita, photo("obama_2.jpg"))
    last = _enrol(on_commit, users, family.sita, photo("obama_small.jpg"))

    assert "Take the next photo" not in aww.get(reverse("thr_frs:check", args=[last.pk])).content.decode()
    assert "Add a photo of the face" not in aww.get(reverse("thr_frs:handover", args=[family.sita.pk])).content.decode()
