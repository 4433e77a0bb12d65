"""The worker's due list says ahead of time when a young enrolled face needs a new photo (asked through
beneficiaries.signals, answered by thr_frs); an adult's face or one not yet due is not listed."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries import schedules
from beneficiaries.selectors import due_list
from thr_frs.models import FaceEnrolment
from thr_frs.services.gallery import REFRESH_EVERY_DAYS, REFRESH_NOTICE_DAYS, encoding_to_bytes

from .conftest import register


def _enrolled(person, users, days_ago: int) -> FaceEnrolment:
    return FaceEnrolment.objects.create(person=person, awc=person.awc, encoding=encoding_to_bytes(np.zeros(128)),
                                        enrolled_by=users.aww, enrolled_at=timezone.now() - timedelta(days=days_ago))


def test_a_young_face_due_within_the_notice_is_on_the_due_list(family, users, login):
    today = timezone.localdate()
    girl = register(users.aww, family.household, "Radha", dob=today - timedelta(days=14 * 365))
    soon = REFRESH_EVERY_DAYS - REFRESH_NOTICE_DAYS + 5  # due in 25 days
    _enrolled(girl, users, soon)
    _enrolled(family.ram, users, soon)  # an adult's face is never refreshed
    later = register(users.aww, family.household, "Gopal", sex="M", dob=today - timedelta(days=12 * 365))
    _enrolled(later, users, 30)  # a new photo not due for eleven months

    listed = [row for row in due_list(user=users.aww).today if row.item.kind == schedules.FACE_REFRESH]

    assert [(row.beneficiary.pk, row.item.due_on) for row in listed] == [
        (girl.pk, timezone.localdate(timezone.now() - timedelta(days=soon)) + timedelta(days=REFRESH_EVERY_DAYS))]
    with translation.override("en"):
        page = login(users.aww).get(reverse("beneficiaries:due")).content.decode()
    assert "New photo of the face for the ration (a young face changes)" in page and "Radha" in page
