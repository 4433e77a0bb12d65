"""What a signed-in page tells the service worker to fetch ahead (only pages this user may open),
and a refused page (403) logged as one line, never a traceback."""
from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.urls import reverse

from poshan.core import pwa, views
from poshan.core.roles import Role

DAILY = {"/centre/today/", "/beneficiaries/attendance/"}


def test_the_daily_pages_are_fetched_ahead_only_for_the_centre_worker(users):
    assert DAILY <= set(pwa.sw_config()["warm"])  # what the worker may ever fetch ahead
    assert set(pwa.warm_urls(users.aww)) == {reverse("home"), *DAILY}
    for role in (Role.SUPERVISOR, Role.CDPO, Role.DPO, Role.STATE, Role.MINISTRY, Role.ADMIN, Role.HELPLINE):
        assert pwa.warm_urls(getattr(users, str(role))) == [reverse("home")], role


@pytest.mark.parametrize("role", [Role.AWW, Role.SUPERVISOR, Role.DPO, Role.MINISTRY, Role.HELPLINE])
def test_each_page_tells_the_worker_what_to_fetch_ahead(login, users, role):
    user = getattr(users, str(role))
    page = login(user).get(reverse("home")).content.decode()
    said = re.search(r'data-warm="([^"]*)"', page).group(1).split()
    assert said == pwa.warm_urls(user)


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(login, users, caplog):
    client = login(users.supervisor)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/centre/today/").status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    line = formatter.format(refused[0])
    assert "/centre/today/" in line and "Forbidden" in line
    assert "\n" not in line and "Traceback" not in line and "PermissionDenied" not in line
    assert refused[0].exc_info is None


def test_a_server_error_still_logs_its_traceback(login, users, caplog, monkeypatch):
    """Only refusals lose their traceback: a crash keeps it."""
    client = login(users.aww)
    client.raise_request_exception = False
    monkeypatch.setattr(views, "home_tiles", lambda user: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert client.get(reverse("home")).status_code == 500
    crashed = [r for r in caplog.records if r.name == "django.request"]
    assert crashed and crashed[0].exc_info is not None


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_kind_of_entry_kept_on_the_phone_is_named_in_the_workers_language(login, users, language):
    """The queue's list and its "sent and saved" line name each entry for the worker, never by its batch type
    (a follow-up weighing kept offline read "case_followup · 2026-12-05" to a Hindi worker)."""
    client = login(users.aww)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("home")).content.decode()
    named = dict(re.findall(r'data-k-([a-z_]+)="([^"]*)"', page))
    kinds = {kind for _name, _pk, types in pwa.DAILY_FORMS for kind in types}
    assert kinds <= set(named), kinds - set(named)
    for kind in kinds:
        assert named[kind] and named[kind] != kind
        if language == "hi":
            assert not re.search(r"[A-Za-z]{4,}", named[kind].replace("ECCE", "")), (kind, named[kind])
