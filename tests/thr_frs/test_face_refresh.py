"""A young person's face changes: a new photo is due yearly and at the third birthday, and a near miss
confirmed by a one-time code joins the gallery (never after an override alone). Real photos, eager task."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary
from poshan.core import sms
from poshan.core.models import AuditEvent
from thr_frs.models import FaceCheck, FaceEnrolment
from thr_frs.services import (face_enrol_request, face_match_request, otp_send, otp_verify, override_decide,
                              override_request)
from thr_frs.services.gallery import (NEAR_MISS, REFRESH_NOTICE_DAYS, gallery_of, near_misses_forget,
                                      refresh_due_on)

from .conftest import photo


@pytest.mark.parametrize(("dob", "last", "due"), [
    (date(2010, 6, 1), date(2025, 1, 10), date(2026, 1, 10)),   # 14-year-old: a year after the newest photo
    (date(2023, 3, 5), date(2025, 9, 1), date(2026, 3, 5)),     # 2-year-old: the third birthday comes first
    (date(2008, 2, 1), date(2025, 6, 1), None),                 # 18 before a year is over: an adult's face
    (date(1990, 1, 1), date(2025, 6, 1), None),
])
def test_when_a_new_photo_is_due(dob, last, due):
    assert refresh_due_on(dob, last) == due


def _young(person: Beneficiary, years: int) -> Beneficiary:
    Beneficiary.objects.filter(pk=person.pk).update(dob=timezone.localdate() - timedelta(days=365 * years + 30))
    person.refresh_from_db()
    return person


def _enrol(on_commit, users, person, name):
    check = on_commit(face_enrol_request, actor=users.aww, beneficiary=person, photo=photo(name))
    check.refresh_from_db()
    return check


def test_a_young_face_is_asked_for_in_advance_and_the_new_photo_joins_the_gallery(family, users, login, on_commit):
    sita = _young(family.sita, 16)
    for name in ("obama_1.jpg", "obama_2.jpg", "obama_small.jpg"):
        _enrol(on_commit, users, sita, name)
    aww = login(users.aww)
    page = aww.get(reverse("thr_frs:handover", args=[sita.pk])).content.decode()
    assert "take a new photo of the face" not in page

    almost_a_year = timezone.now() - timedelta(days=365 - REFRESH_NOTICE_DAYS + 2)
    FaceEnrolment.objects.filter(person=sita).update(enrolled_at=almost_a_year, refreshed_at=almost_a_year)
    page = aww.get(reverse("thr_frs:handover", args=[sita.pk])).content.decode()
    assert "A young person's face changes: take a new photo of the face of Sita by" in page

    check = _enrol(on_commit, users, sita, "obama_2.jpg")

    assert check.status == FaceCheck.Status.DONE and check.distance <= check.tolerance
    enrolment = FaceEnrolment.objects.get(person=sita)
    assert enrolment.photos == 4 and timezone.now() - enrolment.refreshed_at < timedelta(minutes=1)
    page = aww.get(reverse("thr_frs:handover", args=[sita.pk])).content.decode()
    assert "A young person" not in page


def test_an_adults_full_gallery_takes_no_new_photo(family, users, on_commit):
    from django.core.exceptions import ValidationError

    for name in ("obama_1.jpg", "obama_2.jpg", "obama_small.jpg"):
        _enrol(on_commit, users, family.sita, name)
    long_ago = timezone.now() - timedelta(days=800)
    FaceEnrolment.objects.filter(person=family.sita).update(enrolled_at=long_ago, refreshed_at=long_ago)
    with pytest.raises(ValidationError, match="already enrolled"):
        face_enrol_request(actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))


@pytest.fixture
def near_miss(family, users, stock, on_commit, settings):
    """Sita enrolled from obama_1; obama_2 (0.36 away) checked at a tolerance of 0.30: a near miss."""
    _enrol(on_commit, users, family.sita, "obama_1.jpg")
    settings.FRS_TOLERANCE = 0.30
    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    check.refresh_from_db()
    assert check.matched is False and check.distance <= check.tolerance + NEAR_MISS
    return check


def _code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def test_a_near_miss_confirmed_by_a_one_time_code_joins_the_gallery(near_miss, family, users, on_commit):
    assert near_miss.candidate is not None  # kept, encrypted, until a code confirms the family
    challenge = on_commit(otp_send, actor=users.aww, beneficiary=family.sita)

    otp_verify(actor=users.aww, challenge=challenge, code=_code())

    enrolment = FaceEnrolment.objects.get(person=family.sita)
    assert enrolment.photos == 2 and gallery_of(enrolment).shape == (2, 128)
    near_miss.refresh_from_db()
    assert near_miss.candidate is None
    event = AuditEvent.objects.filter(object_type="thr_frs.faceenrolment", action=AuditEvent.Action.UPDATE).get()
    assert "near_miss_confirmed_by_otp" in event.fields and event.actor == users.aww


def test_an_override_alone_never_adds_to_the_gallery(near_miss, family, users):
    request = override_request(actor=users.aww, beneficiary=family.sita, reason="Face does not match after surgery")
    override_decide(actor=users.supervisor, override=request, approve=True)

    assert FaceEnrolment.objects.get(person=family.sita).photos == 1
    assert near_misses_forget(before=timezone.localdate().replace(day=1) + timedelta(days=40)) == 1  # month over


def test_a_far_miss_is_not_kept(family, users, stock, on_commit):
    _enrol(on_commit, users, family.sita, "obama_1.jpg")
    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("biden_1.jpg"))
    check.refresh_from_db()

    assert check.matched is False and check.candidate is None
