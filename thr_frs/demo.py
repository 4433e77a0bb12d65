"""Demo THR data for the demo world: stock, and this month's hand-overs at the demo worker's centre.

Only through the services where a person would act (stock, overrides, OTP check, hand-over).
The demo has no photos: the demo enrolments hold synthetic encodings and the demo face
checks carry plausible distances. Erase a demo face and enrol your own to try a real match.
Idempotent: nothing happens when the demo centre already has stock, or when the demo
users or people do not exist yet.
"""
from __future__ import annotations

import random
import secrets
from datetime import timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from anganwadi.models import Location

from .entitlement import first_of_month, needs_guardian_face
from .models import FaceCheck, FaceEnrolment, FaceOwner, OtpChallenge, ThrStockEntry, Verification
from .services.face_checks import tolerance
from .selectors import entitled_people, household_adults
from .services import (face_owner_set, otp_verify, override_decide, override_handover, override_request,
                       stock_receive, thr_distribute)
from .services.face_checks import encoding_to_bytes
from .services.fallbacks import OTP_VALID, _code_hash

SEED = 2026
STOCK_LAST_MONTH = 200
STOCK_THIS_MONTH = 150
SECTOR_STOCK = 120
SECTOR_AWCS = 5
DEMO_OTP = "246810"


def _synthetic_enrolment(person, actor, rng: random.Random) -> None:
    if FaceEnrolment.objects.filter(person=person).exists():
        return
    vector = np.random.default_rng(rng.randrange(2**32)).normal(0, 0.09, 128)
    FaceEnrolment.objects.create(person=person, awc_id=person.awc_id, encoding=encoding_to_bytes(vector),
                                 enrolled_by=actor)


def _face_owner(person, actor, on):
    if not needs_guardian_face(person.dob, on):
        return person
    link = FaceOwner.objects.filter(beneficiary=person).select_related("owner").first()
    if link is not None:
        return link.owner
    adults = household_adults(person, on)
    if not adults:
        return None
    face_owner_set(actor=actor, beneficiary=person, owner=adults[0],
                   relation="mother" if adults[0].pk == person.mother_id else "guardian", on=on)
    return adults[0]


def _check(person, owner, actor, month, *, matched: bool, rng: random.Random) -> FaceCheck:
    distance = rng.uniform(0.28, 0.44) if matched else rng.uniform(0.64, 0.82)
    return FaceCheck.objects.create(
        awc_id=person.awc_id, beneficiary=person, person=owner, purpose=FaceCheck.Purpose.MATCH, month=month,
        status=FaceCheck.Status.DONE, distance=round(distance, 3), matched=matched, tolerance=tolerance(),
        requested_by=actor, finished_at=timezone.now(), duration_ms=rng.randint(420, 950))


def _by_face(person, owner, actor, month, rng, today):
    check = _check(person, owner, actor, month, matched=True, rng=rng)
    thr_distribute(actor=actor, beneficiary=person, verified_by=Verification.FACE, face_check=check, on=today)


def _by_otp(person, actor, month, today):
    salt = secrets.token_hex(16)
    challenge = OtpChallenge.objects.create(
        beneficiary=person, awc_id=person.awc_id, month=month, salt=salt, code_hash=_code_hash(salt, DEMO_OTP),
        sent_to="XXXXXX0000", expires_at=timezone.now() + OTP_VALID, requested_by=actor)
    otp_verify(actor=actor, challenge=challenge, code=DEMO_OTP, on=today)


def _by_override(person, owner, actor, supervisor, month, rng, today):
    if owner is not None:
        _check(person, owner, actor, month, matched=False, rng=rng)
    request = override_request(actor=actor, beneficiary=person, on=today,
                               reason="Face did not match twice; known to the worker for years.")
    override_decide(actor=supervisor, override=request, approve=True, note="Known family.")
    override_handover(actor=actor, override=request, on=today)


@transaction.atomic
def seed_thr(awcs: list[Location]) -> dict[str, int]:
    """Stock for the demo sector's centres; this month's hand-overs by every way at the demo centre."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["aww_demo", "supervisor_demo"])}
    aww, supervisor = users.get("aww_demo"), users.get("supervisor_demo")
    if aww is None or supervisor is None or not awcs or ThrStockEntry.objects.filter(awc=awcs[0]).exists():
        return {}
    rng = random.Random(SEED)
    today = timezone.localdate()
    month = first_of_month(today)
    home = awcs[0]
    stock_receive(actor=aww, awc=home, received_on=month - timedelta(days=25), packets=STOCK_LAST_MONTH,
                  note="Challan 4411")
    stock_receive(actor=aww, awc=home, received_on=month, packets=STOCK_THIS_MONTH, note="Challan 4502")
    for awc in awcs[1:SECTOR_AWCS]:
        stock_receive(actor=supervisor, awc=awc, received_on=month, packets=SECTOR_STOCK, note="Sector delivery")
    counts = {"face": 0, "otp": 0, "override": 0, "due": 0}
    for index, person in enumerate(entitled_people(user=aww, on=today)):
        owner = _face_owner(person, aww, today)
        if owner is not None and index % 6 != 4:
            _synthetic_enrolment(owner, aww, rng)
        way = index % 6
        if way in (0, 1, 2) and owner is not None:
            _by_face(person, owner, aww, month, rng, today)
            counts["face"] += 1
        elif way == 3:
            _by_otp(person, aww, month, today)
            counts["otp"] += 1
        elif way == 4:
            _by_override(person, owner, aww, supervisor, month, rng, today)
            counts["override"] += 1
        else:
            if owner is not None and index % 12 == 5:  # failing twice: the supervisor's follow-up list
                _check(person, owner, aww, month, matched=False, rng=rng)
                _check(person, owner, aww, month, matched=False, rng=rng)
                override_request(actor=aww, beneficiary=person, on=today,
                                 reason="Photo does not match after an eye operation.")
            counts["due"] += 1
    return counts
