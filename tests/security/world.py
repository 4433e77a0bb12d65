"""One world with an object of every kind inside awc1 (state1) and inside awc6 (state2), built through the
services where that is cheap and directly through the ORM where a service needs a worker (face encodings).

`build_world()` returns a namespace: the locations of `tests.conftest.world`, one user per role (area roles at
their ROLE_HOME location, as in the `users` fixture), `aww6`/`supervisor6` at awc6/sector5, and for each kind an
`<kind>1` (awc1) and `<kind>6` (awc6) object; `aww_charge`, awc2's worker holding awc1 on additional charge. Seeded personal values are in SEEDED (the encryption and log tests
look for them in raw columns and captured logs).
"""
from __future__ import annotations

import io
import uuid
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from poshan.core.roles import Level, Role
from tests.conftest import world_locations
from tests.factories import LocationFactory, UserFactory, valid_aadhaar

SEEDED = SimpleNamespace(
    aadhaar1=valid_aadhaar(424242), aadhaar6=valid_aadhaar(616161),
    mobile1="9812398123", mobile6="9745697456", imei1="490154203237518", imei6="356938035643809",
    mobile_officer1="9870012399",  # the sector1 supervisor's mobile for alerts (poshan.supervision.AlertContact)
    woman1="Sunita Seededname", woman6="Kavita Farawayname", child1="Golu Seededchild", child6="Chhotu Farchild",
)
HOMES = {Role.AWW: "awc1", Role.AWH: "awc1", Role.SUPERVISOR: "sector1", Role.CDPO: "project1",
         Role.DPO: "district1", Role.STATE: "state1"}
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(out, format="PNG")
    return out.getvalue()


def locations() -> dict:
    """The shared test world's tree (tests/conftest.py), and awc7: awc6's neighbour (moves stay inside state2)."""
    tree = world_locations()
    return {**tree, "awc7": LocationFactory(level=Level.AWC, parent=tree["sector5"])}


