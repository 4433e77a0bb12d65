"""Face enrolment and 1:1 match with real photos and the real face_recognition models (eager task)."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from poshan.core.models import AuditEvent
from thr_frs.models import FaceCheck, FaceEnrolment, FaceOwner, ThrDistribution, Verification
from django.utils import timezone

from thr_frs import faces
from thr_frs.services import face_enrol_request, face_match_request
from thr_frs.services.face_checks import face_check_deadline_seconds, face_checks_expire_stale

from .conftest import blank_photo, photo


def _match(on_commit, actor, beneficiary, name, **kwargs):
    check = on_commit(face_match_request, actor=actor, beneficiary=beneficiary, photo=photo(name)
                      if isinstance(name, str) else name, **kwargs)
    check.refresh_from_db()
    return check


def test_enrolment_keeps_one_encrypted_128_float_encoding(family, enrol):
    check = enrol(family.sita, "obama_1.jpg")

    assert (check.status, check.purpose) == (FaceCheck.Status.DONE, FaceCheck.Purpose.ENROL)
    encoding = np.frombuffer(FaceEnrolment.objects.get(person=family.sita).encoding, dtype="<f8")
    assert encoding.shape == (128,)
    with connection.cursor() as cursor:
        cursor.execute("SELECT encoding FROM thr_frs_faceenrolment")
        stored = bytes(cursor.fetchone()[0])
    assert encoding.tobytes() not in stored and stored.startswith(b"gAAAAA")  # a Fernet token, not the floats


def test_same_person_matches_and_the_ration_is_handed_over(family, users, stock, enrol, on_commit, no_photos_left):
    enrol(family.sita, "obama_1.jpg")

    check = _match(on_commit, users.aww, family.sita, "obama_2.jpg")

    assert check.matched is True and check.distance <= check.tolerance == settings.FRS_TOLERANCE
    distribution = ThrDistribution.objects.get(beneficiary=family.sita)
    assert (distribution.verified_by, distribution.face_check, distribution.quantity) == (Verification.FACE, check, 4)
    assert distribution.handed_over_by == users.aww
    no_photos_left()


def test_different_person_does_not_match_and_nothing_is_handed_over(family, users, stock, enrol, on_commit):
    enrol(family.sita, "obama_1.jpg")

    check = _match(on_commit, users.aww, family.sita, "biden_1.jpg")

    assert (check.status, check.matched) == (FaceCheck.Status.DONE, False)
    assert check.distance > settings.FRS_TOLERANCE
    assert not ThrDistribution.objects.exists()


def test_photo_without_a_face_asks_for_a_new_photo(family, users, stock, enrol, on_commit):
    enrol(family.sita, "obama_1.jpg")

    check = _match(on_commit, users.aww, family.sita, blank_photo())

    assert (check.status, check.error, check.distance) == (FaceCheck.Status.FAILED, FaceCheck.Error.NO_FACE, None)
    assert not ThrDistribution.objects.exists()


def test_photo_with_two_faces_is_refused(family, users, stock, enrol, on_commit):
    enrol(family.sita, "obama_1.jpg")

    check = _match(on_commit, users.aww, family.sita, "two_people.jpg")

    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.MANY_FACES)


def test_enrolment_photo_with_two_faces_enrols_nothing(family, enrol):
    check = enrol(family.sita, "two_people.jpg")

    assert check.error == FaceCheck.Error.MANY_FACES
    assert not FaceEnrolment.objects.exists()


def test_a_face_is_enrolled_once_from_at_most_three_photos(family, users, enrol):
    for name in ("obama_1.jpg", "obama_2.jpg", "obama_small.jpg"):
        enrol(family.sita, name)

    assert FaceEnrolment.objects.get(person=family.sita).photos == 3
    with pytest.raises(ValidationError, match="already enrolled"):
        face_enrol_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))


def test_enrolment_needs_consent_for_the_face_check(family, users):
    from beneficiaries.services import consent_withdraw

    consent_withdraw(actor=users.aww, beneficiary=family.sita, purposes=("face",))

    with pytest.raises(ValidationError, match="no consent"):
        face_enrol_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_1.jpg"))


def test_consent_given_at_enrolment_is_recorded(family, users, enrol, on_commit):
    from beneficiaries.selectors import has_consent
    from beneficiaries.services import ConsentInput, consent_withdraw

    consent_withdraw(actor=users.aww, beneficiary=family.sita, purposes=("face",))
    on_commit(face_enrol_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_1.jpg"),
              consent=ConsentInput(given_by="Sita", purposes=("face",)))

    assert has_consent(family.sita, "face")
    assert FaceEnrolment.objects.filter(person=family.sita).exists()


def test_child_is_verified_against_the_mothers_face(family, users, stock, enrol, on_commit):
    enrol(family.mohan, "obama_1.jpg", person=family.sita, relation="mother")

    check = _match(on_commit, users.aww, family.mohan, "obama_2.jpg")

    assert FaceOwner.objects.get(beneficiary=family.mohan).owner == family.sita
    assert check.person == family.sita and check.matched
    assert ThrDistribution.objects.get(beneficiary=family.mohan).quantity == 3


def test_a_childs_own_face_is_never_enrolled(family, users):
    with pytest.raises(ValidationError, match="mother, father or guardian"):
        face_enrol_request(actor=users.aww, beneficiary=family.mohan, photo=photo("obama_1.jpg"))


def test_repeated_submission_is_the_same_check(family, users, stock, enrol, on_commit):
    enrol(family.sita, "obama_1.jpg")
    first = _match(on_commit, users.aww, family.sita, "obama_2.jpg", client_uuid="5b0a3d5e-8d43-4a3e-9d1c-1f8d2b7c9a10")

    again = _match(on_commit, users.aww, family.sita, "obama_2.jpg", client_uuid="5b0a3d5e-8d43-4a3e-9d1c-1f8d2b7c9a10")

    assert again.pk == first.pk
    assert FaceCheck.objects.filter(purpose="match").count() == 1
    assert ThrDistribution.objects.count() == 1


def test_match_is_refused_before_the_photo_when_not_enrolled(family, users, stock):
    with pytest.raises(ValidationError, match="not enrolled"):
        face_match_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    assert not FaceCheck.objects.exists()


def test_enrolment_and_match_are_audited(family, users, stock, enrol, on_commit):
    enrol(family.sita, "obama_1.jpg")
    _match(on_commit, users.aww, family.sita, "obama_2.jpg")

    events = set(AuditEvent.objects.values_list("action", "object_type"))
    assert {("create", "thr_frs.faceenrolment"), ("create", "thr_frs.facecheck"), ("update", "thr_frs.facecheck"),
            ("create", "thr_frs.thrdistribution")} <= events


def test_tolerance_is_a_setting(family, users, stock, enrol, on_commit, settings):
    enrol(family.sita, "obama_1.jpg")
    settings.FRS_TOLERANCE = 0.2  # stricter than any genuine pair in the samples (0.35-0.40)

    check = _match(on_commit, users.aww, family.sita, "obama_2.jpg")

    assert (check.tolerance, check.matched) == (0.2, False)


# --- every check ends, whatever goes wrong --------------------------------------------------------


@pytest.mark.parametrize("fault", [SoftTimeLimitExceeded, MemoryError, RuntimeError])
def test_a_check_ends_when_the_matcher_breaks(fault, family, users, stock, enrol, on_commit, monkeypatch,
                                              no_photos_left):
    # A time limit, running out of memory or a dlib error inside the encoder must not leave the
    # check pending for ever with the photo already gone.
    enrol(family.sita, "obama_1.jpg")

    def broken(photo, **kwargs):
        raise fault("the encoder broke")

    monkeypatch.setattr(faces, "encode_face", broken)
    check = _match(on_commit, users.aww, family.sita, "obama_2.jpg")

    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.UNAVAILABLE)
    assert check.finished_at is not None and not ThrDistribution.objects.exists()
    no_photos_left()


def test_the_sweeper_ends_a_check_nobody_ran(family, users, stock, enrol, django_capture_on_commit_callbacks):
    enrol(family.sita, "obama_1.jpg")
    with django_capture_on_commit_callbacks(execute=False):  # the task was lost: the worker died
        check = face_match_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    young = face_match_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    FaceCheck.objects.filter(pk=check.pk).update(
        created_at=timezone.now() - timedelta(seconds=face_check_deadline_seconds() + 1))

    assert face_checks_expire_stale() == 1

    check.refresh_from_db()
    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.EXPIRED)
    assert AuditEvent.objects.filter(object_id=str(check.pk), action=AuditEvent.Action.UPDATE).exists()
    young.refresh_from_db()
    assert young.status != FaceCheck.Status.FAILED or young.error != FaceCheck.Error.EXPIRED
    assert face_checks_expire_stale() == 0  # safe to run again


def test_a_stored_tolerance_of_zero_is_kept(family, users, stock, enrol, django_capture_on_commit_callbacks):
    enrol(family.sita, "obama_1.jpg")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check = face_match_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    FaceCheck.objects.filter(pk=check.pk).update(tolerance=0.0)
    for callback in callbacks:
        callback()

    check.refresh_from_db()
    assert (check.tolerance, check.matched) == (0.0, False)
    assert not ThrDistribution.objects.exists()


def test_the_tolerance_is_the_one_setting(family, users, stock, enrol, on_commit, settings):
    enrol(family.sita, "obama_1.jpg")
    settings.FRS_TOLERANCE = 0.2  # stricter than the same person's distance (0.35-0.40)

    check = _match(on_commit, users.aww, family.sita, "obama_2.jpg")

    assert (check.tolerance, check.matched) == (0.2, False)
