"""The due list's question to the take-home ration: whose enrolled face needs a new photo soon.

Answers beneficiaries.signals.face_refresh_asked (connected in thr_frs/apps.py), so beneficiaries never imports
thr_frs: {person id: due date} for the people among the ids asked whose own enrolled face is a young one due a
new photo within gallery.REFRESH_NOTICE_DAYS (at the third birthday, and a year after the newest photo). One
query.
"""
from __future__ import annotations

from datetime import date

from ..models import FaceEnrolment, ThrDistribution
from ..services.gallery import refresh_due


def face_refreshes_due(*, beneficiary_ids, on: date, **_signal) -> dict[int, date]:
    enrolments = FaceEnrolment.objects.filter(person_id__in=list(beneficiary_ids)).select_related("person")
    found = {}
    for enrolment in enrolments.only("person_id", "enrolled_at", "refreshed_at", "person__dob"):
        due = refresh_due(enrolment, enrolment.person, on)
        if due is not None:
            found[enrolment.person_id] = due
    return found


def thr_received(*, beneficiary_ids, on: date, **_signal) -> set[int]:
    """Answers beneficiaries.signals.thr_received_asked: who among the ids had this month's ration (one query)."""
    return set(ThrDistribution.objects.filter(beneficiary_id__in=list(beneficiary_ids),
                                              month=on.replace(day=1)).values_list("beneficiary_id", flat=True))