def _centre(w, suffix: str, awc, aww, supervisor) -> None:
    """A family at `awc` with a pregnant woman (Aadhaar), her husband and a two-year-old; everything around them."""
    from anganwadi.allowance.services import allowance_claim_submit
    from anganwadi.equipment.services import device_record
    from beneficiaries import services as people
    from beneficiaries.models import Beneficiary, LifeStageChange
    from growth.models import Case, FollowUp
    from growth.services import measurement_record
    from thr_frs.models import FaceCheck, FaceEnrolment, OtpChallenge
    from thr_frs.services import face_checks, override_decide, override_handover, override_request, stock_receive

    today = timezone.localdate()
    seeded = SEEDED
    consent = lambda name: people.ConsentInput(given_by=name, purposes=("services", "aadhaar", "face", "sms"))  # noqa: E731
    household = people.household_register(
        actor=aww, awc=awc, consent=consent("Head"),
        data=people.HouseholdInput(head_name=f"Head {suffix}", mobile=getattr(seeded, f"mobile{suffix}")))
    woman = people.beneficiary_register(
        actor=aww, household=household, consent=consent("W"),
        person=people.PersonInput(name=getattr(seeded, f"woman{suffix}"), sex="F", age_years=26,
                                  enrol_as="pregnant", lmp=today - timedelta(days=70),
                                  aadhaar=getattr(seeded, f"aadhaar{suffix}")))
    husband = people.beneficiary_register(
        actor=aww, household=household, consent=consent("H"),
        person=people.PersonInput(name=f"Husband {suffix}", sex="M", age_years=30))
    child = people.beneficiary_register(
        actor=aww, household=household, consent=consent("C"),
        person=people.PersonInput(name=getattr(seeded, f"child{suffix}"), sex="F", dob=today - timedelta(days=700),
                                  enrol_as="child"))
    Beneficiary.objects.filter(pk=child.pk).update(mother=woman)
    measurement, _ = measurement_record(actor=aww, child=child, date=today, weight_kg=Decimal("9.0"),
                                        lenhei_cm=Decimal("80.0"), measure="l", muac_cm=Decimal("11.0"))
    case = Case.objects.get(child=child)  # MUAC < 11.5 cm: a SAM case opened by the measurement
    followup = FollowUp.objects.create(child=child, awc=awc, reason=FollowUp.Reason.STUNTED,
                                       month=today.replace(day=1), flagged_on=today, measurement=measurement)
    visit = people.home_visit_record(actor=aww, awc=awc, beneficiary=woman, day=today, purpose="pregnancy",
                                     topic="birth_preparedness")
    pregnancy = woman.pregnancies.get()
    transfer = people.transfer_request(actor=aww, beneficiary=husband, to_awc=w["awc2" if suffix == "1" else "awc7"],
                                       kind="permanent")
    stock_receive(actor=aww, awc=awc, received_on=today, packets=50)
    override = override_request(actor=aww, beneficiary=woman, reason="The face check is not possible today")
    override_decide(actor=supervisor, override=override, approve=True)
    distribution = override_handover(actor=aww, override=override)
    pending_override = override_request(actor=aww, beneficiary=child, reason="The mother is travelling")
    encoding = np.random.default_rng(int(suffix)).normal(size=128)
    FaceEnrolment.objects.create(person=husband, awc=awc, enrolled_by=aww,
                                 encoding=face_checks.encoding_to_bytes(encoding))
    face_check = FaceCheck.objects.create(awc=awc, beneficiary=husband, person=husband, requested_by=aww,
                                          purpose=FaceCheck.Purpose.MATCH, status=FaceCheck.Status.DONE,
                                          matched=False, distance=0.65, tolerance=0.6,
                                          finished_at=timezone.now(),
                                          # a near miss keeps its encoding until a one-time code confirms it
                                          candidate=face_checks.encoding_to_bytes(encoding + 0.01))
    otp = OtpChallenge.objects.create(beneficiary=child, awc=awc, month=today.replace(day=1), salt="s" * 16,
                                      code_hash="0" * 64, sent_to="******" + getattr(seeded, f"mobile{suffix}")[-4:],
                                      expires_at=timezone.now() + timedelta(minutes=10), requested_by=aww)
    device = device_record(actor=aww, awc=awc, kind="smartphone", condition="working", make="Samsung A05",
                           imei=getattr(seeded, f"imei{suffix}"), issued_to=aww).device
    life_stage_change = LifeStageChange.objects.create(beneficiary=woman, awc=awc, kind="pregnancy_overdue",
                                                       effective_on=today, run_on=today)
    claim = allowance_claim_submit(actor=aww, period_start=today.replace(day=1, month=((today.month - 1) // 3) * 3 + 1),
                                   amount=400)[0]
    for name, value in dict(household=household, woman=woman, husband=husband, child=child, measurement=measurement,
                            followup=followup, visit=visit, pregnancy=pregnancy, transfer=transfer,
                            override=pending_override, distribution=distribution, face_check=face_check, otp=otp,
                            device=device, claim=claim, case=case, life_stage_change=life_stage_change).items():
        w[f"{name}{suffix}"] = value


def build_world(media_root) -> SimpleNamespace:
    """Everything the access matrix needs (MEDIA_ROOT must already point at `media_root`)."""
    from grievances import services as grievances
    from poshan.dashboards.exports.service import export_dir
    from poshan.dashboards.models import ExportJob, RollupRun
    from training import services as training

    w = locations()
    users = {role: UserFactory(role=role, location=w[home]) for role, home in HOMES.items()}
    for role in (Role.MINISTRY, Role.HELPLINE, Role.ADMIN):
        users[role] = UserFactory(role=role, location=None)
    w.update({str(role): user for role, user in users.items()})
    w["users"] = {str(role): user for role, user in users.items()}
    w["aww6"] = UserFactory(role=Role.AWW, location=w["awc6"])
    w["supervisor6"] = UserFactory(role=Role.SUPERVISOR, location=w["sector5"])
    w["state6"] = UserFactory(role=Role.STATE, location=w["state2"])
    _centre(w, "1", w["awc1"], w["aww"], w["supervisor"])
    _centre(w, "6", w["awc6"], w["aww6"], w["supervisor6"])
    from poshan.supervision.models import AlertContact

    w["alert_contact"] = AlertContact.objects.create(user=w["supervisor"], mobile=SEEDED.mobile_officer1)

    shot = lambda: SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")  # noqa: E731
    lodge = dict(category="app", description="The app closes when I save a weight.")
    w["grievance_aww"] = grievances.grievance_lodge(actor=w["aww"], screenshot=shot(), **lodge)
    w["grievance_awh"] = grievances.grievance_lodge(actor=w["awh"], screenshot=shot(), **lodge)
    w["grievance_helpline"] = grievances.grievance_lodge(actor=w["helpline"], awc=w["awc1"], caller_name="A caller",
                                                         caller_language="hi", screenshot=shot(), **lodge)
    w["grievance6"] = grievances.grievance_lodge(actor=w["aww6"], screenshot=shot(), **lodge)

    w["video"] = training.video_create(actor=None, title="Breastfeeding", language="hi", duration_seconds=100,
                                       topic="breastfeeding", kind="counselling", file=ContentFile(MP4, name="v.mp4"),
                                       poster=ContentFile(png_bytes(), name="p.png"))
    w["video_unpublished"] = training.video_create(
        actor=None, title="Draft", language="hi", duration_seconds=100, topic="breastfeeding", kind="counselling",
        file=ContentFile(MP4, name="d.mp4"), poster=ContentFile(png_bytes(), name="d.png"), is_published=False)
    today = timezone.localdate()
    w["session1"] = training.session_create(actor=w["supervisor"], date=today, place="Sector office",
                                            location=w["sector1"], trainer=w["supervisor"], curriculum="3-6")
    w["session6"] = training.session_create(actor=w["supervisor6"], date=today, place="Far office",
                                            location=w["sector5"], trainer=w["supervisor6"], curriculum="3-6")

    w["rollup_run"] = RollupRun.objects.create(month=today.replace(day=1), trigger="admin", location=w["state1"])
    w["rollup_run6"] = RollupRun.objects.create(month=today.replace(day=1), trigger="admin", location=w["state2"])
    w["export_jobs"] = {}
    for owner in ("dpo", "state", "ministry", "admin", "state6"):
        name = f"matrix-{owner}-{uuid.uuid4().hex[:8]}.csv"
        (export_dir() / name).write_text("pseudonym,figure\nP1,1\n")
        w["export_jobs"][owner] = ExportJob.objects.create(
            user=w[owner], kind="children", file_format="csv", month_from=today.replace(day=1),
            month_to=today.replace(day=1), status=ExportJob.Status.DONE, file_name=name,
            finished_at=timezone.now(), expires_at=timezone.now() + timedelta(days=7))
    w["today"] = today
    _additional_charge(w, today)
    return SimpleNamespace(**w)


def _additional_charge(w, today) -> None:
    """The matrix's "AWW with additional charge": awc2's worker holds awc1 (granted by project1's CDPO through the
    service) from today for a week; charge6 is a grant of awc7 in state2 (out of the CDPO's reach)."""
    from anganwadi.allowance.services import allowance_claim_submit
    from anganwadi.charge.services import charge_grant
    from grievances import services as grievances

    holder = UserFactory(role=Role.AWW, location=w["awc2"])
    w["aww_charge"] = holder
    w["users"]["aww_charge"] = holder
    w["charge1"] = charge_grant(actor=w["cdpo"], holder=holder, location=w["awc1"], start=today,
                                end=today + timedelta(days=6), reason="The worker is on maternity leave")
    cdpo6 = UserFactory(role=Role.CDPO, location=w["project4"])
    w["charge6"] = charge_grant(actor=cdpo6, holder=w["aww6"], location=w["awc7"], start=today, end=today,
                                reason="The worker is on leave")
    shot = SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")
    w["grievance_aww_charge"] = grievances.grievance_lodge(actor=holder, category="app", screenshot=shot,
                                                           description="The app closes when I save a weight.")
    w["claim_charge"] = allowance_claim_submit(actor=holder, amount=400, period_start=w["claim1"].period_start)[0]
