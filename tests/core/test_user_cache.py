"""Permissions and the staff assignment are kept between requests and API calls, and a change to either shows on
the very next one."""
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import remove_perm

from anganwadi.charge.models import HOLD_CHARGE_PERM
from anganwadi.charge.services import charge_grant
from anganwadi.models import AdditionalCharge, StaffAssignment
from anganwadi.services import staff_assign
from poshan.core.roles import group_name
from poshan.core.tokens import api_token_issue


def _tables(ctx) -> str:
    return " ".join(q["sql"] for q in ctx.captured_queries)


def test_a_second_request_reads_no_permissions_and_no_assignment(users, login):
    client = login(users.aww)
    assert client.get(reverse("anganwadi:today")).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("anganwadi:today")).status_code == 200
    assert "auth_permission" not in _tables(ctx)
    assert "anganwadi_staffassignment" not in _tables(ctx)


def test_a_new_role_shows_on_the_next_request(users, login, world):
    client = login(users.aww)
    assert client.get(reverse("anganwadi:today")).status_code == 200
    # As the admin's user form does (staff_assign refuses a new role with a new level in one call: it checks the
    # place against the role still stored).
    user = users.aww
    user.role = "supervisor"
    user.save(update_fields=["role"])
    StaffAssignment.objects.filter(user=user).update(location=world.sector1)  # no signal: the role's stamp does it
    user.groups.set([Group.objects.get(name=group_name("supervisor"))])
    assert client.get(reverse("anganwadi:today")).status_code == 403
    page = client.get(reverse("dashboards:home")).content.decode()
    assert world.sector1.name in page


def test_a_new_place_shows_on_the_next_request(users, login, world):
    client = login(users.supervisor)
    assert world.sector1.name in client.get(reverse("dashboards:home")).content.decode()
    staff_assign(actor=users.admin, user=users.supervisor, role="supervisor", location=world.sector2)
    page = client.get(reverse("dashboards:home")).content.decode()
    assert world.sector2.name in page and world.sector1.name not in page
    assert client.get(reverse("dashboards:place", args=[world.awc1.pk])).status_code == 404


def test_a_permission_taken_from_a_role_shows_on_the_next_request(users, login):
    client = login(users.aww)
    assert client.get(reverse("anganwadi:today")).status_code == 200
    group = Group.objects.get(name=group_name("aww"))
    group.permissions.remove(Permission.objects.get(codename="add_awcday", content_type__app_label="anganwadi"))
    assert client.get(reverse("anganwadi:today")).status_code == 403


def test_a_switched_off_user_is_refused_at_once(users, login):
    client = login(users.aww)
    assert client.get(reverse("anganwadi:today")).status_code == 200
    users.aww.is_active = False
    users.aww.save(update_fields=["is_active"])
    assert client.get(reverse("anganwadi:today")).status_code != 200


@pytest.mark.django_db
def test_an_api_token_sees_a_new_place_on_the_next_call(users, world):
    _, token = api_token_issue(user=users.supervisor)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def codes():
        rows = api.get("/api/v1/locations/", {"limit": 500}).json()
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        return {row["id"] for row in rows}

    assert world.awc1.pk in codes() and world.awc3.pk not in codes()
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/locations/")
    assert "anganwadi_staffassignment" not in _tables(ctx) and "auth_permission" not in _tables(ctx)
    staff_assign(actor=users.admin, user=users.supervisor, role="supervisor", location=world.sector2)
    assert world.awc3.pk in codes() and world.awc1.pk not in codes()


def test_additional_charge_given_and_taken_shows_on_the_next_request_then_is_kept_again(users, login, world):
    """The worker's kept area holds the places she holds on additional charge: a grant or its end (or a guardian
    permission given or taken outside the service) forgets it, and the request after reads nothing again."""
    holder = staff_assign(actor=users.admin, user=users.aww, role="aww", location=world.awc2).user
    client = login(holder)
    place = reverse("dashboards:place", args=[world.awc1.pk])
    assert client.get(place).status_code == 404
    charge_grant(actor=users.cdpo, holder=holder, location=world.awc1, start=timezone.localdate(), end=timezone.localdate(),
                 reason="Vacant")
    assert client.get(place).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(place).status_code == 200
    assert "anganwadi_additionalcharge" not in _tables(ctx) and "anganwadi_staffassignment" not in _tables(ctx)
    remove_perm(HOLD_CHARGE_PERM, holder, world.awc1)  # by hand: the grant's row alone opens nothing
    assert AdditionalCharge.objects.filter(holder=holder).exists()
    assert client.get(place).status_code == 404


def test_a_first_call_reads_the_permissions_in_one_statement_and_the_area_in_one(users, world):
    """Cache cold (a worker's first call of the day, or one after an hour): her permissions (her own and her
    role's) in one statement, her assignment and place in one (a held charge read only when there is one). Before:
    two statements each."""
    from django.core.cache import cache

    from anganwadi.selectors import user_area

    _, token = api_token_issue(user=users.aww)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/home-visits/").status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len([sql for sql in statements if 'FROM "auth_permission"' in sql]) == 1, "\n".join(statements)
    area = [sql for sql in statements if "anganwadi_staffassignment" in sql or "anganwadi_additionalcharge" in sql]
    assert len(area) == 1, "\n".join(statements)
    worker = type(users.aww).objects.get(pk=users.aww.pk)
    granted = Permission.objects.filter(Q(user=worker) | Q(group__user=worker)).values_list(
        "content_type__app_label", "codename")
    assert worker.get_all_permissions() == {f"{app}.{codename}" for app, codename in granted} != set()
    holder = users.aww
    charge_grant(actor=users.cdpo, holder=holder, location=world.awc2, start=timezone.localdate(),
                 end=timezone.localdate(), reason="Vacant")
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/home-visits/").status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    area = [sql for sql in statements if "anganwadi_staffassignment" in sql or "anganwadi_additionalcharge" in sql]
    assert len(area) == 2, "\n".join(statements)  # the charge held: read, with its place
    fresh = type(holder).objects.get(pk=holder.pk)
    cache.clear()
    assert [place.pk for place in user_area(fresh).charged()] == [world.awc2.pk]
