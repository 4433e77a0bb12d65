"""The head-turn challenge refuses a still photo: the same photo twice, turned in front of the camera, mirrored.

The attacks are built in memory from the repository's photos (bench/face_degradations.py). There is no video
of a real head turn in the repository; two photos of the same person in different poses stand in for it.
"""
from __future__ import annotations

import pytest
from django.conf import settings

from bench import face_calibration, face_degradations
from thr_frs import faces, liveness


@pytest.fixture(scope="module")
def photos():
    return {p.name: p.image for p in face_calibration.sample_photos()}


def _judge(before: bytes, after: bytes) -> liveness.Verdict:
    return liveness.head_turn(before, after, tolerance=settings.FRS_TOLERANCE)


@pytest.mark.parametrize("name", ["obama_1", "biden_2", "obama_2"])
def test_the_same_photo_twice_is_refused(photos, name):
    frame = face_degradations.jpeg(photos[name])
    verdict = _judge(frame, frame)
    assert not verdict.live and verdict.reason == "flat_picture" and verdict.nose_shift == 0


@pytest.mark.parametrize(("name", "degrees", "distance"), [
    ("obama_1", 20, 2.0), ("obama_1", 35, 1.0), ("obama_1", -35, 2.0), ("biden_2", 35, 1.0),
    ("biden_2", -35, 2.0), ("obama_2", 20, 1.0), ("biden_1", -35, 1.0)])
def test_a_photo_turned_in_front_of_the_camera_is_refused(photos, name, degrees, distance):
    verdict = _judge(face_degradations.jpeg(photos[name]),
                     face_degradations.photo_turned(photos[name], degrees, distance=distance))
    assert not verdict.live and verdict.reason == "flat_picture"


def test_a_turned_photo_moves_the_nose_like_a_head_so_only_the_flat_fit_catches_it(photos):
    verdict = _judge(face_degradations.jpeg(photos["obama_1"]),
                     face_degradations.photo_turned(photos["obama_1"], 35, distance=1.0))
    assert verdict.nose_shift >= liveness.MIN_NOSE_SHIFT and verdict.flat_correlation >= liveness.FLAT_CORRELATION


@pytest.mark.parametrize("name", ["obama_1", "obama_2", "biden_1", "biden_2"])
def test_a_photo_and_its_mirror_image_are_refused(photos, name):
    verdict = _judge(face_degradations.jpeg(photos[name]), face_degradations.photo_mirrored(photos[name]))
    assert not verdict.live and verdict.reason == "flat_picture"


@pytest.mark.parametrize(("before", "after"), [("obama_1", "two_people_left"), ("obama_1", "obama_2")])
def test_the_same_person_with_the_head_turned_is_accepted(photos, before, after):
    verdict = _judge(face_degradations.jpeg(photos[before]), face_degradations.jpeg(photos[after]))
    assert verdict.live, verdict


def test_two_different_people_are_refused(photos):
    verdict = _judge(face_degradations.jpeg(photos["obama_1"]), face_degradations.jpeg(photos["biden_2"]))
    assert not verdict.live and verdict.reason == "not_same_person"


def test_a_frame_without_a_face_is_an_error_not_a_verdict(photos):
    blank = face_degradations.jpeg(photos["obama_1"].crop((0, 0, 60, 60)))
    with pytest.raises(faces.NoFaceFound):
        _judge(face_degradations.jpeg(photos["obama_1"]), blank)


# --- the check in the `frs` worker: a match with a head-turn frame (eager task, real photos) -----------------


def _match_with_turn(on_commit, users, person, before: bytes, after: bytes):
    from thr_frs.services import face_match_request

    check = on_commit(face_match_request, actor=users.aww, beneficiary=person, photo=before, turned_photo=after)
    check.refresh_from_db()
    return check


def test_a_match_with_a_still_photo_as_the_turned_frame_is_refused(photos, family, users, stock, enrol, on_commit,
                                                                     no_photos_left):
    from thr_frs.models import FaceCheck, ThrDistribution

    enrol(family.sita, "obama_2.jpg")
    frame = face_degradations.jpeg(photos["obama_1"])

    check = _match_with_turn(on_commit, users, family.sita, frame, face_degradations.photo_mirrored(photos["obama_1"]))

    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.NOT_TURNED)
    assert not ThrDistribution.objects.exists()
    no_photos_left()  # both frames were taken from the store and dropped


def test_a_match_with_the_head_turned_hands_over(photos, family, users, stock, enrol, on_commit):
    from thr_frs.models import ThrDistribution

    enrol(family.sita, "obama_2.jpg")

    check = _match_with_turn(on_commit, users, family.sita, face_degradations.jpeg(photos["obama_1"]),
                             face_degradations.jpeg(photos["two_people_left"]))

    assert check.matched is True and ThrDistribution.objects.filter(face_check=check).exists()


def test_the_hand_over_page_takes_the_turned_frame_and_refuses_a_mirror_image(photos, family, users, stock, enrol,
                                                                              login, django_capture_on_commit_callbacks):
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from thr_frs.models import FaceCheck

    enrol(family.sita, "obama_2.jpg")
    aww = login(users.aww)
    assert 'name="turned_photo"' in aww.get(reverse("thr_frs:handover", args=[family.sita.pk])).content.decode()
    frame = face_degradations.jpeg(photos["obama_1"])
    mirror = face_degradations.photo_mirrored(photos["obama_1"])

    with django_capture_on_commit_callbacks(execute=True):
        response = aww.post(reverse("thr_frs:match", args=[family.sita.pk]), {
            "photo": SimpleUploadedFile("a.jpg", frame, content_type="image/jpeg"),
            "turned_photo": SimpleUploadedFile("b.jpg", mirror, content_type="image/jpeg"),
            "quantity": 4, "client_uuid": str(uuid.uuid4())})

    check = FaceCheck.objects.get(purpose=FaceCheck.Purpose.MATCH)
    assert response.status_code == 302 and check.error == FaceCheck.Error.NOT_TURNED
    page = aww.get(reverse("thr_frs:check", args=[check.pk])).content.decode()
    assert "a still picture, not a person turning the head" in page


def test_the_api_takes_the_turned_frame_and_refuses_a_photo_with_its_mirror(photos, family, users, stock, enrol,
                                                                             login, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from thr_frs.models import FaceCheck, ThrDistribution

    enrol(family.sita, "obama_2.jpg")
    frame = face_degradations.jpeg(photos["obama_1"])
    mirror = face_degradations.photo_mirrored(photos["obama_1"])

    with django_capture_on_commit_callbacks(execute=True):
        response = login(users.aww).post("/api/v1/thr/face-checks/", {
            "beneficiary": family.sita.pk, "purpose": "match", "quantity": 4,
            "photo": SimpleUploadedFile("a.jpg", frame, content_type="image/jpeg"),
            "turned_photo": SimpleUploadedFile("b.jpg", mirror, content_type="image/jpeg")})

    assert response.status_code == 202
    check = FaceCheck.objects.get(pk=response.json()["id"])
    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.NOT_TURNED)
    assert not ThrDistribution.objects.exists()
