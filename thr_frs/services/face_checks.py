"""Face enrolment and 1:1 matching, the request (in the web process); the work is face_work.py's (`frs` worker).

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
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary, Consent
from beneficiaries.selectors import has_consent
from beneficiaries.services import ConsentInput, consent_record
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent

from .. import photostore
from ..entitlement import first_of_month, needs_guardian_face
from ..models import FaceCheck, FaceEnrolment, FaceOwner, Nominee
from ..selectors import face_owner_of, household_adults
from . import gallery
from .distribution import handover_precheck, today
from .face_work import (_finish_failed, encoding_from_bytes, encoding_to_bytes, face_check_deadline_seconds,
                        face_check_process, face_check_run, face_checks_expire_stale, tolerance)

logger = logging.getLogger(__name__)
FACE = Consent.Purpose.FACE


def _require_usable_face(person: Beneficiary, *, must_be_enrolled: bool) -> None:
    if person.exited_on:
        raise ValidationError(_("%(name)s has left the programme; their face cannot be used.") % {"name": person.name})
    if not has_consent(person, FACE):
        raise ValidationError(_("There is no consent from %(name)s for the face check.") % {"name": person.name})
    enrolment = FaceEnrolment.objects.filter(person=person).first()
    if must_be_enrolled and enrolment is None:
        raise ValidationError(_("The face of %(name)s is not enrolled yet.") % {"name": person.name})
    if not must_be_enrolled and not gallery.can_take_enrolment_photo(enrolment, person):  # 2-3 photos, refreshes
        raise ValidationError(_("The face of %(name)s is already enrolled. To enrol it again, erase it first.")
                              % {"name": person.name})


def _dispatch(check_id: int, photo: bytes, turned: bytes | None = None) -> None:
    """After commit: store the photo (and the head-turn frame) for the worker and queue the check (or fail it
    visibly)."""
    keys = []
    try:
        keys.append(photostore.put(photo))
        if turned is not None:
            keys.append(photostore.put(turned))
        face_check_run.delay(check_id, *keys)
    except Exception:  # Redis or the broker down, or (eager) a failure inside the task: never lose it silently
        logger.exception("face check %s could not be run", check_id)
        for key in keys:
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
                       nominee: Beneficiary | None = None, client_uuid=None, on: date | None = None,
                       turned_photo: bytes | None = None) -> FaceCheck:
    """Queue a 1:1 match of a live photo with the enrolled face; a match records the hand-over. With
    `turned_photo` (a second frame after the person turned the head) a still photo is refused first."""
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
        transaction.on_commit(partial(_dispatch, check.pk, photo, turned_photo))
        return check

    check, _created = create_once(FaceCheck, client_uuid=client_uuid, scope={"beneficiary": beneficiary},
                                  create=create)
    return check


__all__ = [  # the worker's side is read here too (demo, bench, tests): one module to look in for a face check
    "encoding_from_bytes", "encoding_to_bytes", "face_check_deadline_seconds", "face_check_process",
    "face_checks_expire_stale", "face_enrol_request", "face_match_request", "face_owner_set", "tolerance",
]
