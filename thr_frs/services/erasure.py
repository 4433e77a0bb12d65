"""Erasing face data: on withdrawal of consent (from the THR page) and, nightly, for everyone who left.

beneficiaries must not import thr_frs, so instead of a hook there:
- `face_consent_withdraw` (THR page) withdraws the "face" consent and erases at once;
- `faces_erase_unconsented` (Celery beat, nightly) erases the enrolments of people who have
  left the programme or whose face consent was withdrawn elsewhere;
- until then, matching refuses a face without consent or of someone who left
  (face_checks._require_usable_face), so such data is never used.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from beneficiaries.models import Beneficiary, Consent
from beneficiaries.services import consent_withdraw
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

from ..models import FaceEnrolment, FaceOwner, Nominee
from . import gallery

FACE = Consent.Purpose.FACE
SWEEP_BATCH = 2_000


class Reason:
    WITHDRAWN = "consent_withdrawn"
    EXITED = "left_programme"


def _erase(*, actor, enrolment: FaceEnrolment, reason: str) -> None:
    person_id, awc_id = enrolment.person_id, enrolment.awc_id
    enrolment.delete()
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, object_type="thr_frs.faceenrolment",
                 object_id=person_id, awc_id=awc_id, fields=["encoding", reason])


@transaction.atomic
def face_erase(*, actor, person: Beneficiary, reason: str = Reason.WITHDRAWN) -> bool:
    """Delete a person's face encoding; True if there was one."""
    gallery.near_misses_forget(person=person)
    enrolment = FaceEnrolment.objects.select_for_update().filter(person=person).first()
    if enrolment is None:
        return False
    _erase(actor=actor, enrolment=enrolment, reason=reason)
    return True


@transaction.atomic
def face_consent_withdraw(*, actor, person: Beneficiary) -> bool:
    """The person withdraws consent for the face check: the consent ends and the face is erased now."""
    consent_withdraw(actor=actor, beneficiary=person, purposes=(FACE,))
    return face_erase(actor=actor, person=person, reason=Reason.WITHDRAWN)


def _face_consented(person_ids: list[int]) -> set[int]:
    consented = set()
    for person_id, purposes in Consent.objects.filter(beneficiary_id__in=person_ids,
                                                      withdrawn_at__isnull=True).values_list("beneficiary_id",
                                                                                            "purposes"):
        if FACE in (purposes or []):
            consented.add(person_id)
    return consented


def faces_erase_unconsented() -> int:
    """Nightly: erase the faces of people who left or withdrew consent; drop their THR links. Idempotent."""
    today = timezone.localdate()
    erased, last_pk = 0, 0
    while True:
        batch = list(FaceEnrolment.objects.filter(pk__gt=last_pk).order_by("pk")
                     .values_list("pk", "person_id", "person__exited_on")[:SWEEP_BATCH])
        if not batch:
            break
        last_pk = batch[-1][0]
        consented = _face_consented([person_id for _pk, person_id, _exit in batch])
        for pk, person_id, exited_on in batch:
            left = exited_on is not None and exited_on <= today
            if left or person_id not in consented:
                with transaction.atomic():
                    enrolment = FaceEnrolment.objects.select_for_update().filter(pk=pk).first()
                    if enrolment is not None:
                        _erase(actor=None, enrolment=enrolment, reason=Reason.EXITED if left else Reason.WITHDRAWN)
                        erased += 1
    gallery.near_misses_forget(before=today.replace(day=1))  # a near miss waits for a code within its month only
    with transaction.atomic():
        links, _ = FaceOwner.objects.filter(beneficiary__exited_on__lte=today).delete()
        nominees, _ = Nominee.objects.filter(person__exited_on__lte=today).delete()
        if links or nominees:
            audit_record(actor=None, action=AuditEvent.Action.DELETE, object_type="thr_frs.faceowner",
                         object_id=f"sweep:{today.isoformat()}:{links}+{nominees}", fields=["owner", "nominee"])
    return erased
