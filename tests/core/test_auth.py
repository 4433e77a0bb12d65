"""Signing in and out on a shared phone: lockout, idle expiry, headers that leave nothing behind."""
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from poshan.core.models import AuditEvent
from tests.factories import TEST_PASSWORD


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_login_with_right_password_lands_on_home_and_is_audited(users, client):
    response = _post_login(client, users.aww.username, TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(actor=users.aww, action="login").exists()


def test_wrong_password_shows_a_clear_message(users, client):
    response = _post_login(client, users.aww.username, "wrong-password")
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_lockout_after_repeated_failures_even_with_the_right_password(users, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, users.aww.username, "wrong-password")
    response = _post_login(client, users.aww.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_clears_site_data_and_session(users, login):
    client = login(users.aww)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get(reverse("home")).status_code == 302  # back to the login page
    assert AuditEvent.objects.filter(actor=users.aww, action="logout").exists()


def test_logout_by_get_is_refused(users, login):
    assert login(users.aww).get(reverse("logout")).status_code == 405


def test_pages_for_signed_in_users_are_not_stored(users, login):
    response = login(users.aww).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_ends_after_idle_time_but_not_while_active(users, client, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert _post_login(client, users.aww.username, TEST_PASSWORD).status_code == 302
        for _ in range(3):  # active: a request every 2/3 of the idle time keeps the session
            traveller.shift(idle * 2 / 3)
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(idle + timedelta(seconds=5))
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("width_rule", ["width=device-width"])
def test_pages_are_made_for_phones(width_rule, client, db):
    assert width_rule in client.get(reverse("login")).content.decode()
