"""Every role sees its own area and nothing beside it; no assignment means nothing at all."""
import pytest
from django.urls import reverse

from anganwadi import selectors
from poshan.core.roles import Role
from tests.conftest import ROLE_HOME

AREA_ROLES = list(ROLE_HOME)


@pytest.mark.parametrize("role", AREA_ROLES)
def test_area_page_shows_own_location(role, world, users, login):
    home, _ = ROLE_HOME[role]
    location = getattr(world, home)
    response = login(getattr(users, role)).get(reverse("anganwadi:area", args=[location.pk]))
    assert response.status_code == 200
    assert location.name in response.content.decode()


@pytest.mark.parametrize("role", AREA_ROLES)
def test_area_page_of_sibling_is_not_found(role, world, users, login):
    _, sibling = ROLE_HOME[role]
    response = login(getattr(users, role)).get(reverse("anganwadi:area", args=[getattr(world, sibling).pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", AREA_ROLES)
def test_api_location_detail_own_and_sibling(role, world, users, login):
    home, sibling = ROLE_HOME[role]
    client = login(getattr(users, role))
    assert client.get(f"/api/v1/locations/{getattr(world, home).pk}/").status_code == 200
    assert client.get(f"/api/v1/locations/{getattr(world, sibling).pk}/").status_code == 404


@pytest.mark.parametrize("role", AREA_ROLES)
def test_api_location_list_holds_only_own_subtree(role, world, users, login):
    home, _ = ROLE_HOME[role]
    location = getattr(world, home)
    payload = login(getattr(users, role)).get("/api/v1/locations/?limit=500").json()
    ids = {row["id"] for row in payload["results"]}
    expected = set(selectors.locations_visible_to(getattr(users, role)).values_list("pk", flat=True))
    assert location.pk in ids
    assert ids == expected
    assert all(row["id"] == location.pk or row[location.level] == location.pk for row in payload["results"])


def test_awcs_visible_per_role(world, users):
    visible = {role: set(selectors.awcs_visible_to(getattr(users, role))) for role in AREA_ROLES + [Role.MINISTRY]}
    assert visible[Role.AWW] == {world.awc1}
    assert visible[Role.SUPERVISOR] == {world.awc1, world.awc2}
    assert visible[Role.CDPO] == {world.awc1, world.awc2, world.awc3}
    assert visible[Role.DPO] == {world.awc1, world.awc2, world.awc3, world.awc4}
    assert visible[Role.STATE] == {world.awc1, world.awc2, world.awc3, world.awc4, world.awc5}
    assert visible[Role.MINISTRY] == {world.awc1, world.awc2, world.awc3, world.awc4, world.awc5, world.awc6}


def test_user_without_assignment_sees_nothing(world, make_user, login):
    user = make_user(Role.DPO, world.district1)
    user.assignment.delete()
    user = type(user).objects.get(pk=user.pk)
    client = login(user)
    assert selectors.awcs_visible_to(user).count() == 0
    assert client.get("/api/v1/locations/").json()["count"] == 0
    assert client.get(reverse("anganwadi:area", args=[world.district1.pk])).status_code == 404
    assert "no assigned area" in client.get(reverse("anganwadi:my_area")).content.decode()


def test_user_without_role_sees_nothing(world, django_user_model, login):
    user = django_user_model.objects.create_user("norole", password="x-very-long-pass")
    client = login(user)
    assert selectors.awcs_visible_to(user).count() == 0
    assert client.get("/api/v1/locations/").status_code == 403
    assert client.get(reverse("anganwadi:area", args=[world.state1.pk])).status_code == 403


def test_assignment_at_wrong_level_fails_closed(world, make_user):
    user = make_user(Role.SUPERVISOR, world.sector1)
    type(user.assignment).objects.filter(pk=user.assignment.pk).update(location=world.district1)
    user = type(user).objects.get(pk=user.pk)
    assert selectors.user_area(user) is None
    assert selectors.awcs_visible_to(user).count() == 0


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("anganwadi:area", args=[world.state1.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get("/api/v1/locations/").status_code in (401, 403)


def test_scope_q_filters_rows_through_their_awc(world, users, make_user):
    """Rows tied to an AWC (here: staff assignments) are filtered through the AWC's ancestors."""
    from anganwadi.models import StaffAssignment

    make_user(Role.AWW, world.awc4)
    make_user(Role.AWW, world.awc6)
    rows = StaffAssignment.objects.filter(location__level="awc")
    in_scope = {a.location for a in selectors.scope_queryset(rows, users.dpo, awc_field="location")}
    assert in_scope == {world.awc1, world.awc4}
    assert {a.location for a in selectors.scope_queryset(rows, users.aww, awc_field="location")} == {world.awc1}


def test_staff_in_area_lists_only_own_area(world, users, make_user, login):
    outsider = make_user(Role.AWW, world.awc6)
    insider = make_user(Role.AWW, world.awc3)
    page = login(users.dpo).get(reverse("anganwadi:staff")).content.decode()
    assert insider.username in page
    assert outsider.username not in page
    assert login(users.aww).get(reverse("anganwadi:staff")).status_code == 403
