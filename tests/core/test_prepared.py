"""The hot statements' cursor: the driver's own on PostgreSQL while nothing watches the queries, Django's otherwise,
with the same errors and the same refusal of a broken transaction either way."""
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from poshan.core import prepared
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent, SubmissionReceipt
from tests.sql import sent_statements

postgres = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db


def _insert_receipt(cursor, client_uuid: str, user_id: int) -> None:
    prepared.execute(cursor, connection, name="test_receipt_insert", types=("uuid", "bigint"),
                     params=[client_uuid, user_id],
                     sql=f"INSERT INTO {SubmissionReceipt._meta.db_table} (client_uuid, kind, response, created_at, "
                         "user_id) VALUES (%s, 'test', '{}', CURRENT_TIMESTAMP, %s)")


def test_unwatched_statements_share_the_sessions_driver_cursor():
    connection.ensure_connection()
    with prepared.cursor(connection) as first:
        first.execute("SELECT 1")
        assert first.fetchone() == (1,)
    with prepared.cursor(connection) as second:
        second.execute("SELECT 2")
        assert second.fetchone() == (2,)
    if postgres:
        assert not isinstance(first, CursorWrapper) and second is first
    else:
        assert isinstance(first, CursorWrapper)


def test_a_new_session_gets_a_new_cursor(transactional_db):
    connection.ensure_connection()
    with prepared.cursor(connection) as before:
        before.execute("SELECT 1")
    connection.close()
    with prepared.cursor(connection) as after:  # opens the new session itself, as Django's cursor would
        after.execute("SELECT 1")
        assert after.fetchone() == (1,)
    assert after is not before


def test_watched_statements_go_through_djangos_cursor_and_are_seen():
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as seen:
        with prepared.cursor(connection) as cursor:
            cursor.execute("SELECT 3")
        audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="x", object_id="1")
        AuditEvent.objects.filter(object_type="x").exists()  # on PostgreSQL the row goes with the next statement
    assert isinstance(cursor, CursorWrapper)
    sqls = sent_statements(seen.captured_queries)
    assert sqls[0] == "SELECT 3"
    assert any("poshan_audit_insert" in sql or "core_auditevent" in sql for sql in sqls[1:])  # the audit row too


def test_errors_come_out_as_djangos_and_a_broken_transaction_is_refused(users):
    taken = "7f9c2d5e-0000-4000-8000-000000000001"
    with prepared.cursor(connection) as cursor:
        _insert_receipt(cursor, taken, users.aww.pk)
    with transaction.atomic():
        with pytest.raises(IntegrityError):  # Django's class, not the driver's
            with transaction.atomic():
                with prepared.cursor(connection) as cursor:
                    _insert_receipt(cursor, taken, users.aww.pk)  # the client id is taken
        with prepared.cursor(connection) as cursor:  # the savepoint rolled back: the transaction goes on
            cursor.execute("SELECT 4")
            assert cursor.fetchone() == (4,)
    with pytest.raises(TransactionManagementError):
        with transaction.atomic():
            try:
                with transaction.atomic(savepoint=False), prepared.cursor(connection) as cursor:
                    _insert_receipt(cursor, taken, users.aww.pk)
            except IntegrityError:
                pass  # swallowed outside a block without a savepoint: Django marks the transaction broken
            with prepared.cursor(connection) as cursor:
                cursor.execute("SELECT 5")
