"""API tokens expire like sessions (30 idle minutes, an absolute limit), die at logout, and an admin can revoke
a user's tokens."""
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from poshan.core.models import AuditEvent
from tests.factories import TEST_PASSWORD

IDLE = timedelta(minutes=30)


def _token(user) -> str:
    response = Client().post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(token):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_from_the_endpoint_works_and_says_when_it_ends(users):
    response = Client().post("/api/v1/auth/token/", {"username": users.aww.username, "password": TEST_PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200 and response.json()["expiry"]
    assert _me(response.json()["token"]).json()["username"] == users.aww.username


def test_a_token_unused_for_30_minutes_no_longer_works(users):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = _token(users.aww)
        traveller.shift(IDLE + timedelta(minutes=1))
        assert _me(token).status_code in (401, 403)


def test_an_api_call_reads_only_the_token_used_and_a_new_token_sweeps_the_expired_ones(users):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        old = _token(users.aww)
        traveller.shift(IDLE + timedelta(minutes=1))
        token = _token(users.aww)  # the old one, expired, is deleted now
        assert AuthToken.objects.filter(user=users.aww).count() == 1
        _me(token)
        with CaptureQueriesContext(connection) as ctx:
            assert _me(token).status_code == 200
        assert sum("knox_authtoken" in q["sql"] for q in ctx.captured_queries) == 1
        assert _me(old).status_code in (401, 403)


def test_a_token_in_use_lives_on_but_not_past_its_absolute_limit(users, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "AUTO_REFRESH_MAX_TTL": timedelta(hours=2)}
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = _token(users.aww)
        for _ in range(5):  # a request every 20 minutes for 100 minutes: still signed in
            traveller.shift(timedelta(minutes=20))
            assert _me(token).status_code == 200
        for _ in range(2):  # and at 2 hours, however busy, the worker signs in again
            traveller.shift(timedelta(minutes=15))
        assert _me(token).status_code in (401, 403)


def test_signing_out_of_the_portal_ends_the_users_tokens(users, login):
    token = _token(users.aww)
    other = _token(users.supervisor)
    client = login(users.aww)
    assert client.post(reverse("logout")).status_code == 302
    assert _me(token).status_code in (401, 403)
    assert _me(other).status_code == 200  # another user's token is hers


def test_signing_out_through_the_api_ends_the_users_tokens(users):
    token, second = _token(users.aww), _token(users.aww)
    response = Client().post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204
    assert _me(token).status_code in (401, 403) and _me(second).status_code in (401, 403)


def test_an_admin_revokes_a_users_tokens(users, login):
    token = _token(users.aww)
    admin = login(users.admin)
    response = admin.post(reverse("admin:core_user_changelist"),
                          {"action": "revoke_api_tokens", "_selected_action": [users.aww.pk]})
    assert response.status_code == 302
    assert _me(token).status_code in (401, 403)
    event = AuditEvent.objects.filter(actor=users.admin, action="delete", object_type="core.user").get()
    assert event.object_id == str(users.aww.pk) and event.fields == ["api_tokens"]


def test_the_token_is_not_kept_readable_in_the_database(users):
    from knox.models import AuthToken

    token = _token(users.aww)
    stored = AuthToken.objects.get(user=users.aww)
    assert token not in {stored.digest, stored.token_key} and stored.digest


@pytest.mark.parametrize("header", ["Token", "Token abc", "Token a b", "Token " + "x" * 200])
def test_a_bad_token_is_refused_without_a_server_error(header, db):
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=header).status_code in (401, 403)
