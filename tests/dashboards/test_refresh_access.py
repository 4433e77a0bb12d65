"""Who may recount the dashboard figures: admin, ministry (the nation) and state officials (their own state)."""
from datetime import date

import pytest
from django.urls import reverse

from poshan.dashboards.models import AreaMonth, RollupRun
from poshan.core.roles import Level

MONTH = "2026-11"


@pytest.mark.parametrize("role", ["ministry", "state", "admin"])
def test_officials_who_run_reports_may_open_the_refresh_page(role, users, login):
    response = login(getattr(users, role)).get(reverse("dashboards:refresh"))
    assert response.status_code == 200
    assert "Refresh this month" in response.content.decode()


@pytest.mark.parametrize("role", ["aww", "supervisor", "cdpo", "dpo", "helpline"])
def test_other_roles_may_not_refresh(role, users, login):
    client = login(getattr(users, role))
    assert client.get(reverse("dashboards:refresh")).status_code == 403
    assert client.post(reverse("dashboards:refresh"), {"month": MONTH}).status_code == 403
    assert not RollupRun.objects.exists()


def test_a_state_officials_refresh_recounts_her_state_only(world, users, login):
    response = login(users.state).post(reverse("dashboards:refresh"), {"month": MONTH})
    run = RollupRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dashboards:refresh_run", args=[run.pk])
    assert (run.location, run.status, run.awcs_total) == (world.state1, RollupRun.Status.DONE, 5)
    counted = set(AreaMonth.objects.filter(month=date(2026, 11, 1), level=Level.AWC).values_list("location", flat=True))
    assert counted == {world.awc1.pk, world.awc2.pk, world.awc3.pk, world.awc4.pk, world.awc5.pk}
    page = login(users.state).get(reverse("dashboards:refresh_run", args=[run.pk])).content.decode()
    assert world.state1.name in page


def test_a_state_official_does_not_see_another_states_refresh(world, users, login, make_user):
    other = make_user("state", world.state2)
    login(other).post(reverse("dashboards:refresh"), {"month": MONTH})
    run = RollupRun.objects.get()
    assert run.location == world.state2
    client = login(users.state)
    assert client.get(reverse("dashboards:refresh_run", args=[run.pk])).status_code == 404
    assert reverse("dashboards:refresh_run", args=[run.pk]) not in client.get(reverse("dashboards:refresh")).content.decode()


def test_the_ministry_recounts_the_nation(world, users, login):
    login(users.ministry).post(reverse("dashboards:refresh"), {"month": MONTH})
    run = RollupRun.objects.get()
    assert (run.location, run.awcs_total) == (None, 6)
    assert AreaMonth.objects.filter(month=date(2026, 11, 1), level=Level.NATION).exists()
