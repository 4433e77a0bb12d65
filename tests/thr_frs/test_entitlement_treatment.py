"""The augmented take-home ration is for children 6 months–3 years (the ration's own age group) under treatment
for malnutrition: not before 6 months (an infant is breastfed; at risk, it is referred), not from the third
birthday (a child of 3–6 years gets hot-cooked meals at the centre, not a ration), whatever case is open."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from beneficiaries.lifestage import categories
from beneficiaries.signals import under_treatment
from growth.models import Case
from growth.services import measurement_record
from tests.factories import make_household, make_person
from thr_frs.entitlement import (
    PACKETS_CHILD_6M_3Y,
    PACKETS_UNDER_TREATMENT,
    packets_for,
)
from thr_frs.services.distribution import entitled_packets

BORN = date(2026, 4, 1)  # six calendar months later is day 183, the ration's first day (lifestage)


def child_packets(on: date, *, treated: bool) -> int:
    return packets_for(categories(dob=BORN, sex="F", on=on, awc_eligible=False), under_treatment=treated)


@pytest.mark.parametrize(("age", "on", "packets"), [
    ("5 months 29 days", date(2026, 9, 30), 0),
    ("6 months", date(2026, 10, 1), PACKETS_UNDER_TREATMENT),
    ("35 months", date(2029, 3, 1), PACKETS_UNDER_TREATMENT),
    ("35 months 30 days", date(2029, 3, 31), PACKETS_UNDER_TREATMENT),
    ("36 months", date(2029, 4, 1), 0),
])
def test_the_augmented_ration_is_for_6_months_to_3_years(age, on, packets):
    assert child_packets(on, treated=True) == packets, age
    assert child_packets(on, treated=False) == (PACKETS_CHILD_6M_3Y if packets else 0), age


def sam_measured(awc, actor, *, dob: date, on: date, infant: bool = False):
    """MUAC 11.0 cm (SAM); an infant, whose MUAC is not measured: swelling of both feet (at risk)."""
    child = make_person(make_household(awc), name="Child", sex="F", dob=dob, enrol_as="child")
    signs = {"oedema": True} if infant else {"muac_cm": Decimal("11.0")}
    with time_machine.travel(on, tick=False):
        measurement_record(actor=actor, child=child, date=on, weight_kg=Decimal("6.0"), **signs)
    return child


def test_an_open_case_gives_the_augmented_ration_until_the_third_birthday(world, users):
    child = sam_measured(world.awc1, users.aww, dob=date(2023, 12, 1), on=date(2026, 11, 1))  # 35 months
    assert Case.objects.get(child=child).is_open
    with time_machine.travel(date(2026, 11, 30), tick=False):
        assert under_treatment([child.pk], date(2026, 11, 30)) == {child.pk}
        assert entitled_packets(child, date(2026, 11, 30)) == PACKETS_UNDER_TREATMENT  # the day before
    with time_machine.travel(date(2026, 12, 1), tick=False):
        assert under_treatment([child.pk], date(2026, 12, 1)) == {child.pk}  # still treated, at the centre
        assert entitled_packets(child, date(2026, 12, 1)) == 0  # three years old: hot-cooked meals instead


def test_a_case_opened_at_6_months_gives_the_augmented_ration_that_day(world, users):
    child = sam_measured(world.awc1, users.aww, dob=BORN, on=date(2026, 10, 1))
    assert Case.objects.get(child=child).category == "sam"
    with time_machine.travel(date(2026, 10, 1), tick=False):
        assert entitled_packets(child, date(2026, 10, 1)) == PACKETS_UNDER_TREATMENT
        assert entitled_packets(child, date(2026, 9, 30)) == 0  # the day before: 0–6 months, no ration


def test_an_infant_at_risk_gets_no_ration(world, users):
    infant = sam_measured(world.awc1, users.aww, dob=date(2026, 6, 1), on=date(2026, 10, 1),
                          infant=True)  # 4 months
    assert Case.objects.get(child=infant).category == "at_risk"
    with time_machine.travel(date(2026, 10, 1), tick=False):
        assert under_treatment([infant.pk], date(2026, 10, 1)) == set()
        assert entitled_packets(infant, date(2026, 10, 1)) == 0
