"""A face check's work in the `frs` worker: take the photo, encode the one face, enrol it or match it, record
the outcome (and, on a match, the hand-over); and the sweeper that ends checks nobody will finish.

`face_check_run` (the Celery task, queue "frs") is declared here, beside the work it runs and below the request
(face_checks.py) that queues it, so the request never imports tasks.py and tasks.py never imports the request.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import numpy as np
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from .. import photostore
from ..models import FaceCheck, FaceEnrolment, Verification
from . import gallery
from .distribution import thr_distribute

logger = logging.getLogger(__name__)
ENCODING_DTYPE = "<f8"


def tolerance() -> float:
    """The one face-match tolerance: settings.FRS_TOLERANCE (base.py says how it was measured)."""
    return float(settings.FRS_TOLERANCE)


def face_check_deadline_seconds() -> int:
    """A check still pending after this can no longer end by itself: its photo has expired from the
    store and any task that took it has passed its hard time limit."""
    limits = settings.CELERY_TASK_ANNOTATIONS.get("thr_frs.face_check_run", {})
    return photostore.ttl_seconds() + int(limits.get("time_limit", settings.CELERY_TASK_TIME_LIMIT))


def encoding_to_bytes(encoding) -> bytes:
    return np.asarray(encoding, dtype=ENCODING_DTYPE).tobytes()


def encoding_from_bytes(data: bytes):
    return np.frombuffer(data, dtype=ENCODING_DTYPE)


def _error_code(exc: Exception) -> str:
    from .. import faces

    if isinstance(exc, faces.NoFaceFound):
        return FaceCheck.Error.NO_FACE
    if isinstance(exc, faces.MultipleFacesFound):
        return FaceCheck.Error.MANY_FACES
    return FaceCheck.Error.UNREADABLE


def _finish(check: FaceCheck) -> list[str]:
    check.finished_at = timezone.now()
    check.duration_ms = max(int((check.finished_at - check.created_at).total_seconds() * 1000), 0)
    return ["status", "error", "finished_at", "duration_ms"]


@transaction.atomic
def _finish_failed(check: FaceCheck, code: str) -> bool:
    updated = FaceCheck.objects.filter(pk=check.pk, status=FaceCheck.Status.PENDING)
    check.status, check.error = FaceCheck.Status.FAILED, code
    names = _finish(check)
    if not updated.update(**{name: getattr(check, name) for name in names}):
        return False
    audit_record(actor=check.requested_by, action=AuditEvent.Action.UPDATE, obj=check, awc_id=check.awc_id,
                 fields=["status", "error"])
    return True


def face_check_process(*, check_id: int, photo_key: str, turned_key: str | None = None) -> None:
    """The worker's job. Safe to run twice: only a pending check is touched, and the photo is read once.

    With `turned_key` (the frame taken after the person turned the head), the pair must pass the head-turn
    check (thr_frs/liveness.py) before the first frame is matched: a still photo is refused as NOT_TURNED."""
    from .. import faces, liveness

    photo = photostore.take(photo_key)
    turned = photostore.take(turned_key) if turned_key else None
    check = FaceCheck.objects.select_related("requested_by").filter(pk=check_id).first()
    if check is None or check.status != FaceCheck.Status.PENDING:
        return
    if photo is None or (turned_key and turned is None):
        _finish_failed(check, FaceCheck.Error.EXPIRED)
        return
    try:
        if turned is not None:
            verdict = liveness.head_turn(photo, turned, tolerance=tolerance())
            if not verdict.live:
                _finish_failed(check, FaceCheck.Error.NOT_TURNED)
                return
            encoding = verdict.encoding  # the first frame, already read by the head-turn check
        else:
            encoding = faces.encode_face(photo)
    except faces.FaceError as exc:
        _finish_failed(check, _error_code(exc))
        return
    except Exception:  # a time limit, MemoryError, a dlib error: the check still ends, visibly
        logger.exception("face check %s could not be encoded", check_id)
        _finish_failed(check, FaceCheck.Error.UNAVAILABLE)
        return
    finally:
        photo = turned = None  # the only references: the bytes are freed here
    try:
        with transaction.atomic():
            check = FaceCheck.objects.select_for_update().select_related("requested_by", "beneficiary__awc").get(
                pk=check_id)
            if check.status != FaceCheck.Status.PENDING:
                return
            if check.purpose == FaceCheck.Purpose.ENROL:
                _complete_enrolment(check, encoding)
            else:
                _complete_match(check, encoding)
    except Exception:
        logger.exception("face check %s could not be completed", check_id)
        _finish_failed(check, FaceCheck.Error.UNAVAILABLE)


def face_checks_expire_stale(*, now=None) -> int:
    """End every check that is still pending past its deadline (the task was lost or killed).

    Run every minute by beat; safe to run twice (only pending checks are touched). Returns how many ended.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=face_check_deadline_seconds())
    ended = 0
    stale = FaceCheck.objects.filter(status=FaceCheck.Status.PENDING, created_at__lt=cutoff)
    for check in stale.select_related("requested_by").iterator():
        if _finish_failed(check, FaceCheck.Error.EXPIRED):
            ended += 1
    return ended


