"""insert_unless_conflict: a unique value there already inserts nothing; any other broken rule is still an error,
on PostgreSQL and on SQLite (the embedded default) alike. insert_unread: the row is written in its transaction, or
the transaction fails."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from beneficiaries.models import AwcMembership, Beneficiary, Pregnancy
from poshan.core.audit import audit_insert
from poshan.core.audit_digest import event_digest
from poshan.core.idempotency import insert_together, insert_unless_conflict, insert_unread, row_insert
from poshan.core.models import AuditEvent
from poshan.core.prepared import SqlPart
from tests.factories import make_household

pytestmark = pytest.mark.django_db


def _person(household, **extra) -> Beneficiary:
    return Beneficiary(awc=household.awc, household=household, name="Asha", sex="F", **{"dob": date(2024, 1, 1), **extra})


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


def _no_household_headed_by(name: str) -> SqlPart:
    return SqlPart("NOT EXISTS (SELECT 1 FROM beneficiaries_household WHERE head_name = %s)", [name], ["text"])


def test_the_row_is_left_out_when_its_condition_is_false(world):
    """only_if: a condition of its own (another table's rows, say), checked in the same INSERT."""
    household = make_household(world.awc1, head_name="Kamla")
    again = _person(household, client_uuid=uuid.uuid4())
    assert insert_unless_conflict(again, only_if=_no_household_headed_by("Kamla")) is False and again.pk is None
    assert insert_unless_conflict(again, only_if=_no_household_headed_by("Nobody")) is True and again.pk


def test_the_row_is_left_out_when_a_row_meets_the_condition_prepared_or_not(world):
    """unless_where: a condition over the table's own columns, checked in the INSERT (with only_if too)."""
    household = make_household(world.awc1)
    insert_unless_conflict(_person(household))
    born_then = SqlPart("awc_id = %s AND dob = %s", [household.awc.pk, "2024-01-01"], ["bigint", "date"])
    born_later = SqlPart("awc_id = %s AND dob = %s", [household.awc.pk, "2024-01-02"], ["bigint", "date"])
    for name in (None, "test_person_unless_born"):
        assert insert_unless_conflict(_person(household), unless_where=born_then, prepared_as=name) is False
        added = _person(household)
        assert insert_unless_conflict(added, unless_where=born_later, prepared_as=name) is True and added.pk
    both = _person(household, client_uuid=uuid.uuid4())
    assert insert_unless_conflict(both, only_if=_no_household_headed_by("Nobody"), unless_where=born_later) is True
    assert insert_unless_conflict(_person(household), only_if=_no_household_headed_by(household.head_name),
                                  unless_where=born_later) is False
    assert Beneficiary.objects.filter(household=household).count() == 4


def test_the_insert_returns_what_it_was_asked_to_bring_back_besides_its_key(world):
    """also_returning: expressions read in the INSERT's statement, returned in place of True when the row went in;
    nothing when it did not. Prepared or not, on both databases."""
    household = make_household(world.awc1)
    insert_unless_conflict(_person(household, dob=date(2020, 5, 1)))
    # Rows there before the INSERT (whether a subquery also sees the new row is the database's own affair).
    count_born = SqlPart("(SELECT COUNT(*) FROM beneficiaries_beneficiary WHERE household_id = %s AND dob = %s), %s",
                         [household.pk, "2020-05-01", 7], ["bigint", "date", "integer"])
    for name in (None, "test_person_and_count"):
        added = _person(household, client_uuid=uuid.uuid4())
        assert insert_unless_conflict(added, also_returning=count_born, prepared_as=name) == (1, 7)
        assert added.pk
        assert insert_unless_conflict(_person(household, client_uuid=added.client_uuid), also_returning=count_born,
                                      prepared_as=name) is False


@pytest.mark.django_db(transaction=True)  # real commits: on PostgreSQL the row goes with the COMMIT's message
def test_an_unread_row_is_written_with_its_transaction_or_fails_it(world):
    household = make_household(world.awc1)
    person = _person(household)
    assert insert_unless_conflict(person)
    with transaction.atomic():
        insert_unread(AwcMembership(beneficiary=person, awc=household.awc, start=date(2026, 1, 5)),
                      prepared_as="test_membership_open")
        assert AwcMembership.objects.filter(beneficiary=person).count() == 1  # a read in the transaction sees it
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            insert_unread(AwcMembership(beneficiary=person, awc=household.awc, start=date(2026, 2, 5)),
                          prepared_as="test_membership_open")
            insert_unread(AwcMembership(beneficiary_id=person.pk + 10_000, awc=household.awc, start=date(2026, 2, 5)),
                          prepared_as="test_membership_open")  # no such person: refused by the database
    assert list(AwcMembership.objects.filter(beneficiary=person).values_list("start", flat=True)) == [date(2026, 1, 5)]


def _membership_and_event(person: Beneficiary):
    return [row_insert(AwcMembership(beneficiary=person, awc=person.awc, start=date(2026, 1, 1))),
            audit_insert(actor=None, action="create", obj=person, awc_id=person.awc_id, fields=["name"])]


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "sent whole"])
def test_insert_together_writes_the_rows_that_go_with_the_head_only_when_it_goes_in(world, settings, prepared):
    """On both databases: the membership and the audit event go in with the person, naming its key; a person whose
    unique value is there already inserts nothing, and nothing goes in with it. On PostgreSQL also sent whole, its
    values typed by their columns (DB_PREPARED_STATEMENTS off, behind a pooler)."""
    settings.DB_PREPARED_STATEMENTS = prepared
    household = make_household(world.awc1)
    key = uuid.uuid4()
    first = _person(household, client_uuid=key)
    assert insert_together(first, then=lambda: _membership_and_event(first), prepared_as="together_test") is True
    assert AwcMembership.objects.filter(beneficiary=first).count() == 1
    event = AuditEvent.objects.get(object_type="beneficiaries.beneficiary", object_id=str(first.pk))
    assert event.hash == event_digest("", event)  # the hash covers the key the row was given
    again = _person(household, client_uuid=key)
    assert insert_together(again, then=lambda: _membership_and_event(again), prepared_as="together_test") is False
    assert again.pk is None
    assert AwcMembership.objects.filter(beneficiary__client_uuid=key).count() == 1
    assert AuditEvent.objects.filter(object_type="beneficiaries.beneficiary").count() == 1


def test_insert_together_is_still_refused_whole_when_a_row_that_goes_with_it_breaks_a_rule(world):
    household = make_household(world.awc1)
    person = _person(household, client_uuid=uuid.uuid4())

    def bad_pregnancy():
        return [row_insert(Pregnancy(woman=person))]  # neither an LMP nor a delivery date: a CHECK breaks

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together(person, then=bad_pregnancy, prepared_as="together_test_bad")
    assert not Beneficiary.objects.filter(client_uuid=person.client_uuid).exists()
