"""The demo's equipment and allowance claims, through the real services, once."""
from __future__ import annotations

import time_machine

from anganwadi.allowance.models import AllowanceClaim
from anganwadi.equipment.demo import seed_equipment_and_allowance
from anganwadi.equipment.models import Device, Infrastructure
from grievances.models import Category, Grievance
from poshan.demo import world


def test_demo_seeds_devices_buildings_claims_and_a_grievance(db):
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        awcs = world.build_locations()
        world.build_users(awcs)
        first = seed_equipment_and_allowance(awcs)
        again = seed_equipment_and_allowance(awcs)
    assert Device.objects.filter(kind="smartphone").count() == len(awcs) == Infrastructure.objects.count()
    assert Device.objects.get(awc=awcs[0], kind="infantometer").condition == "broken"
    assert Grievance.objects.filter(category=Category.DEVICE, awc=awcs[0]).exists()
    assert sorted(AllowanceClaim.objects.values_list("status", flat=True)) == [
        "paid", "rejected", "submitted", "submitted"]
    assert again == {"devices": 0, "claims": 0} and first["claims"] == 4
