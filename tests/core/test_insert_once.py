"""insert_unless_conflict: a unique value there already inserts nothing; any other broken rule is still an error,
on PostgreSQL and on SQLite (the embedded default) alike."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from beneficiaries.models import Beneficiary
from poshan.core.idempotency import insert_unless_conflict
from tests.factories import make_household

pytestmark = pytest.mark.django_db


def _person(household, **extra) -> Beneficiary:
    return Beneficiary(awc=household.awc, household=household, name="Asha", sex="F", dob=date(2024, 1, 1), **extra)


def test_a_unique_value_there_already_inserts_nothing(world):
    household = make_household(world.awc1)
    key = uuid.uuid4()
    first = _person(household, client_uuid=key)
    assert insert_unless_conflict(first) is True and first.pk is not None
    assert insert_unless_conflict(_person(household, client_uuid=key)) is False
    assert Beneficiary.objects.filter(client_uuid=key).count() == 1


def test_a_broken_check_is_an_error_not_a_conflict(world):
    """SQLite's INSERT OR IGNORE would skip a row that breaks a CHECK or NOT NULL rule as if it were a duplicate."""
    household = make_household(world.awc1)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_unless_conflict(_person(household, client_uuid=uuid.uuid4(), birth_weight_kg=Decimal("9.9")))
    assert not Beneficiary.objects.filter(birth_weight_kg=Decimal("9.9")).exists()


def test_the_row_is_left_out_when_its_value_is_found_anywhere(world):
    household = make_household(world.awc1)
    key = uuid.uuid4()
    insert_unless_conflict(_person(household, client_uuid=key))
    again = _person(household, client_uuid=uuid.uuid4())
    assert insert_unless_conflict(again, unless_exists={"client_uuid": key}) is False and again.pk is None
    assert insert_unless_conflict(again, unless_exists={"client_uuid": uuid.uuid4()}) is True
