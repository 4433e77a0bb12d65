"""People a centre served before registering them count on the register of the months they were served in. They
are found among the late registrations of people born by then, probed in batches."""
from datetime import date
from decimal import Decimal

import time_machine

from beneficiaries.models import AwcMembership
from growth.services import measurement_record
from poshan.dashboards.rollups import collect
from tests.factories import make_household, make_person


def test_only_people_served_before_their_registration_are_found_batch_by_batch(world, users, monkeypatch):
    on = date(2026, 10, 31)
    with time_machine.travel("2026-11-20 05:00:00+00:00", tick=False):
        home = make_household(world.awc1)
        weighed = make_person(home, name="Sahil", sex="M", dob=date(2023, 5, 1), enrol_as="child")
        make_person(home, name="Ravi", sex="M", dob=date(2023, 6, 1), enrol_as="child")  # registered, never served
        make_person(home, name="Baby", sex="F", dob=date(2026, 11, 10), enrol_as="child")  # born after the day
        also_weighed = make_person(home, name="Meena", sex="F", dob=date(2022, 1, 1), enrol_as="child")
        elsewhere = make_person(make_household(world.awc2), name="Asha", sex="F", dob=date(2023, 2, 1),
                                enrol_as="child")  # served before registration too, at another centre
        for child in (weighed, also_weighed, elsewhere):  # copied from their paper growth cards
            measurement_record(actor=users.aww, child=child, date=date(2026, 10, 15), weight_kg=Decimal("12.0"),
                               lenhei_cm=Decimal("90.0"), measure="h")
    monkeypatch.setattr(collect, "CANDIDATE_BATCH", 1)  # each candidate in a statement of its own

    found = collect.served_before_registration([world.awc1.pk], on)

    assert sorted(found) == sorted(AwcMembership.objects.filter(beneficiary__in=[weighed, also_weighed])
                                   .values_list("pk", flat=True))
    assert collect.served_before_registration([world.awc2.pk], on) == list(  # each centre finds its own people
        AwcMembership.objects.filter(beneficiary=elsewhere).values_list("pk", flat=True))
