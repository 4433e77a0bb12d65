"""The take-home ration register (page and PDF) shows the augmented ration of a child 6 months–3 years under
treatment for malnutrition, as the hand-over counts it; a child of 3–6 years under treatment gets hot-cooked
meals at the centre, not a ration, so is not on it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from growth.models import Case
from growth.services import measurement_record
from poshan.registers.selectors import REGISTERS, sheet_for
from tests.factories import make_household, make_person
from tests.registers.test_pdf import _text
from thr_frs.entitlement import PACKETS_CHILD_6M_3Y, PACKETS_UNDER_TREATMENT
from thr_frs.services.distribution import entitled_packets

from .conftest import MONTH, TODAY


def under_treatment(world, users, month):
    """Meena (2 years, MUAC 11.0 cm: SAM) and Chotu (4 years, also SAM) have an open case at awc1."""
    meena = make_person(make_household(world.awc1, actor=users.aww), actor=users.aww, name="Meena", sex="F",
                        dob=date(2024, 10, 1), enrol_as="child")
    for child in (meena, month.c):
        measurement_record(actor=users.aww, child=child, date=date(2026, 11, 26), weight_kg=Decimal("8.0"),
                           muac_cm=Decimal("11.0"))
    assert Case.objects.filter(child__in=[meena, month.c], is_open=True).count() == 2
    return meena


def test_the_register_rows_show_the_augmented_ration(world, users, month):
    meena = under_treatment(world, users, month)
    register = REGISTERS["thr"].build(sheet_for(user=users.aww, awc=world.awc1, month=MONTH, today=TODAY))
    rows = {r.label: r for r in register.rows}
    assert (rows["Meena"].packets_due, rows["Meena"].augmented) == (PACKETS_UNDER_TREATMENT, True)
    assert (rows["Anita"].packets_due, rows["Anita"].augmented) == (PACKETS_CHILD_6M_3Y, False)
    assert "Chotu" not in rows  # 4 years: hot-cooked meals, no ration
    assert rows["Meena"].packets_due == entitled_packets(meena, TODAY)  # what the hand-over gives


def test_the_pdf_shows_the_augmented_ration(world, users, month, login):
    under_treatment(world, users, month)
    body = login(users.aww).get(reverse("registers:pdf", args=[world.awc1.pk, MONTH.year, MONTH.month, "thr"]))
    assert body.status_code == 200
    text = _text(body.content)
    cells = {line.split()[0]: line.split() for line in text.splitlines() if line.split()}
    assert cells["Meena"][-2:] == [str(PACKETS_UNDER_TREATMENT), "—"]  # due 6, nothing received yet
    assert cells["Anita"][-2:] == [str(PACKETS_CHILD_6M_3Y), "—"]
    assert "(augmented: under" in text and "Chotu" not in text
