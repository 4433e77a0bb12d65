"""Entitlement, stock and the one-distribution-per-month rule."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from beneficiaries.lifestage import Category
from thr_frs import entitlement
from thr_frs.models import OverrideRequest, ThrDistribution, Verification
from thr_frs.selectors import entitled_people, stock_balance, stock_summary
from thr_frs.services import override_decide, override_request, stock_receive, thr_distribute


def _override(users, beneficiary, quantity=None):
    """An approved override: a distribution that needs no face (for testing stock and uniqueness)."""
    request = override_request(actor=users.aww, beneficiary=beneficiary, reason="Camera broken at the centre",
                               quantity=quantity)
    return override_decide(actor=users.supervisor, override=request, approve=True)


def _give(users, beneficiary, quantity=None, **kwargs):
    override = _override(users, beneficiary, quantity)
    return thr_distribute(actor=users.aww, beneficiary=beneficiary, verified_by=Verification.OVERRIDE,
                          override=override, quantity=quantity, **kwargs)


def test_packets_by_category_take_the_larger_ration():
    assert entitlement.packets_for([Category.CHILD_6M_3Y]) == entitlement.PACKETS_CHILD_6M_3Y
    assert entitlement.packets_for([Category.PREGNANT, Category.LACTATING]) == max(
        entitlement.PACKETS_PREGNANT, entitlement.PACKETS_LACTATING)
    assert entitlement.packets_for([Category.CHILD_0_6M]) == 0
    assert entitlement.packets_for([Category.CHILD_3_6Y]) == 0


def test_reference_day_is_month_end_or_today():
    assert entitlement.reference_day(date(2026, 2, 1), date(2026, 11, 27)) == date(2026, 2, 28)
    assert entitlement.reference_day(date(2026, 11, 1), date(2026, 11, 27)) == date(2026, 11, 27)


def test_entitled_this_month_are_pregnant_and_children_6m_to_3y(family, users):
    on = timezone.localdate()

    names = {b.name for b in entitled_people(user=users.aww, on=on)}

    assert names == {"Sita", "Mohan"}  # not the husband, not the 2-month-old baby


def test_stock_balance_is_received_minus_distributed(family, users, stock):
    _give(users, family.sita)

    summary = stock_summary(family.sita.awc_id, timezone.localdate().replace(day=1))
    assert (summary.opening, summary.received, summary.distributed, summary.closing) == (0, 100, 4, 96)
    assert stock_balance(family.sita.awc_id) == 96


def test_opening_balance_carries_over_from_last_month(world, users):
    last_month = timezone.localdate().replace(day=1) - timedelta(days=3)
    stock_receive(actor=users.aww, awc=world.awc1, received_on=last_month, packets=30)

    summary = stock_summary(world.awc1.pk, timezone.localdate().replace(day=1))

    assert (summary.opening, summary.received, summary.closing) == (30, 0, 30)


def test_handover_is_refused_when_stock_is_short(family, users):
    stock_receive(actor=users.aww, awc=family.sita.awc, received_on=timezone.localdate(), packets=2)

    with pytest.raises(ValidationError, match="Only 2 packets are left"):
        override_request(actor=users.aww, beneficiary=family.sita, reason="Camera broken at the centre")


def test_one_distribution_per_beneficiary_per_month_in_the_service(family, users, stock):
    _give(users, family.sita)

    with pytest.raises(ValidationError, match="already received this month's ration"):
        thr_distribute(actor=users.aww, beneficiary=family.sita, verified_by=Verification.OVERRIDE,
                       override=OverrideRequest.objects.get())


def test_one_distribution_per_beneficiary_per_month_in_the_database(family, users, stock):
    first = _give(users, family.sita)
    other = OverrideRequest.objects.create(beneficiary=family.sita, awc=family.sita.awc, month=first.month,
                                           quantity=1, reason="x" * 12, requested_by=users.aww, status="rejected")

    with pytest.raises(IntegrityError), transaction.atomic():
        ThrDistribution.objects.create(beneficiary=family.sita, awc=family.sita.awc, month=first.month, quantity=1,
                                       handed_over_by=users.aww, verified_by=Verification.OVERRIDE, override=other)


def test_distribution_needs_its_evidence_in_the_database(family, users, stock):
    with pytest.raises(IntegrityError), transaction.atomic():
        ThrDistribution.objects.create(beneficiary=family.sita, awc=family.sita.awc,
                                       month=timezone.localdate().replace(day=1), quantity=1,
                                       handed_over_by=users.aww, verified_by=Verification.FACE)


def test_quantity_cannot_exceed_the_entitlement(family, users, stock):
    with pytest.raises(ValidationError, match="Hand over 1 to 4 packets"):
        override_request(actor=users.aww, beneficiary=family.sita, reason="Camera broken at the centre", quantity=9)


def test_not_entitled_person_gets_a_clear_refusal(family, users, stock):
    with pytest.raises(ValidationError, match="Ram is not entitled"):
        override_request(actor=users.aww, beneficiary=family.ram, reason="Camera broken at the centre")


def test_a_retried_handover_with_the_same_submission_id_is_saved_once(family, users, stock):
    override = _override(users, family.sita)
    uid = "0f7c1d7e-3a9b-4c38-8a64-7a1f2b9d3e11"
    first = thr_distribute(actor=users.aww, beneficiary=family.sita, verified_by=Verification.OVERRIDE,
                           override=override, client_uuid=uid)

    again = thr_distribute(actor=users.aww, beneficiary=family.sita, verified_by=Verification.OVERRIDE,
                           override=override, client_uuid=uid)

    assert again.pk == first.pk and ThrDistribution.objects.count() == 1


def test_stock_date_cannot_be_in_the_future(world, users):
    with pytest.raises(ValidationError, match="future"):
        stock_receive(actor=users.aww, awc=world.awc1, received_on=timezone.localdate() + timedelta(days=1),
                      packets=5)
