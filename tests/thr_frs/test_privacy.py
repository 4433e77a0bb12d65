"""Face privacy: no image on disk or in the photo store after a match; erasure on withdrawal and on exit."""
from __future__ import annotations

import tempfile
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.services import beneficiary_exit, consent_withdraw
from poshan.core.models import AuditEvent
from thr_frs import photostore
from thr_frs.models import FaceEnrolment, ThrDistribution
from thr_frs.services import face_consent_withdraw, face_match_request, faces_erase_unconsented
from thr_frs.uploads import MemoryOnlyUploadHandler

from .conftest import photo, twelve_megapixel_photo

DJANGO_SPOOL_THRESHOLD = 2_621_440  # FILE_UPLOAD_MAX_MEMORY_SIZE default: larger uploads go to a temp file


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """tempfile.gettempdir() → an empty directory of this test's own (other processes share /tmp)."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    assert tempfile.gettempdir() == str(directory)
    return directory


@pytest.fixture
def no_spooling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)


def test_a_12_megapixel_match_leaves_nothing_on_disk_or_in_the_store(
        family, users, stock, enrol, login, private_tmp, no_spooling, django_capture_on_commit_callbacks):
    enrol(family.sita, "obama_1.jpg")
    big = twelve_megapixel_photo("obama_2.jpg")
    assert len(big) > DJANGO_SPOOL_THRESHOLD  # Django would write this one to a temp file by default

    with django_capture_on_commit_callbacks(execute=True):
        response = login(users.aww).post(reverse("thr_frs:match", args=[family.sita.pk]), {
            "photo": SimpleUploadedFile("big.jpg", big, content_type="image/jpeg"), "quantity": 4,
            "turned_photo": SimpleUploadedFile("turned.jpg", photo("obama_1.jpg"), content_type="image/jpeg"),
            "client_uuid": str(uuid.uuid4())})

    assert response.status_code == 302
    assert ThrDistribution.objects.get().verified_by == "face"
    assert list(private_tmp.iterdir()) == []
    assert photostore.waiting_keys() == []


def test_the_face_endpoint_uses_the_memory_only_upload_handler(family, users, login, monkeypatch):
    seen = []
    original = MemoryOnlyUploadHandler.file_complete

    def spy(self, file_size):
        seen.append(type(self))
        return original(self, file_size)

    monkeypatch.setattr(MemoryOnlyUploadHandler, "file_complete", spy)
    login(users.aww).post(reverse("thr_frs:enrol", args=[family.sita.pk]),
                          {"photo": SimpleUploadedFile("a.jpg", photo("obama_1.jpg"), content_type="image/jpeg"),
                           "client_uuid": str(uuid.uuid4())})

    assert seen == [MemoryOnlyUploadHandler]


def test_photo_in_the_store_is_encrypted_and_read_only_once():
    key = photostore.put(b"\xff\xd8 a photo")

    assert photostore.take(key) == b"\xff\xd8 a photo"
    assert photostore.take(key) is None
    assert photostore.waiting_keys() == []


def test_photo_never_reaches_the_database_or_the_audit_log(family, users, stock, enrol, on_commit):
    enrol(family.sita, "obama_1.jpg")
    on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))

    fields = {field for row in AuditEvent.objects.values_list("fields", flat=True) for field in row}
    assert "photo" not in fields
    assert FaceEnrolment.objects.get().encoding.__len__() == 128 * 8  # only the encoding is kept


def test_withdrawal_of_face_consent_erases_the_face(family, users, enrol):
    enrol(family.sita, "obama_1.jpg")

    face_consent_withdraw(actor=users.aww, person=family.sita)

    assert not FaceEnrolment.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="thr_frs.faceenrolment").exists()


def test_nightly_sweep_erases_faces_of_people_who_left(family, users, enrol):
    enrol(family.sita, "obama_1.jpg")
    beneficiary_exit(actor=users.aww, beneficiary=family.sita, reason="moved_away")

    assert faces_erase_unconsented() == 1
    assert not FaceEnrolment.objects.exists()


def test_nightly_sweep_erases_faces_whose_consent_was_withdrawn_elsewhere(family, users, enrol):
    enrol(family.sita, "obama_1.jpg")
    consent_withdraw(actor=users.aww, beneficiary=family.sita, purposes=("face",))

    assert faces_erase_unconsented() == 1
    assert not FaceEnrolment.objects.exists()


def test_nightly_sweep_keeps_faces_with_consent(family, users, enrol):
    enrol(family.sita, "obama_1.jpg")

    assert faces_erase_unconsented() == 0
    assert FaceEnrolment.objects.count() == 1


def test_a_face_without_consent_is_never_used_even_before_the_sweep(family, users, stock, enrol):
    enrol(family.sita, "obama_1.jpg")
    consent_withdraw(actor=users.aww, beneficiary=family.sita, purposes=("face",))

    with pytest.raises(ValidationError, match="no consent"):
        face_match_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))


def test_photo_store_down_fails_the_check_visibly(family, users, stock, enrol, on_commit, monkeypatch):
    enrol(family.sita, "obama_1.jpg")

    def down(_photo):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(photostore, "put", down)
    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))

    check.refresh_from_db()
    assert (check.status, check.error) == ("failed", "unavailable")
