"""Allowance pages: my claims, the state approver's queue, figures per area — each inside its area only."""
from __future__ import annotations

import pytest
from django.urls import reverse

from anganwadi.allowance.models import AllowanceClaim, AllowancePayment

from .conftest import Q3, Q4


def test_worker_claims_the_current_quarter(world, users, login):
    response = login(users.aww).post(reverse("anganwadi:allowance"), {"period_start": Q3.isoformat(),
                                                                      "amount": "300"})
    assert response.status_code == 302
    assert AllowanceClaim.objects.get().amount == 300


def test_claim_above_the_allowance_is_explained_on_the_page(world, users, login):
    response = login(users.aww).post(reverse("anganwadi:allowance"), {"period_start": Q3.isoformat(),
                                                                      "amount": "900"})
    assert response.status_code == 400 and "₹500" in response.content.decode()
    assert not AllowanceClaim.objects.exists()


def test_future_quarter_is_not_offered_on_the_page(world, users, login):
    response = login(users.aww).post(reverse("anganwadi:allowance"), {"period_start": Q4.isoformat(),
                                                                      "amount": "100"})
    assert response.status_code == 400 and not AllowanceClaim.objects.exists()


def test_my_claims_show_only_mine(world, users, login, claim):
    page = login(users.supervisor).get(reverse("anganwadi:allowance")).content.decode()
    assert "₹450" not in page


@pytest.mark.parametrize("role", ["awh", "dpo", "helpline"])
def test_roles_without_the_allowance_cannot_claim(users, login, role):
    assert login(getattr(users, role)).get(reverse("anganwadi:allowance")).status_code == 403


def test_state_approver_sees_and_pays_claims_of_her_state(world, users, login, claim):
    client = login(users.state)
    assert "₹450" in client.get(reverse("anganwadi:allowance_approve")).content.decode()
    response = client.post(reverse("anganwadi:allowance_approve"), {
        "claim": claim.pk, "action": "pay", f"pay{claim.pk}-paid_on": "2026-11-26",
        f"pay{claim.pk}-reference": "UTR9"})
    assert response.status_code == 302 and AllowancePayment.objects.get().reference == "UTR9"


def test_approver_of_another_state_neither_sees_nor_pays(world, users, login, make_user, claim):
    client = login(make_user("state", world.state2))
    assert "₹450" not in client.get(reverse("anganwadi:allowance_approve")).content.decode()
    response = client.post(reverse("anganwadi:allowance_approve"), {
        "claim": claim.pk, "action": "pay", f"pay{claim.pk}-paid_on": "2026-11-26"})
    assert response.status_code == 404 and not AllowancePayment.objects.exists()


def test_paying_twice_from_the_page_is_refused(world, users, login, claim):
    from anganwadi.allowance.services import allowance_pay

    allowance_pay(actor=users.state, claim=claim, paid_on=Q3)
    AllowanceClaim.objects.filter(pk=claim.pk).update(status="submitted", decided_at=None)  # a stale page
    response = login(users.state).post(reverse("anganwadi:allowance_approve"), {
        "claim": claim.pk, "action": "pay", f"pay{claim.pk}-paid_on": "2026-11-26"})
    assert response.status_code == 400 and "cannot be paid twice" in response.content.decode()
    assert AllowancePayment.objects.count() == 1


def test_only_state_officials_approve(users, login):
    assert login(users.dpo).get(reverse("anganwadi:allowance_approve")).status_code == 403


@pytest.mark.parametrize("role, inside, outside", [
    ("supervisor", "awc1", "awc3"), ("cdpo", "sector1", "sector3"), ("dpo", "project1", "project3"),
    ("state", "district1", "district3")])
def test_figures_page_in_and_out_of_scope(world, users, login, role, inside, outside):
    client = login(getattr(users, role))
    assert client.get(reverse("anganwadi:allowance_figures")).status_code == 200
    assert client.get(reverse("anganwadi:allowance_figures_place", args=[getattr(world, inside).pk])).status_code \
        == 200
    assert client.get(reverse("anganwadi:allowance_figures_place", args=[getattr(world, outside).pk])).status_code \
        == 404


def test_figures_page_shows_due_paid_and_pending(world, users, login, claim):
    page = login(users.cdpo).get(reverse("anganwadi:allowance_figures"), {"period": Q3.isoformat()}).content.decode()
    assert world.sector1.name in page and "₹1500" in page and "₹450" in page


def test_workers_have_no_figures_page(users, login):
    assert login(users.aww).get(reverse("anganwadi:allowance_figures")).status_code == 403
