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
