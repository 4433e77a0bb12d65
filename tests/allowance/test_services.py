"""Claims and payments: bad claims refused whole, one payment per person per quarter, approver of the state only."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from anganwadi.allowance.models import AllowanceClaim, AllowancePayment
from anganwadi.allowance.services import allowance_claim_submit, allowance_pay, allowance_reject
from poshan.core.models import AuditEvent

from .conftest import Q2, Q3, Q4


def _messages(error: ValidationError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


def test_claim_is_saved_at_the_claimants_place_and_audited(world, users, claim):
    assert (claim.role, claim.location_id, claim.amount, claim.status) == ("aww", world.awc1.pk, 450, "submitted")
    assert AuditEvent.objects.filter(object_type="anganwadi.allowanceclaim", action="create").exists()


def test_future_quarter_is_refused_with_nothing_saved(users):
    with pytest.raises(ValidationError) as error:
        allowance_claim_submit(actor=users.supervisor, period_start=Q4, amount=500)
    assert "has not begun yet" in _messages(error.value)
    assert not AllowanceClaim.objects.exists()


def test_claim_above_the_allowance_is_refused_with_nothing_saved(users):
    with pytest.raises(ValidationError) as error:
        allowance_claim_submit(actor=users.cdpo, period_start=Q3, amount=501)
    assert "The most that can be claimed for a quarter is ₹500" in _messages(error.value)
    assert not AllowanceClaim.objects.exists()


@pytest.mark.parametrize("amount", [0, -10])
def test_nothing_or_less_cannot_be_claimed(users, amount):
    with pytest.raises(ValidationError):
        allowance_claim_submit(actor=users.aww, period_start=Q3, amount=amount)
    assert not AllowanceClaim.objects.exists()


def test_period_must_be_the_first_day_of_a_quarter(users):
    with pytest.raises(ValidationError) as error:
        allowance_claim_submit(actor=users.aww, period_start=date(2026, 11, 1), amount=100)
    assert "first day of a quarter" in _messages(error.value)


def test_the_same_quarter_cannot_be_claimed_twice(users, claim):
    with pytest.raises(ValidationError) as error:
        allowance_claim_submit(actor=users.aww, period_start=Q3, amount=50)
    assert "already claimed" in _messages(error.value)
    assert AllowanceClaim.objects.count() == 1


def test_a_retry_with_the_same_submission_id_gets_the_first_claim(users):
    import uuid

    key = uuid.uuid4()
    first, created = allowance_claim_submit(actor=users.aww, period_start=Q2, amount=500, client_uuid=key)
    again, created_again = allowance_claim_submit(actor=users.aww, period_start=Q2, amount=500, client_uuid=key)
    assert (created, created_again, again.pk) == (True, False, first.pk)


@pytest.mark.parametrize("role", ["awh", "dpo", "state"])
def test_only_workers_supervisors_and_block_coordinators_claim(users, role):
    with pytest.raises(PermissionDenied):
        allowance_claim_submit(actor=getattr(users, role), period_start=Q3, amount=100)


def test_state_approver_pays_a_claim(users, claim):
    payment = allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 11, 26), reference="UTR123")
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by_id, payment.amount, payment.payee_id) == (
        "paid", users.state.pk, 450, users.aww.pk)


def test_a_second_payment_for_the_same_period_is_refused(users, claim):
    allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 11, 26))
    with pytest.raises(ValidationError) as error:
        allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 11, 27))
    assert "cannot be paid twice" in " ".join(error.value.messages)
    assert AllowancePayment.objects.count() == 1


def test_the_database_refuses_a_second_payment_too(users, claim):
    payment = allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 11, 26))
    other = AllowanceClaim.objects.create(claimant=users.aww, role="aww", location=claim.location, period_start=Q3,
                                          amount=10, status="rejected", decided_at=payment.recorded_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowancePayment.objects.create(claim=other, payee=users.aww, location=claim.location, period_start=Q3,
                                        amount=10, paid_on=date(2026, 11, 27), approved_by=users.state)


def test_an_approver_of_another_state_cannot_pay(users, make_user, world, claim):
    other_state = make_user("state", world.state2)
    with pytest.raises(PermissionDenied):
        allowance_pay(actor=other_state, claim=claim, paid_on=date(2026, 11, 26))
    assert not AllowancePayment.objects.exists()


def test_payment_date_in_the_future_is_refused(users, claim):
    with pytest.raises(ValidationError):
        allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 12, 1))
    claim.refresh_from_db()
    assert claim.status == "submitted" and not AllowancePayment.objects.exists()


def test_rejection_needs_a_reason_and_frees_the_quarter(users, claim):
    with pytest.raises(ValidationError):
        allowance_reject(actor=users.state, claim=claim, note=" ")
    allowance_reject(actor=users.state, claim=claim, note="Bill not attached")
    again, created = allowance_claim_submit(actor=users.aww, period_start=Q3, amount=400)
    assert created and again.pk != claim.pk


def test_a_rejected_claim_cannot_be_paid(users, claim):
    allowance_reject(actor=users.state, claim=claim, note="Bill not attached")
    with pytest.raises(ValidationError):
        allowance_pay(actor=users.state, claim=claim, paid_on=date(2026, 11, 26))
