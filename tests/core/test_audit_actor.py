"""The log names its actor without a database constraint on PostgreSQL: an event's commit takes no lock on the
user's row, and a user who has events still cannot be deleted."""
import psycopg2
import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent


def test_a_user_with_events_cannot_be_deleted(db, users):
    audit_record(actor=users.supervisor, action=AuditEvent.Action.VIEW, object_type="audit-actor", object_id="1")
    with pytest.raises(ProtectedError) as refused:
        users.supervisor.delete()
    assert any(isinstance(o, AuditEvent) for o in refused.value.protected_objects)
    assert AuditEvent.objects.filter(actor=users.supervisor, object_type="audit-actor").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row locks of a foreign key check are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # a real commit, while another session holds the user's row
def test_an_event_commits_while_another_session_holds_its_actors_row(users):
    params = connection.get_connection_params()
    params.pop("connection_factory", None)
    other = psycopg2.connect(**params)
    try:
        with other.cursor() as cursor:  # psycopg2 opens a transaction: the lock is held until the rollback below
            cursor.execute("SELECT id FROM core_user WHERE id = %s FOR UPDATE", [users.supervisor.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a foreign key check would wait here, then fail
        try:
            with transaction.atomic():
                audit_record(actor=users.supervisor, action=AuditEvent.Action.VIEW, object_type="audit-actor",
                             object_id="locked")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        other.rollback()
        other.close()
    event = AuditEvent.objects.get(object_type="audit-actor", object_id="locked")
    assert event.actor_id == users.supervisor.pk
