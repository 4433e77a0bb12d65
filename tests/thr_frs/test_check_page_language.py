"""The face check's messages are read in the worker's language (they were once frozen in English at import)."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from thr_frs.models import FaceCheck


@pytest.mark.django_db
def test_a_failed_face_check_is_told_in_the_workers_language(family, users, login):
    check = FaceCheck.objects.create(awc=family.sita.awc, beneficiary=family.sita, person=family.sita,
                                     purpose="enrol", requested_by=users.aww, status="failed",
                                     error=FaceCheck.Error.NOT_SAME_FACE)
    client = login(users.aww)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    page = client.get(reverse("thr_frs:check", args=[check.pk])).content.decode()
    assert "यह फ़ोटो पहले से नामांकित चेहरे जैसी नहीं दिखती" in page
    assert "does not look like the face already enrolled" not in page
