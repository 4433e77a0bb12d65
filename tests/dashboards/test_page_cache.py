"""The dashboard body is kept per rollup version: a refresh shows on the next request, two areas never share an
entry, each language has its own, and a page whose rollup did not change is not computed again."""
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from poshan.core.roles import Level
from poshan.dashboards.models import AreaMonth, NutritionMonth
from poshan.dashboards.rollups.refresh import refresh_upper_levels

MONTH = date(2026, 11, 1)
CSRF_VALUE = re.compile(r'(?<=name="csrfmiddlewaretoken" )value="[^"]*"')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-12-04 06:00:00+00:00", tick=True):
        yield


def _awc_row(awc, sector, beneficiaries: int) -> None:
    """An AWC's rows as a refresh writes them (the levels above are then summed by refresh_upper_levels)."""
    AreaMonth.objects.filter(month=MONTH, level=Level.AWC, location=awc).delete()
    NutritionMonth.objects.filter(month=MONTH, level=Level.AWC, location=awc).delete()
    AreaMonth.objects.create(month=MONTH, level=Level.AWC, location=awc, parent=sector, awcs=1, days_open=20,
                             beneficiaries=beneficiaries, aadhaar_seeded=1,
                             refreshed_at=datetime(2026, 12, 1, 20, 40, tzinfo=UTC))
    NutritionMonth.objects.create(month=MONTH, level=Level.AWC, location=awc, parent=sector, children=10,
                                  weighed=8, stunting_n=2, stunting_d=8)


def _page(client, location=None, **params) -> str:
    url = reverse("dashboards:place", args=[location.pk]) if location else reverse("dashboards:home")
    response = client.get(url, {"month": "2026-11", **params})
    assert response.status_code == 200
    # Without the sign-out form's CSRF token: a random token once held "123" and failed a test that looks for figures.
    return CSRF_VALUE.sub('value=""', response.content.decode())


def test_a_refresh_shows_on_the_next_request(world, users, login):
    _awc_row(world.awc1, world.sector1, 123)
    refresh_upper_levels(MONTH)
    client = login(users.supervisor)
    first = _page(client)
    assert "123" in first and 'name="csrfmiddlewaretoken" value=""' in first  # the token left out, the figure in
    _awc_row(world.awc1, world.sector1, 456)  # the month counted again
    refresh_upper_levels(MONTH)
    page = _page(client)
    assert "456" in page and "123" not in page


def test_an_unchanged_rollup_is_not_computed_again(world, users, login, django_assert_max_num_queries):
    _awc_row(world.awc1, world.sector1, 123)
    refresh_upper_levels(MONTH)
    client = login(users.supervisor)
    _page(client)
    # Changed behind the rollup's back (no refresh): the kept page still shows what was counted.
    AreaMonth.objects.filter(month=MONTH, level=Level.SECTOR).update(beneficiaries=999)
    with django_assert_max_num_queries(6):  # session, user, assignment, place, version: no rollup rows read
        page = _page(client)
    assert "123" in page and "999" not in page


def test_two_areas_never_share_a_page(world, users, login, make_user):
    _awc_row(world.awc1, world.sector1, 123)
    _awc_row(world.awc3, world.sector2, 8765)
    refresh_upper_levels(MONTH)
    other = make_user("supervisor", world.sector2)
    first = _page(login(users.supervisor))
    second = _page(login(other))
    assert world.sector1.name in first and "123" in first and "8,765" not in first
    assert world.sector2.name in second and "8,765" in second and ">123<" not in second and "123 /" not in second
    # The same place seen from two areas: the project's CDPO and the district's DPO get their own breadcrumb.
    cdpo_page = _page(login(users.cdpo), world.sector1)
    dpo_page = _page(login(users.dpo), world.sector1)
    assert world.district1.name not in cdpo_page.split("</nav>")[0]
    assert world.project1.name in dpo_page.split("</nav>")[0]


def test_each_language_has_its_own_page(world, users, login):
    _awc_row(world.awc1, world.sector1, 123)
    refresh_upper_levels(MONTH)
    client = login(users.supervisor)
    english = _page(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    hindi = _page(client)
    assert "One level down" in english and "One level down" not in hindi
    assert 'lang="hi"' in hindi and hindi.count("123") >= 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "One level down" in _page(client)


def test_the_refresh_link_follows_the_role_not_the_kept_page(world, users, login):
    _awc_row(world.awc1, world.sector1, 123)
    refresh_upper_levels(MONTH)
    refresh = reverse("dashboards:refresh")
    assert refresh in _page(login(users.state), world.sector1)
    assert refresh not in _page(login(users.supervisor), world.sector1)


def test_a_kept_page_is_never_given_to_someone_outside_its_place(world, users, login, make_user):
    _awc_row(world.awc3, world.sector2, 8765)
    refresh_upper_levels(MONTH)
    assert "8,765" in _page(login(make_user("supervisor", world.sector2)), world.sector2)  # kept now
    # The scope is checked before the cache is read: sector1's supervisor gets a 404, not the kept page.
    response = login(users.supervisor).get(reverse("dashboards:place", args=[world.sector2.pk]), {"month": "2026-11"})
    assert response.status_code == 404 and b"8,765" not in response.content
