"""Face enrolment and 1:1 matching: the request (in the web process) and the work (in the `frs` worker).

The request validates, records a pending FaceCheck and, once the transaction commits,
puts the photo (encrypted) in the photo store and queues `thr_frs.face_check_run` with
the check id and the store key only. The worker takes the photo (which deletes it),
encodes the single face, and either enrols the encoding or compares it with the enrolled
one, records distance and decision and, on a match, the hand-over. Nothing returns the
photo or the encoding to Celery's result backend.
"""
from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from functools import partial

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary, Consent
from beneficiaries.services import ConsentInput, consent_record, has_consent
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent

from .. import photostore
from ..entitlement import first_of_month, needs_guardian_face
from ..models import FaceCheck, FaceEnrolment, FaceOwner, Nominee, Verification
from ..selectors import face_owner_of, household_adults
from .distribution import handover_precheck, thr_distribute, today

logger = logging.getLogger(__name__)
FACE = Consent.Purpose.FACE
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


# --- in the web process ---------------------------------------------------------------------------


def _require_usable_face(person: Beneficiary, *, must_be_enrolled: bool) -> None:
    if person.exited_on:
        raise ValidationError(_("%(name)s has left the programme; their face cannot be used.") % {"name": person.name})
    if not has_consent(person, FACE):
        raise ValidationError(_("There is no consent from %(name)s for the face check.") % {"name": person.name})
    enrolled = FaceEnrolment.objects.filter(person=person).exists()
    if must_be_enrolled and not enrolled:
        raise ValidationError(_("The face of %(name)s is not enrolled yet.") % {"name": person.name})
    if not must_be_enrolled and enrolled:
        raise ValidationError(_("The face of %(name)s is already enrolled. To enrol it again, erase it first.")
                              % {"name": person.name})


def _dispatch(check_id: int, photo: bytes) -> None:
    """After commit: store the photo for the worker and queue the check (or fail it visibly)."""
    from ..tasks import face_check_run

    key = None
    try:
        key = photostore.put(photo)
        face_check_run.delay(check_id, key)
    except Exception:  # Redis or the broker down, or (eager) a failure inside the task: never lose it silently
        logger.exception("face check %s could not be run", check_id)
        if key is not None:
            try:
                photostore.discard(key)
            except Exception:  # the TTL removes it anyway
                logger.warning("photo of face check %s left to expire", check_id)
        check = FaceCheck.objects.filter(pk=check_id, status=FaceCheck.Status.PENDING).first()
        if check is not None:
            _finish_failed(check, FaceCheck.Error.UNAVAILABLE)


@transaction.atomic
def face_owner_set(*, actor, beneficiary: Beneficiary, owner: Beneficiary, relation: str,
                   on: date | None = None) -> FaceOwner:
    """Name the parent or guardian whose face verifies a child's ration."""
    on = on or today()
    if not needs_guardian_face(beneficiary.dob, on):
        raise ValidationError(_("Only a child under 6 is verified with a guardian's face."))
    if owner.pk not in {p.pk for p in household_adults(beneficiary, on)}:
        raise ValidationError({"person": _("Choose an adult of the child's household.")})
    if relation not in FaceOwner.Relation.values:
        raise ValidationError({"relation": _("Choose the relation to the child.")})
    link, _created = FaceOwner.objects.update_or_create(
        beneficiary=beneficiary,
        defaults={"owner": owner, "relation": relation, "set_by": actor, "set_at": timezone.now()})
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=link, awc_id=beneficiary.awc_id,
                 fields=["owner", "relation"])
    return link


def _enrolment_subject(*, actor, beneficiary: Beneficiary, person: Beneficiary | None, relation: str,
                       as_nominee: bool, on: date) -> Beneficiary:
    """Whose face this enrolment is for: the person herself, a child's guardian, or (as_nominee) a nominee."""
    if as_nominee:
        if person is None or not Nominee.objects.filter(beneficiary=beneficiary, person=person).exists():
            raise ValidationError({"person": _("This person is not a nominee of %(name)s.")
                                   % {"name": beneficiary.name}})
        return person
    if not needs_guardian_face(beneficiary.dob, on):
        if person is not None and person.pk != beneficiary.pk:
            raise ValidationError({"person": _("Enrol the person's own face, or a nominee's.")})
        return beneficiary
    if person is None or person.pk == beneficiary.pk:
        raise ValidationError({"person": _("A child's ration is verified with the face of the mother, father or "
                                           "guardian: choose whose face to enrol.")})
    face_owner_set(actor=actor, beneficiary=beneficiary, owner=person, relation=relation, on=on)
    return person


