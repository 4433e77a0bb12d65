"""Allowance endpoints: my claims, my area's claims for officers, payment by the state approver only."""
from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anganwadi.allowance.models import AllowanceClaim, AllowancePayment

from .conftest import Q2, Q3, Q4

CLAIMS = "/api/v1/allowance/claims/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_claim_is_made_for_myself(world, users):
    response = _api(users.supervisor).post(CLAIMS, {"period_start": Q2.isoformat(), "amount": 500}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["claimant"], body["location"], body["status"]) == (users.supervisor.pk, world.sector1.pk,
                                                                     "submitted")


def test_future_quarter_is_a_clear_400(users):
    response = _api(users.aww).post(CLAIMS, {"period_start": Q4.isoformat(), "amount": 100}, format="json")
    assert response.status_code == 400 and "has not begun yet" in response.json()["period_start"][0]
    assert not AllowanceClaim.objects.exists()


@pytest.mark.parametrize("period_start", ["0001-01-01", "2000-01-01", "2025-10-01"])
def test_a_quarter_older_than_the_last_four_is_refused_and_never_queued(world, users, login, period_start):
    response = _api(users.aww).post(CLAIMS, {"period_start": period_start, "amount": 100}, format="json")
    assert response.status_code == 400 and "current quarter and the three before it" in \
        response.json()["period_start"][0]
    assert not AllowanceClaim.objects.exists()
    assert login(users.state).get(reverse("anganwadi:allowance_approve")).context["rows"] == []


def test_the_oldest_claimable_quarter_is_still_accepted(users):
    oldest = "2026-01-01"  # Jan–Mar 2026: the fourth quarter back on the frozen day (Nov 2026)
    response = _api(users.aww).post(CLAIMS, {"period_start": oldest, "amount": 100}, format="json")
    assert response.status_code == 201


def test_above_the_allowance_is_a_clear_400(users):
    response = _api(users.aww).post(CLAIMS, {"period_start": Q3.isoformat(), "amount": 2000}, format="json")
    assert response.status_code == 400 and "₹500" in response.json()["amount"][0]


def test_worker_lists_only_her_claims(users, claim):
    allowance_other = _api(users.supervisor).post(CLAIMS, {"period_start": Q3.isoformat(), "amount": 100},
                                                  format="json")
    assert allowance_other.status_code == 201
    rows = _api(users.aww).get(CLAIMS).json()["results"]
    assert [r["id"] for r in rows] == [claim.pk]


def test_officer_lists_the_claims_of_her_area(world, users, make_user, claim):
    assert [r["id"] for r in _api(users.dpo).get(CLAIMS).json()["results"]] == [claim.pk]
    outsider = make_user("dpo", world.district2)
    assert _api(outsider).get(CLAIMS).json()["count"] == 0
    assert _api(outsider).get(f"{CLAIMS}{claim.pk}/").status_code == 404


def test_state_approver_pays_through_the_api(users, claim):
    response = _api(users.state).post(f"{CLAIMS}{claim.pk}/pay/", {"paid_on": "2026-11-26", "reference": "UTR1"},
                                      format="json")
    assert response.status_code == 200 and response.json()["payment"]["reference"] == "UTR1"


def test_a_second_payment_through_the_api_is_refused(users, claim):
    _api(users.state).post(f"{CLAIMS}{claim.pk}/pay/", {"paid_on": "2026-11-26"}, format="json")
    response = _api(users.state).post(f"{CLAIMS}{claim.pk}/pay/", {"paid_on": "2026-11-27"}, format="json")
    assert response.status_code == 400 and "cannot be paid twice" in str(response.json())
    assert AllowancePayment.objects.count() == 1


def test_approver_of_another_state_gets_not_found(world, users, make_user, claim):
    response = _api(make_user("state", world.state2)).post(f"{CLAIMS}{claim.pk}/pay/", {"paid_on": "2026-11-26"},
                                                          format="json")
    assert response.status_code == 404 and not AllowancePayment.objects.exists()


def test_claimant_cannot_pay_herself(users, claim):
    response = _api(users.aww).post(f"{CLAIMS}{claim.pk}/pay/", {"paid_on": "2026-11-26"}, format="json")
    assert response.status_code == 403


def test_reject_needs_a_reason(users, claim):
    assert _api(users.state).post(f"{CLAIMS}{claim.pk}/reject/", {}, format="json").status_code == 400
    response = _api(users.state).post(f"{CLAIMS}{claim.pk}/reject/", {"note": "No bill"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
