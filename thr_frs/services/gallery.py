"""A person's enrolled face as a small gallery: 2-3 photos at enrolment, matched against the nearest.

The encodings sit one after the other in FaceEnrolment.encoding (encrypted); FaceEnrolment.photos counts them.
An enrolment made of one photo before galleries existed is a gallery of one. bench/face_calibration.py measured
why: on degraded probes the nearest of 2-3 enrolled photos accepted 88 % at 0.5 where one photo accepted 78 %.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.lifestage import birthday
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from ..models import FaceCheck, FaceEnrolment

ENCODING_DTYPE = "<f8"
ENCODING_SIZE = 128
# Photos taken at enrolment (the first makes the enrolment, each next one must match it).
ENROL_PHOTOS = 3
# Never more than this many templates (later photos, refreshes or near misses confirmed by a one-time code,
# replace the oldest).
MAX_PHOTOS = 5
# A young person's face changes: a new photo at least yearly and at the third birthday (0-3 to 3-6), asked for
# this many days ahead on the THR page; an adult's (18+) is not refreshed.
REFRESH_EVERY_DAYS = 365
REFRESH_NOTICE_DAYS = 30
ADULT_YEARS = 18
# A match that missed the tolerance by at most this much is a near miss: if a one-time code or the supervisor then
# confirms the person, its encoding joins the gallery.
NEAR_MISS = 0.10


def encoding_to_bytes(encoding) -> bytes:
    return np.asarray(encoding, dtype=ENCODING_DTYPE).tobytes()


def gallery_from_bytes(data: bytes) -> np.ndarray:
    """The gallery's encodings, one per row."""
    return np.frombuffer(data, dtype=ENCODING_DTYPE).reshape(-1, ENCODING_SIZE)


def gallery_of(enrolment: FaceEnrolment) -> np.ndarray:
    return gallery_from_bytes(bytes(enrolment.encoding))


def nearest_distance(enrolment: FaceEnrolment, encoding) -> float:
    from .. import faces

    return faces.nearest_distance(gallery_of(enrolment), encoding)


def refresh_due_on(dob: date, last_photo_on: date) -> date | None:
    """When a young person's enrolled face needs a new photo: a year after the newest photo, or the third
    birthday if that comes first (0-3 to 3-6); None for a face that will be an adult's by then."""
    due = last_photo_on + timedelta(days=REFRESH_EVERY_DAYS)
    third = birthday(dob, 3)
    if last_photo_on < third < due:
        due = third
    if due >= birthday(dob, ADULT_YEARS):
        return None
    return due


def last_photo_on(enrolment: FaceEnrolment) -> date:
    return timezone.localdate(enrolment.refreshed_at or enrolment.enrolled_at)


def refresh_due(enrolment: FaceEnrolment | None, person, on: date) -> date | None:
    """The due date of a new photo if it is due within REFRESH_NOTICE_DAYS of `on` (or overdue), else None."""
    if enrolment is None or person.dob is None:
        return None
    due = refresh_due_on(person.dob, last_photo_on(enrolment))
    if due is None or on < due - timedelta(days=REFRESH_NOTICE_DAYS):
        return None
    return due


def can_take_enrolment_photo(enrolment: FaceEnrolment | None, person=None, on: date | None = None) -> bool:
    """True while the enrolment has fewer than ENROL_PHOTOS photos (or does not exist yet), or a refresh is due."""
    if enrolment is None or enrolment.photos < ENROL_PHOTOS:
        return True
    return person is not None and refresh_due(enrolment, person, on or timezone.localdate()) is not None


def gallery_append(enrolment: FaceEnrolment, encoding, *, keep_first: int = 1) -> list[str]:
    """Add one encoding; past MAX_PHOTOS the oldest after the first `keep_first` is dropped. Returns the
    fields to save."""
    enrolment.refreshed_at = timezone.now()
    rows = list(gallery_of(enrolment))
    rows.append(np.asarray(encoding, dtype=np.float64))
    while len(rows) > MAX_PHOTOS:
        del rows[keep_first]
    enrolment.encoding = encoding_to_bytes(np.vstack(rows))
    enrolment.photos = len(rows)
    return ["encoding", "photos", "refreshed_at"]


def near_miss_keep(check, encoding) -> list[str]:
    """On a match that missed by at most NEAR_MISS (not a nominee's): keep the encoding, encrypted, on the check
    until a one-time code confirms the person this month. Returns the fields to save."""
    if check.matched or check.via_nominee or check.distance is None or check.tolerance is None:
        return []
    if check.distance > check.tolerance + NEAR_MISS:
        return []
    check.candidate = encoding_to_bytes(encoding)
    return ["candidate"]


def near_miss_confirm(*, actor, beneficiary, month: date) -> FaceEnrolment | None:
    """A one-time code confirmed the family this month: the month's nearest near miss joins the face owner's
    gallery (the oldest template goes past MAX_PHOTOS), audited. An override never calls this."""
    from poshan.core.audit import audit_record
    from poshan.core.models import AuditEvent

    from ..models import FaceCheck

    kept = FaceCheck.objects.filter(beneficiary=beneficiary, month=month, candidate__isnull=False)
    check = kept.order_by("distance").first()
    if check is None:
        return None
    enrolment = FaceEnrolment.objects.select_for_update().filter(person_id=check.person_id).first()
    if enrolment is not None:
        encoding = gallery_from_bytes(bytes(check.candidate))[0]
        enrolment.save(update_fields=gallery_append(enrolment, encoding, keep_first=0))
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=enrolment, awc_id=check.awc_id,
                     fields=["encoding", "photos", "near_miss_confirmed_by_otp"])
    kept.update(candidate=None)
    return enrolment


@transaction.atomic
def near_miss_supervisor_confirm(*, actor, check) -> FaceEnrolment:
    """The supervisor confirms that a near miss (kept this month, not a nominee's) was the enrolled person: its
    encoding joins the gallery (the oldest template goes past MAX_PHOTOS), audited, and the month's other kept
    near misses of the beneficiary are dropped. The caller fetched `check` from the supervisor's scope; an
    override's approval never calls this."""
    check = FaceCheck.objects.select_for_update().filter(pk=check.pk, candidate__isnull=False,
                                                         via_nominee=False, matched=False).first()
    enrolment = check and FaceEnrolment.objects.select_for_update().filter(person_id=check.person_id).first()
    if enrolment is None:
        raise ValidationError(_("This face check can no longer add a photo to the face."))
    enrolment.save(update_fields=gallery_append(enrolment, gallery_from_bytes(bytes(check.candidate))[0],
                                                keep_first=0))
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=enrolment, awc_id=check.awc_id,
                 fields=["encoding", "photos", "near_miss_confirmed_by_supervisor"])
    FaceCheck.objects.filter(beneficiary_id=check.beneficiary_id, month=check.month,
                             candidate__isnull=False).update(candidate=None)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=check, awc_id=check.awc_id, fields=["candidate"])
    return enrolment


def near_misses_forget(*, before: date | None = None, person=None) -> int:
    """Drop kept near-miss encodings: of months before `before` (nightly), or of one person (consent withdrawn)."""
    from ..models import FaceCheck

    kept = FaceCheck.objects.filter(candidate__isnull=False)
    if before is not None:
        kept = kept.filter(month__lt=before)
    if person is not None:
        kept = kept.filter(person=person)
    return kept.update(candidate=None)