@transaction.atomic
def face_enrol_request(*, actor, beneficiary: Beneficiary, photo: bytes, person: Beneficiary | None = None,
                       relation: str = "", as_nominee: bool = False, consent: ConsentInput | None = None,
                       client_uuid=None, on: date | None = None) -> FaceCheck:
    """Queue the enrolment of one face (once per person; consent recorded here if it was missing)."""
    on = on or today()

    def create() -> FaceCheck:
        subject = _enrolment_subject(actor=actor, beneficiary=beneficiary, person=person, relation=relation,
                                     as_nominee=as_nominee, on=on)
        if consent is not None:
            consent_record(actor=actor, beneficiary=subject, consent=consent)
        _require_usable_face(subject, must_be_enrolled=False)
        check = FaceCheck.objects.create(
            client_uuid=client_uuid or uuid.uuid4(), awc_id=beneficiary.awc_id, beneficiary=beneficiary,
            person=subject, purpose=FaceCheck.Purpose.ENROL, requested_by=actor, via_nominee=as_nominee,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=check, awc_id=beneficiary.awc_id,
                     fields=["purpose", "person"])
        transaction.on_commit(partial(_dispatch, check.pk, photo))
        return check

    check, _created = create_once(FaceCheck, client_uuid=client_uuid, scope={"beneficiary": beneficiary},
                                  create=create)
    return check


@transaction.atomic
def face_match_request(*, actor, beneficiary: Beneficiary, photo: bytes, quantity: int | None = None,
                       nominee: Beneficiary | None = None, client_uuid=None, on: date | None = None) -> FaceCheck:
    """Queue a 1:1 match of a live photo with the enrolled face; a match records the hand-over."""
    on = on or today()

    def create() -> FaceCheck:
        packets = handover_precheck(beneficiary, on=on, quantity=quantity)
        if nominee is not None:
            if not Nominee.objects.filter(beneficiary=beneficiary, person=nominee).exists():
                raise ValidationError({"nominee": _("This person is not a nominee of %(name)s.")
                                       % {"name": beneficiary.name}})
            subject = nominee
        else:
            subject, _relation = face_owner_of(beneficiary, on)
            if subject is None:
                raise ValidationError(_("Enrol the face of the child's mother, father or guardian first."))
        _require_usable_face(subject, must_be_enrolled=True)
        check = FaceCheck.objects.create(
            client_uuid=client_uuid or uuid.uuid4(), awc_id=beneficiary.awc_id, beneficiary=beneficiary,
            person=subject, purpose=FaceCheck.Purpose.MATCH, via_nominee=nominee is not None,
            month=first_of_month(on), quantity=packets, requested_by=actor, tolerance=tolerance(),
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=check, awc_id=beneficiary.awc_id,
                     fields=["purpose", "person", "quantity"])
        transaction.on_commit(partial(_dispatch, check.pk, photo))
        return check

    check, _created = create_once(FaceCheck, client_uuid=client_uuid, scope={"beneficiary": beneficiary},
                                  create=create)
    return check


# --- in the frs worker ------------------------------------------------------------------------------


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


def face_check_process(*, check_id: int, photo_key: str) -> None:
    """The worker's job. Safe to run twice: only a pending check is touched, and the photo is read once."""
    from .. import faces

    photo = photostore.take(photo_key)
    check = FaceCheck.objects.select_related("requested_by").filter(pk=check_id).first()
    if check is None or check.status != FaceCheck.Status.PENDING:
        return
    if photo is None:
        _finish_failed(check, FaceCheck.Error.EXPIRED)
        return
    try:
        encoding = faces.encode_face(photo)
    except faces.FaceError as exc:
        _finish_failed(check, _error_code(exc))
        return
    except Exception:  # a time limit, MemoryError, a dlib error: the check still ends, visibly
        logger.exception("face check %s could not be encoded", check_id)
        _finish_failed(check, FaceCheck.Error.UNAVAILABLE)
        return
    finally:
        photo = None  # the only reference: the bytes are freed here
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
    if FaceEnrolment.objects.filter(person_id=check.person_id).exists():
        _finish_failed(check, FaceCheck.Error.ALREADY_ENROLLED)
        return
    enrolment = FaceEnrolment.objects.create(person_id=check.person_id, awc_id=check.awc_id,
                                             encoding=encoding_to_bytes(encoding), enrolled_by=check.requested_by)
    check.status = FaceCheck.Status.DONE
    check.save(update_fields=_finish(check))
    audit_record(actor=check.requested_by, action=AuditEvent.Action.CREATE, obj=enrolment, awc_id=check.awc_id,
                 fields=["encoding"])
    audit_record(actor=check.requested_by, action=AuditEvent.Action.UPDATE, obj=check, awc_id=check.awc_id,
                 fields=["status"])


def _complete_match(check: FaceCheck, encoding) -> None:
    from .. import faces

    enrolment = FaceEnrolment.objects.filter(person_id=check.person_id).first()
    if enrolment is None:  # erased while the photo was on its way
        _finish_failed(check, FaceCheck.Error.NOT_ENROLLED)
        return
    check.distance = faces.face_distance(encoding_from_bytes(enrolment.encoding), encoding)
    if check.tolerance is None:  # a stored 0.0 is a tolerance, not "unset"
        check.tolerance = tolerance()
    check.matched = faces.is_match(check.distance, check.tolerance)
    check.status = FaceCheck.Status.DONE
    check.save(update_fields=[*_finish(check), "distance", "matched", "tolerance"])
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
