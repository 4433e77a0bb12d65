"""Demo equipment for the demo centres and a few internet-allowance claims, through the real services."""
from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..allowance import rules
from ..allowance.models import AllowanceClaim
from ..allowance.services import allowance_claim_submit, allowance_pay, allowance_reject, quarter_entitlement
from ..models import Location
from .imei import luhn_check_digit
from .models import Device, DeviceKind
from .services import device_record, infrastructure_record

SEED = 12
MAKES = ("Samsung Galaxy A05", "Lava Blaze 2", "Redmi A3", "Nokia G21")
SCALES = (DeviceKind.INFANT_SCALE, DeviceKind.MOTHER_CHILD_SCALE, DeviceKind.INFANTOMETER, DeviceKind.STADIOMETER)


def demo_imei(n: int) -> str:
    body = f"35{n:012d}"
    return body + luhn_check_digit(body)


def _users() -> dict:
    return {u.username: u for u in get_user_model().objects.filter(username__endswith="_demo")}


def seed_equipment(awcs: list[Location]) -> int:
    """Each centre: a phone and most of the four growth devices, mostly working; the building's answers.

    The first centre's worker reports her infantometer broken (a grievance follows)."""
    users = _users()
    aww, supervisor, admin = users.get("aww_demo"), users.get("supervisor_demo"), users.get("admin_demo")
    if admin is None or Device.objects.filter(awc__in=awcs).exists():
        return 0
    rng = random.Random(SEED)
    issued = timezone.localdate() - timedelta(days=400)
    made = 0
    for n, awc in enumerate(awcs):
        actor = aww if n == 0 and aww else (supervisor if supervisor and awc.sector_id == awcs[0].sector_id
                                            else admin)
        condition = "working" if rng.random() < 0.85 else "needs_repair"
        device_record(actor=actor, awc=awc, kind=DeviceKind.SMARTPHONE, condition=condition,
                      make=rng.choice(MAKES), imei=demo_imei(awc.code), issued_on=issued,
                      issued_to=aww if n == 0 else None)
        made += 1
        for kind in SCALES:
            if rng.random() < 0.15:
                continue  # never supplied
            device_record(actor=actor, awc=awc, kind=kind, condition="working" if rng.random() < 0.8 else "broken",
                          issued_on=issued)
            made += 1
        infrastructure_record(actor=actor, awc=awc, own_building=rng.random() < 0.6,
                              drinking_water=rng.random() < 0.8, toilet=rng.random() < 0.7,
                              electricity=rng.random() < 0.75, kitchen=rng.random() < 0.5)
    if aww is not None:
        device_record(actor=aww, awc=awcs[0], kind=DeviceKind.INFANTOMETER, condition="broken",
                      note="The sliding board is cracked.")
    return made


def seed_allowance() -> int:
    """Last quarter: the worker paid, the block coordinator's claim rejected; this quarter: two waiting."""
    users = _users()
    state = users.get("state_demo")
    if state is None or AllowanceClaim.objects.exists():
        return 0
    this_quarter, last_quarter = rules.previous_quarters(timezone.localdate(), 2)
    made = []
    for username, quarter in (("aww_demo", last_quarter), ("cdpo_demo", last_quarter), ("aww_demo", this_quarter),
                              ("supervisor_demo", this_quarter)):
        user = users.get(username)
        if user is not None:
            made.append(allowance_claim_submit(actor=user, period_start=quarter,
                                               amount=quarter_entitlement(user.role))[0])
    for claim in made:
        if claim.period_start != last_quarter:
            continue
        if claim.role == "aww":
            allowance_pay(actor=state, claim=claim, paid_on=min(timezone.localdate(), rules.quarter_end(last_quarter)),
                          reference="UTR-DEMO-0001")
        else:
            allowance_reject(actor=state, claim=claim, note="Attach the data-pack bill, please.")
    return len(made)


def seed_equipment_and_allowance(awcs: list[Location]) -> dict[str, int]:
    return {"devices": seed_equipment(awcs), "claims": seed_allowance()}
