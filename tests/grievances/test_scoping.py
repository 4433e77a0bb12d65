"""Who sees which grievance: a worker hers, an officer her area's, the helpline only what it recorded."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grievances import selectors, services
from poshan.core.roles import Role

from .conftest import image_bytes

OFFICERS = [Role.SUPERVISOR, Role.CDPO, Role.DPO, Role.STATE]


@pytest.fixture
def here_and_there(world, users, make_user, lodge):
    """One grievance at awc1 (inside every test user's area) and one at awc6 (another state)."""
    far_worker = make_user(Role.AWW, world.awc6)
    return lodge(), lodge(actor=far_worker)


@pytest.mark.parametrize("role", OFFICERS + [Role.AWW])
def test_detail_in_scope_is_shown(role, users, here_and_there, login):
    here, _ = here_and_there
    response = login(getattr(users, role)).get(reverse("grievances:detail", args=[here.pk]))
    assert response.status_code == 200
    assert here.reference in response.content.decode()


@pytest.mark.parametrize("role", OFFICERS + [Role.AWW])
def test_detail_out_of_scope_is_not_found(role, users, here_and_there, login):
    _, there = here_and_there
    assert login(getattr(users, role)).get(reverse("grievances:detail", args=[there.pk])).status_code == 404


@pytest.mark.parametrize("role", OFFICERS)
def test_list_holds_only_the_area(role, users, here_and_there, login):
    here, there = here_and_there
    page = login(getattr(users, role)).get(reverse("grievances:list")).content.decode()
    assert here.reference in page and there.reference not in page


def test_ministry_list_holds_the_nation(users, here_and_there, login):
    page = login(users.ministry).get(reverse("grievances:list")).content.decode()
    assert all(g.reference in page for g in here_and_there)


def test_worker_does_not_see_a_colleagues_grievance(world, users, make_user, lodge, login):
    colleague = make_user(Role.AWW, world.awc1)
    theirs = lodge(actor=colleague)
    client = login(users.aww)
    assert theirs.reference not in client.get(reverse("grievances:list")).content.decode()
    assert client.get(reverse("grievances:detail", args=[theirs.pk])).status_code == 404


def test_worker_sees_a_grievance_lodged_for_her(users, lodge, login):
    grievance = lodge(actor=users.supervisor, worker=users.aww)
    assert grievance.reference in login(users.aww).get(reverse("grievances:list")).content.decode()


def test_desk_queue_holds_own_desk_in_own_area(world, users, make_user, here_and_there, login):
    here, there = here_and_there
    page = login(users.cdpo).get(reverse("grievances:queue")).content.decode()
    assert here.reference in page and there.reference not in page
    other_cdpo = make_user(Role.CDPO, world.project2)
    assert here.reference not in login(other_cdpo).get(reverse("grievances:queue")).content.decode()


def test_desk_queue_leaves_out_other_desks(users, lodge, login):
    payment = lodge(category="payment")  # the DPO's desk
    assert payment.reference not in login(users.cdpo).get(reverse("grievances:queue")).content.decode()
    assert payment.reference in login(users.dpo).get(reverse("grievances:queue")).content.decode()


def test_desk_queue_shows_overdue_first(users, lodge):
    start = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False):
        supplies = lodge(category="supplies")  # 72 h
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        device = lodge(category="device")  # 120 h: due later
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        fresh = lodge(category="app")  # 72 h from a later start
    with time_machine.travel(start + dt.timedelta(hours=73), tick=False):
        queue = list(selectors.desk_queue(user=users.cdpo))
    assert [g.pk for g in queue] == [supplies.pk, fresh.pk, device.pk]
    assert [g.overdue for g in queue] == [True, False, False]


def test_assigned_officer_finds_it_in_her_queue(users, lodge, login):
    grievance = lodge()
    services.grievance_assign(actor=users.cdpo, grievance=grievance, officer=users.supervisor)
    page = login(users.supervisor).get(reverse("grievances:queue")).content.decode()
    assert grievance.reference in page and "assigned to you" in page


def test_screenshot_is_served_in_scope_only(world, users, make_user, lodge, login):
    shot = SimpleUploadedFile("s.png", image_bytes("PNG"), content_type="image/png")
    grievance = lodge(screenshot=shot)
    url = reverse("grievances:screenshot", args=[grievance.pk])
    response = login(users.cdpo).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(make_user(Role.CDPO, world.project2)).get(url).status_code == 404


def test_screenshot_has_no_public_media_url(users, lodge, login):
    shot = SimpleUploadedFile("s.png", image_bytes("PNG"), content_type="image/png")
    grievance = lodge(screenshot=shot)
    assert login(users.cdpo).get("/media/" + grievance.screenshot.name).status_code == 404


# --- the helpline: lodges for any AWC, sees nothing else ---------------------------------------------

def test_helpline_sees_only_the_grievances_it_recorded(world, users, lodge, login):
    recorded = lodge(actor=users.helpline, awc=world.awc6, caller_language="hi")
    workers_own = lodge()
    page = login(users.helpline).get(reverse("grievances:list")).content.decode()
    assert recorded.reference in page and workers_own.reference not in page


def test_helpline_cannot_open_other_grievances(users, lodge, login):
    other = lodge()
    assert login(users.helpline).get(reverse("grievances:detail", args=[other.pk])).status_code == 404


def test_helpline_can_open_what_it_recorded(world, users, lodge, login):
    recorded = lodge(actor=users.helpline, awc=world.awc3, caller_language="bn")
    assert login(users.helpline).get(reverse("grievances:detail", args=[recorded.pk])).status_code == 200


def test_helpline_api_lists_only_what_it_recorded(world, users, lodge, login):
    recorded = lodge(actor=users.helpline, awc=world.awc6, caller_language="hi")
    lodge()
    body = login(users.helpline).get("/api/v1/grievances/").json()
    assert [row["id"] for row in body["results"]] == [recorded.pk]


@pytest.mark.parametrize("url", ["grievances:queue", "grievances:figures", "training:library", "training:workers",
                                 "training:sessions", "training:counts", "anganwadi:staff"])
def test_helpline_has_no_other_pages(url, users, login):
    assert login(users.helpline).get(reverse(url)).status_code == 403


def test_helpline_holds_no_permission_on_beneficiary_data(users):
    perms = users.helpline.get_all_permissions()
    assert not [p for p in perms if p.split(".")[0] in {"beneficiaries", "growth", "thr_frs", "training"}]
    assert "grievances.lodge_by_phone" in perms


def test_helpline_may_not_move_a_grievance_along(world, users, lodge):
    recorded = lodge(actor=users.helpline, awc=world.awc1, caller_language="hi")
    with pytest.raises(PermissionDenied):
        services.grievance_start(actor=users.helpline, grievance=recorded)


def test_user_without_a_role_sees_no_grievance(here_and_there, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="long-enough-pass")
    assert selectors.grievances_visible_to(nobody).count() == 0


def test_officer_without_assignment_sees_nothing(world, here_and_there, make_user):
    dpo = make_user(Role.DPO, world.district1)
    dpo.assignment.delete()
    dpo = type(dpo).objects.get(pk=dpo.pk)
    assert selectors.grievances_visible_to(dpo).count() == 0

