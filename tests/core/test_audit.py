"""The audit log: written for every write and every view of personal data, hashed, append-only."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from anganwadi.services import location_upsert
from poshan.core.audit_tree import audit_verify, seal_all
from poshan.core.models import AuditEvent
from poshan.core.roles import Level, Role


def _disable_guard():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser bypassing triggers
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")


def _enable_guard():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute(
                "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: UPDATE refused'); END;"
            )


def test_create_and_update_are_audited_with_field_names(world, users):
    location, outcome = location_upsert(actor=users.admin, level=Level.AWC, code=990001, name="New AWC",
                                        parent=world.sector1)
    assert outcome == "created"
    created = AuditEvent.objects.get(object_type="anganwadi.location", object_id=str(location.pk), action="create")
    assert created.actor == users.admin and created.actor_role == Role.ADMIN
    assert created.awc_id == location.pk

    location_upsert(actor=users.admin, level=Level.AWC, code=990001, name="Renamed AWC", parent=world.sector1)
    updated = AuditEvent.objects.filter(object_id=str(location.pk), action="update").get()
    assert updated.fields == ["name"]
    assert "Renamed" not in str(updated.__dict__)  # names of fields, never their values


def test_admin_delete_is_audited(world, users, login):
    victim = type(users.admin).objects.create_user("to-delete", password="long-enough-pass")
    response = login(users.admin).post(reverse("admin:core_user_delete", args=[victim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="delete", object_type="core.user", object_id=str(victim.pk),
                                     actor=users.admin).exists()


def test_viewing_staff_details_is_audited(world, users, login):
    login(users.dpo).get(reverse("anganwadi:staff"))
    event = AuditEvent.objects.filter(action="view", actor=users.dpo).get()
    assert event.object_type == "core.user"


def test_request_ip_and_agent_are_recorded(world, users, login):
    login(users.dpo).get(reverse("anganwadi:staff"), HTTP_USER_AGENT="TestPhone/1.0", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.filter(action="view", actor=users.dpo).get()
    assert (event.ip, event.user_agent) == ("10.1.2.3", "TestPhone/1.0")


def test_chain_verifies_when_untouched(world, users):
    checked, breaks = audit_verify()
    assert checked == AuditEvent.objects.count() > 0
    assert breaks == []


def test_audit_verify_detects_an_edited_row(world, users):
    victim = AuditEvent.objects.order_by("id")[3]
    _disable_guard()
    try:
        AuditEvent.objects.filter(pk=victim.pk).update(object_id="999999")
    finally:
        _enable_guard()
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify")
    _, breaks = audit_verify()
    assert [b.event_id for b in breaks] == [victim.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletes are guarded by the PostgreSQL trigger")
def test_audit_verify_detects_a_deleted_row(world, users):
    seal_all()  # a deletion shows once the event is in a tree (tests/core/test_audit_tree.py has the rest)
    events = list(AuditEvent.objects.order_by("id")[:5])
    _disable_guard()
    try:
        AuditEvent.objects.filter(pk=events[2].pk).delete()
    finally:
        _enable_guard()
    _, breaks = audit_verify()
    assert [b.event_id for b in breaks] == [events[2].pk]


def test_orm_update_of_audit_row_is_refused(world, users):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="view")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletes are guarded by the PostgreSQL trigger")
def test_sql_delete_of_audit_row_is_refused(world, users):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def test_audit_page_lists_and_filters_for_ministry_only(world, users, login):
    location_upsert(actor=users.admin, level=Level.STATE, code=4242, name="Audited State", parent=None)
    client = login(users.ministry)
    page = client.get(reverse("audit_list"), {"action": "create", "actor": users.admin.username}).content.decode()
    assert "anganwadi.location" in page
    page = client.get(reverse("audit_list"), {"action": "delete"}).content.decode()
    assert "anganwadi.location" not in page and "No events match" in page
    assert login(users.dpo).get(reverse("audit_list")).status_code == 403
    assert login(users.aww).get(reverse("audit_list")).status_code == 403


def test_admin_cannot_edit_or_delete_audit_rows(world, users, login):
    event = AuditEvent.objects.first()
    client = login(users.admin)
    assert client.get(reverse("admin:core_auditevent_change", args=[event.pk])).status_code == 200  # view only
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