def _complete_enrolment(check: FaceCheck, encoding) -> None:
    """The first photo makes the enrolment; each next one (up to gallery.ENROL_PHOTOS) joins its gallery only
    if it matches the face already enrolled (its distance is kept on the check)."""
    from .. import faces

    enrolment = FaceEnrolment.objects.select_for_update().filter(person_id=check.person_id).first()
    if enrolment is None:
        enrolment = FaceEnrolment.objects.create(person_id=check.person_id, awc_id=check.awc_id, photos=1,
                                                 encoding=encoding_to_bytes(encoding), enrolled_by=check.requested_by)
        action, fields = AuditEvent.Action.CREATE, ["encoding", "photos"]
    elif not gallery.can_take_enrolment_photo(enrolment, check.person, timezone.localdate(check.created_at)):
        _finish_failed(check, FaceCheck.Error.ALREADY_ENROLLED)
        return
    else:
        check.tolerance = tolerance() if check.tolerance is None else check.tolerance
        check.distance = gallery.nearest_distance(enrolment, encoding)
        if not faces.is_match(check.distance, check.tolerance):
            check.save(update_fields=["distance", "tolerance"])
            _finish_failed(check, FaceCheck.Error.NOT_SAME_FACE)
            return
        refresh = enrolment.photos >= gallery.ENROL_PHOTOS  # a young face's new photo: the oldest may go
        enrolment.save(update_fields=gallery.gallery_append(enrolment, encoding, keep_first=0 if refresh else 1))
        action, fields = AuditEvent.Action.UPDATE, ["encoding", "photos"]
    check.status = FaceCheck.Status.DONE
    check.save(update_fields=[*_finish(check), "distance", "tolerance"])
    audit_record(actor=check.requested_by, action=action, obj=enrolment, awc_id=check.awc_id, fields=fields)
    audit_record(actor=check.requested_by, action=AuditEvent.Action.UPDATE, obj=check, awc_id=check.awc_id,
                 fields=["status"])


def _complete_match(check: FaceCheck, encoding) -> None:
    from .. import faces

    enrolment = FaceEnrolment.objects.filter(person_id=check.person_id).first()
    if enrolment is None:  # erased while the photo was on its way
        _finish_failed(check, FaceCheck.Error.NOT_ENROLLED)
        return
    check.distance = gallery.nearest_distance(enrolment, encoding)  # the nearest of the enrolled photos
    if check.tolerance is None:  # a stored 0.0 is a tolerance, not "unset"
        check.tolerance = tolerance()
    check.matched = faces.is_match(check.distance, check.tolerance)
    check.status = FaceCheck.Status.DONE
    check.save(update_fields=[*_finish(check), "distance", "matched", "tolerance",
                              *gallery.near_miss_keep(check, encoding)])
    if check.matched:
        try:
            thr_distribute(
                actor=check.requested_by, beneficiary=check.beneficiary, quantity=check.quantity,
                verified_by=Verification.NOMINEE if check.via_nominee else Verification.FACE,
                on=timezone.localdate(check.created_at), face_check=check,
                nominee=check.person if check.via_nominee else None, client_uuid=check.client_uuid,
            )
        except ValidationError as exc:
            check.distribution_error = " ".join(exc.messages)[:300]
            check.save(update_fields=["distribution_error"])
    audit_record(actor=check.requested_by, action=AuditEvent.Action.UPDATE, obj=check, awc_id=check.awc_id,
                 fields=["status", "distance", "matched"])


@shared_task(name="thr_frs.face_check_run", ignore_result=True)
def face_check_run(check_id: int, photo_key: str, turned_key: str | None = None) -> None:
    """Encode the photo waiting under `photo_key` and enrol or match it (after the head-turn check when a second
    frame waits under `turned_key`). Returns nothing (no result stored)."""
    face_check_process(check_id=check_id, photo_key=photo_key, turned_key=turned_key)
