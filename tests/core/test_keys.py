"""Keys reserved ahead of their rows (poshan.core.keys): the sequence's own, a block per database session, never
given twice, and a registration written in one round trip with its commit outside a transaction."""
from __future__ import annotations

from datetime import date

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import AwcMembership, Beneficiary, Consent
from poshan.core import keys
from poshan.core.models import AuditEvent
from tests.factories import make_household, make_person, valid_aadhaar

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="keys are reserved from PostgreSQL's sequences"),
    pytest.mark.django_db(transaction=True),  # commits seen from another session
]


def _other_session():
    params = connection.get_connection_params()
    params.pop("connection_factory", None)
    other = psycopg2.connect(**params)
    other.autocommit = True
    return other


def test_keys_come_a_block_at_a_time_and_a_new_session_takes_a_new_block():
    connection.close()  # a session with no block yet
    with CaptureQueriesContext(connection) as seen:
        taken = [keys.reserved_key(Beneficiary) for _ in range(keys.BLOCK + 1)]
    assert len(set(taken)) == len(taken)
    assert taken[:keys.BLOCK] == sorted(taken[:keys.BLOCK])  # a block handed out in its order
    assert sum("nextval" in q["sql"] for q in seen.captured_queries) == 2  # one round trip per block
    other = _other_session()
    try:
        with other.cursor() as cursor:  # another session's nextval never meets a reserved key
            cursor.execute("SELECT nextval(pg_get_serial_sequence('beneficiaries_beneficiary', 'id'))")
            assert cursor.fetchone()[0] not in taken
    finally:
        other.close()
    connection.close()
    after = keys.reserved_key(Beneficiary)
    assert after > max(taken)  # the old session's block is left (a gap), never handed out again


def test_a_registration_outside_a_transaction_is_one_round_trip_and_commits_whole(world, users):
    household = make_household(world.awc1, actor=users.aww)
    make_person(household, actor=users.aww, name="First", sex="F", dob=date(2024, 3, 1), enrol_as="child")
    with CaptureQueriesContext(connection) as seen:
        child = make_person(household, actor=users.aww, name="Second", sex="M", dob=date(2024, 3, 2),
                            enrol_as="child", aadhaar=valid_aadhaar(31))
    sent = [q["sql"] for q in seen.captured_queries if "nextval" not in q["sql"]]
    assert len(sent) == 1 and sent[0].startswith("EXECUTE beneficiary_register_"), [s[:120] for s in sent]
    assert not connection.in_atomic_block
    other = _other_session()
    try:
        with other.cursor() as cursor:  # committed: another session sees the person and every row with it
            cursor.execute("SELECT (SELECT count(*) FROM beneficiaries_beneficiary WHERE id = %s), "
                           "(SELECT count(*) FROM beneficiaries_awcmembership WHERE beneficiary_id = %s), "
                           "(SELECT count(*) FROM beneficiaries_consent WHERE beneficiary_id = %s), "
                           "(SELECT count(*) FROM core_auditevent WHERE object_type = 'beneficiaries.beneficiary' "
                           "AND object_id = %s)", [child.pk, child.pk, child.pk, str(child.pk)])
            assert cursor.fetchone() == (1, 1, 1, 1)
    finally:
        other.close()
    # The same number again: refused, and nothing of it written; the next registration takes a fresh key.
    with pytest.raises(Exception, match="Aadhaar|आधार|aadhaar"):
        make_person(household, actor=users.aww, name="Third", sex="F", dob=date(2024, 3, 3), enrol_as="child",
                    aadhaar=valid_aadhaar(31))
    assert not Beneficiary.objects.filter(name="Third").exists()
    assert AwcMembership.objects.filter(beneficiary__household=household).count() == 2
    assert Consent.objects.filter(beneficiary__household=household).count() == 2
    fourth = make_person(household, actor=users.aww, name="Fourth", sex="F", dob=date(2024, 3, 4), enrol_as="child")
    assert fourth.pk not in (child.pk,) and AuditEvent.objects.filter(object_id=str(fourth.pk)).exists()
