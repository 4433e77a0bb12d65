"""A supervisor's visit round-trips with its action list (the next visit shows and closes the items), the VHSND,
the sector view of visits due and done; each scoped to the officer's area and a fixed number of queries."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from poshan.core.models import AuditEvent
from poshan.supervision import rules
from poshan.supervision.models import ActionItem, Vhsnd, Visit
from tests.factories import LocationFactory

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def visit_post(on: date, *, actions: dict[int, str] = (), new: list[tuple[str, str, str]] = (), failing=()) -> dict:
    data = {"on": on.isoformat(), "findings": "Registers checked with the worker."}
    for item in rules.CHECKLIST:
        data[f"check_{item}"] = "no" if item in failing else "yes"
        data[f"note_{item}"] = "scale broken" if item in failing else ""
    for pk, outcome in dict(actions).items():
        data[f"action_{pk}"] = outcome
    for i, (text, owner, due) in enumerate(new):
        data.update({f"new_{i}_text": text, f"new_{i}_owner": owner, f"new_{i}_due": due})
    return data


def test_a_visit_round_trips_and_the_next_visit_closes_its_actions(world, users, login):
    client = login(users.supervisor)
    url = reverse("supervision:visit_new", args=[world.awc1.pk])
    first = client.post(url, visit_post(date(2026, 11, 2), failing={"growth_devices_working"}, new=[
        ("Get the infantometer repaired", "cdpo", "2026-11-15"), ("Update the THR register", "aww", "2026-11-10")]))
    assert first.status_code == 302
    visit = Visit.objects.get(awc=world.awc1)
    assert {c.item: c.ok for c in visit.checks.all()}["growth_devices_working"] is False
    page = client.get(reverse("supervision:centre", args=[world.awc1.pk])).content.decode()
    assert "Get the infantometer repaired" in page and "Update the THR register" in page and "scale broken" in page

    # The next visit shows both actions and must say of each whether it was done.
    form = client.get(url).content.decode()
    assert "Get the infantometer repaired" in form and "Update the THR register" in form
    repair, register = ActionItem.objects.filter(awc=world.awc1).order_by("pk")
    missing = client.post(url, visit_post(date(2026, 11, 18), actions={register.pk: "done"}))
    assert missing.status_code == 400 and Visit.objects.count() == 1
    second = client.post(url, visit_post(date(2026, 11, 18), actions={repair.pk: "not_done", register.pk: "done"}))
    assert second.status_code == 302
    repair.refresh_from_db(), register.refresh_from_db()
    assert register.status == ActionItem.Status.DONE and repair.status == ActionItem.Status.NOT_DONE
    carried = ActionItem.objects.get(status=ActionItem.Status.OPEN)
    assert carried.carried_from == repair and carried.text == repair.text and carried.raised_in.on == date(2026, 11, 18)
    assert list(client.get(url).context["form"].open_actions) == [carried]
    assert AuditEvent.objects.filter(object_type="supervision.actionitem", action="update").count() == 2


def test_an_action_cannot_fall_due_before_its_visit(world, users, login):
    response = login(users.supervisor).post(reverse("supervision:visit_new", args=[world.awc1.pk]), visit_post(
        date(2026, 11, 18), new=[("Repair", "aww", "2026-11-01")]))
    assert response.status_code == 400 and not Visit.objects.exists()
    assert "An action cannot be due before the visit." in response.content.decode()


def test_a_half_filled_action_row_is_refused(world, users, login):
    response = login(users.supervisor).post(reverse("supervision:visit_new", args=[world.awc1.pk]), visit_post(
        date(2026, 11, 18), new=[("Repair", "", "")]))
    assert response.status_code == 400 and not Visit.objects.exists()


def test_vhsnd_is_recorded_once_a_day_with_its_services(world, users, login):
    client = login(users.supervisor)
    url = reverse("supervision:vhsnd_new", args=[world.awc1.pk])
    data = {"on": "2026-11-19", "services": ["immunisation", "growth_monitoring"], "children_referred": "2",
            "anm_present": "on"}
    assert client.post(url, data).status_code == 302
    day = Vhsnd.objects.get()
    assert day.services == ["immunisation", "growth_monitoring"] and day.children_referred == 2
    assert client.post(url, data).status_code == 400 and Vhsnd.objects.count() == 1
    page = client.get(reverse("supervision:centre", args=[world.awc1.pk])).content.decode()
    assert "Immunisation" in page and "2 children referred" in page


def test_a_supervisor_sees_and_visits_only_her_sector(world, users, login):
    client = login(users.supervisor)
    page = client.get(reverse("supervision:sector")).content.decode()
    assert world.awc1.name in page and world.awc2.name in page and world.awc3.name not in page
    assert client.get(reverse("supervision:centre", args=[world.awc3.pk])).status_code == 404
    assert client.post(reverse("supervision:visit_new", args=[world.awc3.pk]),
                       visit_post(date(2026, 11, 18))).status_code == 404
    assert not Visit.objects.exists()


def test_a_cdpo_reads_her_project_but_records_no_visit(world, users, login):
    client = login(users.cdpo)
    page = client.get(reverse("supervision:sector")).content.decode()
    assert world.awc1.name in page and world.awc3.name in page and world.awc4.name not in page
    assert client.get(reverse("supervision:centre", args=[world.awc4.pk])).status_code == 404
    assert client.post(reverse("supervision:visit_new", args=[world.awc1.pk]),
                       visit_post(date(2026, 11, 18))).status_code == 403


def test_a_worker_has_no_supervision_pages(world, users, login):
    assert login(users.aww).get(reverse("supervision:sector")).status_code == 403


def test_the_sector_view_says_which_centres_still_need_their_visit(world, users, login):
    Visit.objects.create(awc=world.awc1, on=date(2026, 11, 3), supervisor=users.supervisor)
    Visit.objects.create(awc=world.awc2, on=date(2026, 10, 28), supervisor=users.supervisor)
    rows = {row.awc: row for row in login(users.supervisor).get(reverse("supervision:sector")).context["rows"]}
    assert (rows[world.awc1].visits_this_month, rows[world.awc1].visits_short) == (1, 0)
    assert (rows[world.awc2].visits_this_month, rows[world.awc2].visits_short) == (0, 1)
    assert rows[world.awc2].last_visit == date(2026, 10, 28)


def test_the_sector_view_costs_the_same_for_5_or_40_centres(world, users, login, django_assert_max_num_queries):
    client = login(users.cdpo)
    client.get(reverse("supervision:sector"))  # warm the user's permissions and area
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("supervision:sector"))
    baseline = len(few.captured_queries)
    for i in range(35):
        awc = LocationFactory(level="awc", parent=world.sector1 if i % 2 else world.sector2)
        visit = Visit.objects.create(awc=awc, on=date(2026, 11, 3), supervisor=users.supervisor)
        ActionItem.objects.create(awc=awc, raised_in=visit, text="x", owner="aww", due_on=date(2026, 11, 30))
        Vhsnd.objects.create(awc=awc, on=date(2026, 11, 4), services=["thr"], recorded_by=users.supervisor)
    client.get(reverse("supervision:sector"))  # new places: the area kept between requests is read again once
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("supervision:sector"))
    assert len(response.context["rows"]) == 38


def test_the_centre_page_costs_the_same_for_one_or_many_visits(world, users, login, django_assert_max_num_queries):
    client = login(users.supervisor)
    url = reverse("supervision:centre", args=[world.awc1.pk])
    first = Visit.objects.create(awc=world.awc1, on=date(2026, 11, 1), supervisor=users.supervisor)
    ActionItem.objects.create(awc=world.awc1, raised_in=first, text="x", owner="aww", due_on=date(2026, 11, 30))
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for day in range(2, 9):
        visit = Visit.objects.create(awc=world.awc1, on=date(2026, 11, day), supervisor=users.supervisor)
        ActionItem.objects.create(awc=world.awc1, raised_in=visit, text="x", owner="aww", due_on=date(2026, 11, 30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
