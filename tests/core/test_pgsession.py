"""PostgreSQL transactions begun and ended in their statements' messages, the audit row sent with the next statement
(poshan.core.pgsession): each is still one transaction, whole or not at all."""
import io
import uuid

import psycopg2
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent, SubmissionReceipt
from poshan.core.pgsession import SEPARATOR

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the driver's transactions are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # real commits and rollbacks, seen from another session
]


def _event(object_id: str) -> None:
    audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="pgsession", object_id=object_id)


def _other_session():
    params = connection.get_connection_params()
    params.pop("connection_factory", None)  # psycopg2's plain connection, in autocommit
    other = psycopg2.connect(**params)
    other.autocommit = True
    return other


def _seen_elsewhere(object_id: str) -> bool:
    other = _other_session()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_auditevent WHERE object_type = 'pgsession' AND object_id = %s",
                           [object_id])
            return cursor.fetchone()[0] == 1
    finally:
        other.close()


@pytest.fixture
def user(users):
    return users.aww


def _receipt(user) -> SubmissionReceipt:
    return SubmissionReceipt.objects.create(client_uuid=uuid.uuid4(), kind="pgsession", user=user)


def _sent(seen) -> list[str]:
    """The messages sent, without the BEGIN and COMMIT Django itself logs for a transaction (debug_transaction)."""
    return [q["sql"] for q in seen.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]


def test_a_transaction_begins_in_its_first_statements_message():
    with CaptureQueriesContext(connection) as seen:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.execute("SELECT 2")
    assert _sent(seen) == [f"BEGIN{SEPARATOR}SELECT 1", "SELECT 2"]
    with CaptureQueriesContext(connection) as seen:  # outside a transaction nothing is begun
        with connection.cursor() as cursor:
            cursor.execute("SELECT 3")
    assert _sent(seen) == ["SELECT 3"]


def test_a_row_locked_in_a_transaction_stays_locked_until_it_commits(user):
    receipt = _receipt(user)
    other = _other_session()
    try:
        with transaction.atomic():
            SubmissionReceipt.objects.select_for_update().get(pk=receipt.pk)
            with other.cursor() as cursor, pytest.raises(psycopg2.errors.LockNotAvailable):
                cursor.execute("SELECT 1 FROM core_submissionreceipt WHERE id = %s FOR UPDATE NOWAIT", [receipt.pk])
        with other.cursor() as cursor:
            cursor.execute("SELECT 1 FROM core_submissionreceipt WHERE id = %s FOR UPDATE NOWAIT", [receipt.pk])
            assert cursor.fetchone() == (1,)
    finally:
        other.close()


def test_the_event_goes_with_the_next_statement_and_is_seen_only_after_the_commit(user):
    with transaction.atomic():
        receipt = _receipt(user)
        with CaptureQueriesContext(connection) as seen:
            _event("next")
        assert _sent(seen) == []  # nothing sent yet
        with CaptureQueriesContext(connection) as seen:
            assert AuditEvent.objects.filter(object_type="pgsession", object_id="next").count() == 1  # read, in it
        assert "poshan_audit_insert" in _sent(seen)[0]
        assert not _seen_elsewhere("next")
    assert _seen_elsewhere("next") and SubmissionReceipt.objects.filter(pk=receipt.pk).exists()


def test_an_event_left_waiting_commits_with_the_commit(user):
    with transaction.atomic():
        _receipt(user)
        _event("with-commit")
    assert _seen_elsewhere("with-commit")
    with transaction.atomic():  # the event alone in its transaction: begun, written and committed in one message
        _event("alone")
    assert _seen_elsewhere("alone")


def test_a_rollback_takes_the_write_and_its_waiting_event(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        receipt = _receipt(user)
        _event("rolled-back")
        raise RuntimeError("the form failed after its audit row")
    assert not SubmissionReceipt.objects.filter(pk=receipt.pk).exists()
    assert not _seen_elsewhere("rolled-back")


def test_a_savepoint_rolled_back_takes_the_events_after_it_and_keeps_those_before():
    with transaction.atomic():
        _event("before")
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint
            _event("inside")
            raise RuntimeError("the inner part failed")
        _event("after")
    assert _seen_elsewhere("before") and _seen_elsewhere("after")
    assert not _seen_elsewhere("inside")


def test_a_statement_refused_before_it_was_sent_loses_neither_the_begin_nor_the_event(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.cursor() as cursor, pytest.raises(IndexError):
            cursor.execute("SELECT %s, %s", [1])  # psycopg2 refuses it before sending anything
        receipt = _receipt(user)  # this statement begins the transaction
        raise RuntimeError("roll back")
    assert not SubmissionReceipt.objects.filter(pk=receipt.pk).exists()  # it was inside one
    with transaction.atomic():
        _event("kept")
        with connection.cursor() as cursor, pytest.raises(IndexError):
            cursor.execute("SELECT %s, %s", [1])
    assert _seen_elsewhere("kept")


def test_statements_that_cannot_carry_it_have_the_event_sent_first():
    with transaction.atomic():
        _event("server-side")
        found = [e.object_id for e in AuditEvent.objects.filter(object_type="pgsession").iterator(chunk_size=10)]
        assert found == ["server-side"]  # a server-side cursor's DECLARE
        _event("copy")
        out = io.StringIO()
        with connection.cursor() as cursor:
            cursor.copy_expert("COPY (SELECT object_id FROM core_auditevent WHERE object_type = 'pgsession' "
                               "ORDER BY id) TO STDOUT", out)
        assert out.getvalue().split() == ["server-side", "copy"]
    assert _seen_elsewhere("server-side") and _seen_elsewhere("copy")


def test_a_statement_refused_with_an_event_waiting_in_front_rolls_back_to_its_savepoint(user):
    """The pattern create_once relies on, with an audit event waiting when the INSERT is refused: the event went in
    the refused statement's message, so it is not sent again in front of the ROLLBACK TO SAVEPOINT (which an aborted
    transaction would refuse too, dooming the whole transaction); the block is undone, the rest commits."""
    key = uuid.uuid4()
    with transaction.atomic():
        first = SubmissionReceipt.objects.create(client_uuid=key, kind="pgsession", user=user)
        _event("before-savepoint")
        with pytest.raises(IntegrityError), transaction.atomic():  # the SAVEPOINT carries the waiting event
            _event("inside-savepoint")  # waits, and goes in front of the refused INSERT
            SubmissionReceipt.objects.create(client_uuid=key, kind="pgsession", user=user)
        _event("after-refusal")
    assert SubmissionReceipt.objects.filter(client_uuid=key).count() == 1 and first.pk
    assert _seen_elsewhere("before-savepoint") and _seen_elsewhere("after-refusal")
    assert not _seen_elsewhere("inside-savepoint")
