"""open → in progress → resolved (with a note) → closed by the worker, or reopened; who may do what."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grievances import services
from grievances.models import Grievance, GrievanceEvent
from poshan.core.models import AuditEvent
from poshan.core.roles import Role

LODGED_AT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def resolved(lodge, users):
    grievance = lodge()
    services.grievance_start(actor=users.cdpo, grievance=grievance)
    return services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="Reinstalled the app.")


def test_desk_officer_takes_an_open_grievance_up(lodge, users):
    grievance = services.grievance_start(actor=users.cdpo, grievance=lodge())
    assert grievance.status == "in_progress"
    assert grievance.events.last().kind == GrievanceEvent.Kind.STARTED


def test_open_grievance_cannot_be_resolved_directly(lodge, users):
    grievance = lodge()
    with pytest.raises(ValidationError, match="before resolving"):
        services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="Done.")
    grievance.refresh_from_db()
    assert grievance.status == "open"


def test_resolving_needs_a_note(lodge, users):
    grievance = services.grievance_start(actor=users.cdpo, grievance=lodge())
    with pytest.raises(ValidationError, match="how the problem was resolved"):
        services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="   ")


def test_resolution_keeps_the_note_and_time(resolved):
    assert resolved.status == "resolved"
    assert resolved.resolution_note == "Reinstalled the app."
    assert resolved.resolved_at is not None


def test_worker_closes_a_resolved_grievance(resolved, users):
    grievance = services.grievance_close(actor=users.aww, grievance=resolved)
    assert grievance.status == "closed" and grievance.closed_at is not None


def test_desk_officer_cannot_close_for_the_worker(resolved, users):
    with pytest.raises(PermissionDenied):
        services.grievance_close(actor=users.cdpo, grievance=resolved)


def test_in_progress_grievance_cannot_be_closed(lodge, users):
    grievance = services.grievance_start(actor=users.cdpo, grievance=lodge())
    with pytest.raises(ValidationError, match="Only a resolved"):
        services.grievance_close(actor=users.aww, grievance=grievance)


def test_reopen_goes_back_to_the_same_desk_with_a_fresh_deadline(lodge, users):
    with time_machine.travel(LODGED_AT, tick=False):
        grievance = lodge()
        services.grievance_start(actor=users.cdpo, grievance=grievance)
        services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="Reinstalled.")
    with time_machine.travel(LODGED_AT + dt.timedelta(days=5), tick=False):
        grievance = services.grievance_reopen(actor=users.aww, grievance=grievance, note="Still closes.")
    assert (grievance.status, grievance.desk_role, grievance.resolved_at) == ("open", "cdpo", None)
    assert grievance.due_at == LODGED_AT + dt.timedelta(days=5, hours=72)
    assert grievance.events.last().note == "Still closes."


def test_reopening_needs_a_reason(resolved, users):
    with pytest.raises(ValidationError, match="why"):
        services.grievance_reopen(actor=users.aww, grievance=resolved, note="")


def test_closed_grievance_cannot_be_reopened(resolved, users):
    services.grievance_close(actor=users.aww, grievance=resolved)
    with pytest.raises(ValidationError, match="Only a resolved"):
        services.grievance_reopen(actor=users.aww, grievance=resolved, note="Again.")


def test_officer_of_another_desk_cannot_take_it_up(lodge, users):
    with pytest.raises(PermissionDenied):
        services.grievance_start(actor=users.dpo, grievance=lodge(category="app"))  # the CDPO's desk


def test_desk_officer_of_another_project_cannot_take_it_up(lodge, world, make_user):
    other_cdpo = make_user(Role.CDPO, world.project2)
    with pytest.raises(PermissionDenied):
        services.grievance_start(actor=other_cdpo, grievance=lodge())


def test_assigned_officer_holds_a_guardian_permission_and_may_act(lodge, users):
    grievance = lodge()
    services.grievance_assign(actor=users.cdpo, grievance=grievance, officer=users.supervisor)
    assert users.supervisor.has_perm("grievances.handle_grievance", grievance)
    assert services.grievance_start(actor=users.supervisor, grievance=grievance).status == "in_progress"


def test_unassigned_supervisor_may_not_act(lodge, users):
    with pytest.raises(PermissionDenied):
        services.grievance_start(actor=users.supervisor, grievance=lodge())


def test_assignment_only_to_an_officer_whose_area_holds_the_centre(lodge, world, users, make_user):
    other_sector_supervisor = make_user(Role.SUPERVISOR, world.sector2)
    with pytest.raises(ValidationError, match="area holds"):
        services.grievance_assign(actor=users.cdpo, grievance=lodge(), officer=other_sector_supervisor)


def test_reassignment_moves_the_permission(lodge, world, users, make_user):
    grievance = lodge()
    other = make_user(Role.CDPO, world.project1)
    services.grievance_assign(actor=users.cdpo, grievance=grievance, officer=users.supervisor)
    services.grievance_assign(actor=users.cdpo, grievance=grievance, officer=other)
    supervisor = type(users.supervisor).objects.get(pk=users.supervisor.pk)
    assert not supervisor.has_perm("grievances.handle_grievance", grievance)
    assert other.has_perm("grievances.handle_grievance", grievance)


def test_only_the_desk_officer_assigns(lodge, users):
    with pytest.raises(PermissionDenied):
        services.grievance_assign(actor=users.dpo, grievance=lodge(), officer=users.supervisor)


def test_every_step_is_audited(resolved, users):
    services.grievance_reopen(actor=users.aww, grievance=resolved, note="No.")
    actions = list(AuditEvent.objects.filter(object_type="grievances.grievance", object_id=str(resolved.pk))
                   .order_by("id").values_list("action", "actor_id"))
    assert actions == [("create", users.aww.pk), ("update", users.cdpo.pk), ("update", users.cdpo.pk),
                       ("update", users.aww.pk)]


def test_worker_sees_the_history_on_her_page(resolved, users, login):
    page = login(users.aww).get(reverse("grievances:detail", args=[resolved.pk])).content.decode()
    assert resolved.reference in page
    assert "Work started" in page and "Resolved" in page and "Reinstalled the app." in page
    assert "Solved: close it" in page and "Reopen" in page


def test_desk_officer_sees_the_take_up_button_and_worker_does_not(lodge, users, login):
    grievance = lodge()
    url = reverse("grievances:detail", args=[grievance.pk])
    assert "Take it up" in login(users.cdpo).get(url).content.decode()
    assert "Take it up" not in login(users.aww).get(url).content.decode()


def test_status_buttons_post_through_the_page(lodge, users, login):
    grievance = lodge()
    client = login(users.cdpo)
    client.post(reverse("grievances:act", args=[grievance.pk, "start"]))
    response = client.post(reverse("grievances:act", args=[grievance.pk, "resolve"]), {"note": "Fixed."}, follow=True)
    assert Grievance.objects.get(pk=grievance.pk).status == "resolved"
    assert "Saved." in response.content.decode()


def test_wrong_step_on_the_page_shows_a_message(lodge, users, login):
    grievance = lodge()
    response = login(users.cdpo).post(reverse("grievances:act", args=[grievance.pk, "resolve"]),
                                      {"note": "Fixed."}, follow=True)
    assert "Take the grievance up" in response.content.decode()
    assert Grievance.objects.get(pk=grievance.pk).status == "open"


def test_someone_who_may_see_but_not_act_gets_403(lodge, users, login):
    grievance = lodge()
    response = login(users.dpo).post(reverse("grievances:act", args=[grievance.pk, "start"]))
    assert response.status_code == 403


def test_note_by_the_worker_is_added_to_the_history(lodge, users):
    grievance = lodge()
    services.grievance_add_note(actor=users.aww, grievance=grievance, note="It happens every evening.")
    assert grievance.events.filter(kind="note", note="It happens every evening.").exists()
