"""Routing by the editable table, SLA deadlines, and the beat task that escalates overdue grievances."""
import datetime as dt

import pytest
import time_machine
from django.conf import settings

from grievances import services, tasks
from grievances.models import GrievanceEvent, Notification, RoutingRule

LODGED_AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("category, desk", [
    ("app", "cdpo"), ("device", "cdpo"), ("supplies", "cdpo"), ("payment", "dpo"), ("internet", "dpo"),
    ("other", "supervisor"),
])
def test_category_is_routed_to_the_desk_of_the_routing_table(category, desk, lodge):
    assert lodge(category=category).desk_role == desk


def test_sla_deadline_comes_from_the_routing_table(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    assert grievance.sla_due_at == LODGED_AT + dt.timedelta(hours=72)
    assert grievance.due_at == grievance.sla_due_at


def test_admin_edit_of_the_routing_table_routes_new_grievances(lodge):
    RoutingRule.objects.filter(category="app").update(desk_role="supervisor", sla_hours=24)
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    assert (grievance.desk_role, grievance.due_at) == ("supervisor", LODGED_AT + dt.timedelta(hours=24))


def test_admin_changes_a_rule_on_the_admin_page(users, login):
    users.admin.is_staff = True
    users.admin.save(update_fields=["is_staff"])
    rule = RoutingRule.objects.get(category="device")
    response = login(users.admin).post(f"/admin/grievances/routingrule/{rule.pk}/change/",
                                       {"category": "device", "desk_role": "dpo", "sla_hours": 48})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.desk_role, rule.sla_hours) == ("dpo", 48)


def test_reference_number_shows_year_and_id(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge()
    assert grievance.reference == f"GRV-2026-{grievance.pk:06d}"


def test_overdue_grievance_moves_one_desk_up(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    with time_machine.travel(LODGED_AT + dt.timedelta(hours=73), tick=False):
        result = tasks.escalate_overdue()
    grievance.refresh_from_db()
    assert result == {"escalated": 1}
    assert grievance.desk_role == "dpo"
    assert grievance.escalation_count == 1
    assert grievance.due_at == LODGED_AT + dt.timedelta(hours=73 + 72)
    assert grievance.sla_due_at == LODGED_AT + dt.timedelta(hours=72)  # the promise does not move


def test_escalation_is_recorded_in_the_history(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    services.grievance_escalate_overdue(now=LODGED_AT + dt.timedelta(hours=73))
    event = grievance.events.get(kind=GrievanceEvent.Kind.ESCALATED)
    assert (event.desk_role, event.actor) == ("dpo", None)


def test_grievance_within_its_deadline_is_not_escalated(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    with time_machine.travel(LODGED_AT + dt.timedelta(hours=71), tick=False):
        assert tasks.escalate_overdue() == {"escalated": 0}
    grievance.refresh_from_db()
    assert grievance.desk_role == "cdpo"


def test_running_the_task_twice_escalates_once(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    with time_machine.travel(LODGED_AT + dt.timedelta(hours=73), tick=False):
        tasks.escalate_overdue()
        tasks.escalate_overdue()
    grievance.refresh_from_db()
    assert (grievance.desk_role, grievance.escalation_count) == ("dpo", 1)


def test_escalation_climbs_to_the_ministry_and_stops(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="other")  # supervisor, 120 h
    desks = []
    for step in range(1, 7):
        services.grievance_escalate_overdue(now=LODGED_AT + dt.timedelta(hours=121 * step))
        grievance.refresh_from_db()
        desks.append(grievance.desk_role)
    assert desks == ["cdpo", "dpo", "state", "ministry", "ministry", "ministry"]


def test_resolved_grievance_is_never_escalated(lodge, users):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
        services.grievance_start(actor=users.cdpo, grievance=grievance)
        services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="Reinstalled the app.")
    services.grievance_escalate_overdue(now=LODGED_AT + dt.timedelta(days=30))
    grievance.refresh_from_db()
    assert grievance.desk_role == "cdpo"


def test_escalation_notifies_the_new_desk_and_the_worker(lodge, users, outbox, django_capture_on_commit_callbacks):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
    with django_capture_on_commit_callbacks(execute=True):
        services.grievance_escalate_overdue(now=LODGED_AT + dt.timedelta(hours=73))
    assert {m.user_id for m in outbox} == {users.dpo.pk, users.aww.pk}
    dpo_note = Notification.objects.get(user=users.dpo)
    assert grievance.reference in dpo_note.text and "escalated" in dpo_note.text
    assert dpo_note.link == f"/grievances/{grievance.pk}/"


def test_escalation_takes_the_grievance_from_the_assigned_officer(lodge, users):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge(category="app")
        services.grievance_assign(actor=users.cdpo, grievance=grievance, officer=users.supervisor)
    assert users.supervisor.has_perm("grievances.handle_grievance", grievance)
    services.grievance_escalate_overdue(now=LODGED_AT + dt.timedelta(hours=73))
    supervisor = type(users.supervisor).objects.get(pk=users.supervisor.pk)  # fresh permission cache
    grievance.refresh_from_db()
    assert grievance.assigned_to is None
    assert not supervisor.has_perm("grievances.handle_grievance", grievance)


def test_escalation_task_is_on_the_beat_schedule():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "grievances.tasks.escalate_overdue" in entries


def test_only_the_overdue_grievance_of_two_escalates(lodge):
    with time_machine.travel(LODGED_AT, tick=False):
        late = lodge(category="app")  # CDPO, 72 h
        in_time = lodge(category="payment")  # DPO, 240 h
    services.grievance_escalate_overdue(now=LODGED_AT + dt.timedelta(hours=100))
    late.refresh_from_db()
    in_time.refresh_from_db()
    assert (late.desk_role, late.escalation_count) == ("dpo", 1)
    assert (in_time.desk_role, in_time.escalation_count) == ("dpo", 0)
