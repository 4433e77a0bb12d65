"""Who sees which registers: the worker her centre, officers their area (else not found); names near the
centre, pseudonymous ids further up; personal numbers masked; every view audited."""
from __future__ import annotations

import pytest
from django.urls import reverse

from poshan.core.models import AuditEvent
from poshan.registers.selectors import REGISTERS
from tests.factories import valid_aadhaar

from .conftest import MONTH

# role → (a centre inside its area, a centre outside it)
PAIRS = {
    "aww": ("awc1", "awc2"), "awh": ("awc1", "awc2"), "supervisor": ("awc1", "awc3"), "cdpo": ("awc1", "awc4"),
    "dpo": ("awc1", "awc5"), "state": ("awc1", "awc6"),
}


def _page(awc, kind: str) -> str:
    return reverse("registers:register", args=[awc.pk, MONTH.year, MONTH.month, kind])


def _pdf(awc, kind: str) -> str:
    return reverse("registers:pdf", args=[awc.pk, MONTH.year, MONTH.month, kind])


@pytest.mark.parametrize("role", sorted(PAIRS))
def test_centre_page_inside_the_area(world, users, login, role):
    inside, _ = PAIRS[role]
    awc = getattr(world, inside)
    url = reverse("registers:centre", args=[awc.pk, MONTH.year, MONTH.month])
    assert login(getattr(users, role)).get(url).status_code == 200


@pytest.mark.parametrize("role", sorted(PAIRS))
def test_centre_page_outside_the_area_is_not_found(world, users, login, role):
    _, outside = PAIRS[role]
    awc = getattr(world, outside)
    url = reverse("registers:centre", args=[awc.pk, MONTH.year, MONTH.month])
    assert login(getattr(users, role)).get(url).status_code == 404


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_every_register_page_for_own_centre(world, users, month, login, kind):
    response = login(users.aww).get(_page(world.awc1, kind))
    assert response.status_code == 200 and str(world.awc1.code) in response.content.decode()


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_every_register_page_of_another_centre_is_not_found(world, users, month, login, kind):
    assert login(users.aww).get(_page(world.awc2, kind)).status_code == 404


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_every_pdf_for_a_centre_of_the_area(world, users, month, login, kind):
    response = login(users.cdpo).get(_pdf(world.awc1, kind))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_every_pdf_outside_the_area_is_not_found(world, users, month, login, kind):
    assert login(users.cdpo).get(_pdf(world.awc4, kind)).status_code == 404


def test_ministry_reaches_any_centre(world, users, month, login):
    assert login(users.ministry).get(_page(world.awc6, "progress")).status_code == 200


def test_helpline_has_no_registers(world, users, login):
    assert login(users.helpline).get(reverse("registers:index")).status_code == 403


def test_worker_lands_on_her_centre(world, users, login):
    response = login(users.aww).get(reverse("registers:index"))
    assert response.status_code == 302 and f"/registers/{world.awc1.pk}/" in response["Location"]


def test_officer_finds_a_centre_of_the_area_by_code(world, users, login):
    page = login(users.supervisor).get(reverse("registers:index"), {"code": world.awc2.code}).content.decode()
    assert world.awc2.name in page and world.awc1.name not in page


def test_unknown_register_and_future_month_are_not_found(world, users, login):
    client = login(users.aww)
    assert client.get(_page(world.awc1, "stock")).status_code == 404
    assert client.get(reverse("registers:register", args=[world.awc1.pk, 2027, 1, "survey"])).status_code == 404


def test_supervisor_sees_names_with_masked_numbers(world, users, month, login):
    page = login(users.supervisor).get(_page(world.awc1, "survey")).content.decode()
    assert "Anita" in page and "Ramesh Kumar" in page
    aadhaar = valid_aadhaar(77)
    assert f"XXXX XXXX {aadhaar[-4:]}" in page and aadhaar not in page
    assert "XXXXXX5678" in page and "9812345678" not in page


def test_block_level_sees_pseudonymous_ids_not_names(world, users, month, login):
    page = login(users.cdpo).get(_page(world.awc1, "survey")).content.decode()
    assert "Anita" not in page and "Ramesh Kumar" not in page and "5678" not in page
    assert f"ID {month.a.pseudonym.hex[:8]}" in page


def test_register_view_is_audited(world, users, month, login):
    login(users.aww).get(_page(world.awc1, "growth"))
    event = AuditEvent.objects.filter(action="view", object_type="registers.growth").get()
    assert (event.actor_id, event.awc_id) == (users.aww.pk, world.awc1.pk)
