"""A hand-built month at awc1 (and one child at awc2), recorded through the real services, then rolled up."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from anganwadi.equipment.services import device_record
from anganwadi.services import awc_day_open
from beneficiaries import services as people
from beneficiaries.models import Beneficiary
from growth.services import measurement_record
from poshan.dashboards.rollups.refresh import refresh_month
from tests.factories import make_household, make_person, valid_aadhaar
from thr_frs.services import override_decide, override_handover, override_request, stock_receive

MONTH = date(2026, 11, 1)
TODAY = date(2026, 11, 27)
HINDI_NAME = "सीता देवी"
IMEI = "490154203237518"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


@pytest.fixture
def month(world, users):
    """awc1: girls A (normal) and B (severely stunted), boy C (4 y, present 2 days with the meal), Ram (adult,
    no category), a pregnant woman with a Hindi name and Aadhaar (visited at home; THR by override) and a
    lactating mother; the centre open 2 days; a working phone. awc2: girl D, severely underweight."""
    aww = users.aww
    h1 = make_household(world.awc1, actor=aww, mobile="9812345678")
    a = make_person(h1, actor=aww, name="Anita", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    b = make_person(h1, actor=aww, name="Bina", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    c = make_person(h1, actor=aww, name="Chotu", sex="M", dob=date(2022, 10, 1), enrol_as="child")
    make_person(h1, actor=aww, name="Ram", sex="M", dob=date(1990, 1, 1))
    p = make_person(h1, actor=aww, name=HINDI_NAME, dob=date(1998, 1, 1), enrol_as="pregnant",
                    lmp=date(2026, 6, 1), aadhaar=valid_aadhaar(77))
    lactating = make_person(h1, actor=aww, name="Lata", dob=date(1997, 1, 1), enrol_as="lactating",
                            delivery_date=date(2026, 10, 20))
    d = make_person(make_household(world.awc2, actor=aww, head_name="Far Head"), actor=aww, name="Dolly", sex="F",
                    dob=date(2024, 11, 1), enrol_as="child")
    day = date(2026, 11, 25)
    for child, weight, height in ((a, "11.5", "86.0"), (b, "9.5", "75.0"), (d, "7.0", "84.0")):
        measurement_record(actor=aww, child=child, date=day, weight_kg=Decimal(weight), lenhei_cm=Decimal(height),
                           measure="l")
    for n in (26, 27):
        awc_day_open(actor=aww, awc=world.awc1, day=date(2026, 11, n), opened_at=time(9),
                     backdate_reason="test" if n < 27 else "")
    people.attendance_record(actor=aww, awc=world.awc1, day=date(2026, 11, 26), present=[c.pk], hcm=[c.pk],
                             backdate_reason="test")
    people.attendance_record(actor=aww, awc=world.awc1, day=TODAY, present=[c.pk], hcm=[c.pk])
    people.home_visit_record(actor=aww, awc=world.awc1, beneficiary=Beneficiary.objects.get(pk=p.pk),
                             day=date(2026, 11, 26), purpose="pregnancy", topic="birth_preparedness",
                             backdate_reason="test")
    stock_receive(actor=aww, awc=world.awc1, received_on=TODAY, packets=50)
    override = override_request(actor=aww, beneficiary=Beneficiary.objects.get(pk=p.pk),
                                reason="The face check is not possible today")
    override_decide(actor=users.supervisor, override=override, approve=True)
    override_handover(actor=aww, override=override)
    device_record(actor=aww, awc=world.awc1, kind="smartphone", condition="working", make="Samsung A05", imei=IMEI,
                  issued_on=date(2025, 4, 1), issued_to=aww)
    run = refresh_month(MONTH, trigger="admin", today=TODAY)
    return SimpleNamespace(run=run, a=a, b=b, c=c, p=p, lactating=lactating, d=d, today=timezone.localdate())
