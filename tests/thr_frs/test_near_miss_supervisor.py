"""A near miss confirmed by the supervisor joins the face's gallery: on her page, in her sector only, with the box
ticked, audited, never past the cap. Real photos, eager task."""
from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from poshan.core.models import AuditEvent
from thr_frs.models import FaceCheck, FaceEnrolment
from thr_frs.services import face_enrol_request, face_match_request
from thr_frs.services.gallery import MAX_PHOTOS, NEAR_MISS, encoding_to_bytes, gallery_of

from .conftest import photo


@pytest.fixture
def near_miss(family, users, stock, on_commit, settings):
    """Sita enrolled from obama_1; obama_2 (0.36 away) checked at a tolerance of 0.30: a near miss, kept."""
    on_commit(face_enrol_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_1.jpg"))
    settings.FRS_TOLERANCE = 0.30
    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    check.refresh_from_db()
    assert check.matched is False and check.distance <= check.tolerance + NEAR_MISS and check.candidate
    return check


def _confirm(client, check, **data):
    return client.post(reverse("thr_frs:near_miss_confirm", args=[check.pk]), data)


def test_the_supervisor_sees_the_near_miss_and_confirms_it(near_miss, family, users, login):
    supervisor = login(users.supervisor)
    page = supervisor.get(reverse("thr_frs:supervision")).content.decode()
    assert reverse("thr_frs:near_miss_confirm", args=[near_miss.pk]) in page

    response = _confirm(supervisor, near_miss, confirm="on")

    assert response.status_code == 302
    enrolment = FaceEnrolment.objects.get(person=family.sita)
    assert enrolment.photos == 2 and gallery_of(enrolment).shape == (2, 128)
    near_miss.refresh_from_db()
    assert near_miss.candidate is None
    event = AuditEvent.objects.filter(object_type="thr_frs.faceenrolment", action=AuditEvent.Action.UPDATE).get()
    assert "near_miss_confirmed_by_supervisor" in event.fields and event.actor == users.supervisor
    assert reverse("thr_frs:near_miss_confirm", args=[near_miss.pk]) not in supervisor.get(
        reverse("thr_frs:supervision")).content.decode()


def test_without_the_box_ticked_nothing_is_added(near_miss, family, users, login):
    response = _confirm(login(users.supervisor), near_miss)

    assert response.status_code == 302
    assert FaceEnrolment.objects.get(person=family.sita).photos == 1
    near_miss.refresh_from_db()
    assert near_miss.candidate is not None


def test_another_sectors_supervisor_and_the_worker_cannot_confirm(near_miss, family, users, login, make_user, world):
    other = make_user("supervisor", world.sector2)

    assert _confirm(login(other), near_miss, confirm="on").status_code == 404
    assert _confirm(login(users.aww), near_miss, confirm="on").status_code == 403
    assert FaceEnrolment.objects.get(person=family.sita).photos == 1


def test_a_full_gallery_stays_at_the_cap(near_miss, family, users, login):
    enrolment = FaceEnrolment.objects.get(person=family.sita)
    full = np.vstack([gallery_of(enrolment)] * MAX_PHOTOS)
    FaceEnrolment.objects.filter(pk=enrolment.pk).update(encoding=encoding_to_bytes(full), photos=MAX_PHOTOS)

    _confirm(login(users.supervisor), near_miss, confirm="on")

    enrolment.refresh_from_db()
    assert enrolment.photos == MAX_PHOTOS and gallery_of(enrolment).shape == (MAX_PHOTOS, 128)
    assert not FaceCheck.objects.filter(candidate__isnull=False).exists()
