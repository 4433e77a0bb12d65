"""Enrol then match through the HTTP stack and a real Celery worker on Redis (queue `frs`), PostgreSQL behind."""
from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thr_frs import photostore
from thr_frs.models import FaceCheck, FaceEnrolment, ThrDistribution

from .conftest import photo, twelve_megapixel_photo

CHECK_TIMEOUT = 60
POLL_SECONDS = 0.1
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".upload")


def _image_like_files() -> set[Path]:
    root = Path(tempfile.gettempdir())
    return {p for p in root.iterdir() if p.is_file() and any(s in p.name.lower() for s in IMAGE_SUFFIXES)}


def _wait_for(check_id: int) -> FaceCheck:
    deadline = time.monotonic() + CHECK_TIMEOUT
    while time.monotonic() < deadline:
        check = FaceCheck.objects.get(pk=check_id)
        if check.status != FaceCheck.Status.PENDING:
            return check
        time.sleep(POLL_SECONDS)
    raise AssertionError("the face check did not finish within a minute")


def _post(client, url, data: bytes, **fields) -> FaceCheck:
    response = client.post(url, {"photo": SimpleUploadedFile("p.jpg", data, content_type="image/jpeg"),
                                 "client_uuid": str(uuid.uuid4()), **fields})
    assert response.status_code == 302, response.content.decode()[:500]
    return _wait_for(int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


@pytest.mark.worker
def test_enrol_then_match_on_a_real_worker_leaves_no_photo_behind(real_worker, family, stock, users, login):
    assert photostore._client() is not None  # photos go through Redis, not process memory
    files_before = _image_like_files()
    client = login(users.aww)

    enrolled = _post(client, reverse("thr_frs:enrol", args=[family.sita.pk]), photo("obama_1.jpg"))
    matched = _post(client, reverse("thr_frs:match", args=[family.sita.pk]), twelve_megapixel_photo("obama_2.jpg"),
                    quantity=4, turned_photo=SimpleUploadedFile("t.jpg", photo("obama_1.jpg"),
                                                                content_type="image/jpeg"))  # the head turned

    assert enrolled.status == FaceCheck.Status.DONE and FaceEnrolment.objects.filter(person=family.sita).exists()
    assert matched.matched is True and matched.distance <= matched.tolerance
    assert ThrDistribution.objects.get(beneficiary=family.sita).verified_by == "face"
    page = client.get(reverse("thr_frs:check", args=[matched.pk])).content.decode()
    assert "4 packets handed over." in page
    assert photostore.waiting_keys() == []  # no key of the photo prefix is left in Redis
    assert _image_like_files() - files_before == set()  # and nothing image-like was written to the temp dir
