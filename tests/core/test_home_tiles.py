"""The home page offers only what its user can open: every tile's page answers that user, never with 403."""
from __future__ import annotations

import pytest

from poshan.core.roles import Role
from poshan.core.views import home_tiles

pytestmark = pytest.mark.django_db


def _refused_tiles(login, user) -> dict[str, int]:
    client = login(user)
    home = client.get("/")
    assert home.status_code == 200
    urls = [tile["url"] for tile in home_tiles(user)]
    assert urls and all(url in home.content.decode() for url in urls)
    answers = {url: client.get(url).status_code for url in urls}
    return {url: status for url, status in answers.items() if status >= 400}


@pytest.mark.parametrize("role", [Role.AWW, Role.AWH, Role.SUPERVISOR, Role.CDPO, Role.DPO, Role.STATE,
                                  Role.MINISTRY, Role.HELPLINE, Role.ADMIN])
def test_every_tile_on_a_roles_home_opens_for_it(login, users, role):
    assert _refused_tiles(login, getattr(users, str(role))) == {}


def test_an_administrator_with_every_permission_is_not_offered_a_centre_workers_pages(login, make_user):
    """A superuser holds every permission, but the day's forms are for a centre's own worker: the tiles of the
    pages that answer "not assigned to a centre" are not shown to her."""
    admin = make_user(Role.ADMIN, None)
    admin.is_staff = admin.is_superuser = True  # as the demo's administrator (poshan.demo.world) and createsuperuser
    admin.save(update_fields=["is_staff", "is_superuser"])
    assert admin.has_perm("anganwadi.add_awcday")
    assert _refused_tiles(login, admin) == {}
    urls = {tile["url"] for tile in home_tiles(admin)}
    assert "/centre/today/" not in urls and "/beneficiaries/attendance/" not in urls
    assert "/audit/" in urls  # what she is for stays
