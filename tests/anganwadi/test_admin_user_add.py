"""The admin's "Add user" page takes username, password, role and location together and saves in one go."""
import re

import pytest

from anganwadi.models import StaffAssignment
from poshan.core.models import AuditEvent, User
from poshan.core.roles import Role, group_name

ADD_URL = "/admin/core/user/add/"
PASSWORD = "Kh3ti-badi-2026!"


def _post(client, **fields):
    data = {"username": "new_supervisor", "password1": PASSWORD, "password2": PASSWORD, "_save": "Save"}
    data.update(fields)
    return client.post(ADD_URL, data)


def test_add_page_offers_role_and_location(users, login):
    page = login(users.admin).get(ADD_URL).content.decode()
    for name in ("username", "password1", "password2", "role", "location"):
        assert re.search(rf'name="{name}"', page), name


def test_admin_adds_a_supervisor_with_role_and_sector_in_one_save(world, users, login):
    response = _post(login(users.admin), role=Role.SUPERVISOR, location=world.sector1.pk)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_supervisor")
    assert user.role == Role.SUPERVISOR and user.check_password(PASSWORD)
    assert user.assignment.location == world.sector1
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.SUPERVISOR)]
    assert not user.is_staff  # only admins work in the Django admin
    audited = AuditEvent.objects.filter(actor=users.admin, object_type="core.user", object_id=str(user.pk))
    assert set(audited.values_list("action", flat=True)) == {"create", "update"}


def test_admin_adds_a_nation_wide_helpline_operator_without_location(world, users, login):
    response = _post(login(users.admin), username="new_helpline", role=Role.HELPLINE, location="")
    assert response.status_code == 302
    user = User.objects.get(username="new_helpline")
    assert user.role == Role.HELPLINE and user.assignment.location is None


def test_added_admin_may_use_the_django_admin(world, users, login):
    assert _post(login(users.admin), username="new_admin", role=Role.ADMIN, location="").status_code == 302
    assert User.objects.get(username="new_admin").is_staff


@pytest.mark.parametrize(("role", "where", "message"), [
    (Role.AWW, "sector1", "A Anganwadi worker is assigned to a Anganwadi centre."),
    (Role.MINISTRY, "state1", "A Ministry is assigned to a Nation."),
    (Role.DPO, None, "A DPO / district coordinator is assigned to a District."),
])
def test_location_that_does_not_fit_the_role_is_refused_with_the_models_message(role, where, message, world, users,
                                                                                 login):
    location = getattr(world, where).pk if where else ""
    response = _post(login(users.admin), role=role, location=location)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="new_supervisor").exists()
    assert not StaffAssignment.objects.filter(user__username="new_supervisor").exists()


def test_role_is_required_on_the_add_page(world, users, login):
    response = _post(login(users.admin), role="", location=world.sector1.pk)
    assert response.status_code == 200
    assert not User.objects.filter(username="new_supervisor").exists()
    assert "This field is required." in response.content.decode()


def test_service_still_refuses_a_location_without_a_role(world):
    from django.core.exceptions import ValidationError

    user = User.objects.create(username="no_role")
    with pytest.raises(ValidationError, match="Give the user a role before assigning a location."):
        StaffAssignment(user=user, location=world.sector1).full_clean(exclude=["user"])


def test_location_box_finds_places_by_name_for_the_admin(world, users, login):
    response = login(users.admin).get("/admin/autocomplete/", {
        "app_label": "anganwadi", "model_name": "staffassignment", "field_name": "location",
        "term": world.sector1.name})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {str(world.sector1.pk)}
