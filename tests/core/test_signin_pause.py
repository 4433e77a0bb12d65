"""Signing in behind the HTTPS proxy: the client's own address (X-Forwarded-For believed only from the trusted
proxies), a lockout per username and address, and a pause per address that slows guessing without shutting
other users out."""
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from poshan.core import signin
from poshan.core.models import AuditEvent
from tests.factories import TEST_PASSWORD

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def _login(client, username, password, *, peer=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_the_audit_log_records_the_client_behind_a_trusted_proxy(users, behind_proxy):
    assert _login(Client(), users.aww.username, TEST_PASSWORD, forwarded="203.0.113.7").status_code == 302
    assert AuditEvent.objects.get(actor=users.aww, action="login").ip == "203.0.113.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(users, behind_proxy):
    """A client talking to the app directly cannot choose its address (to escape a pause or to blame another)."""
    response = _login(Client(), users.aww.username, TEST_PASSWORD, peer="198.51.100.20", forwarded="203.0.113.7")
    assert response.status_code == 302
    assert AuditEvent.objects.get(actor=users.aww, action="login").ip == "198.51.100.20"


def test_a_spoofed_forwarded_for_cannot_dodge_the_pause(users, behind_proxy):
    for n in range(signin.ADDRESS_FREE_FAILURES + 1):
        _login(Client(), f"guess{n}", "Password@123", peer="198.51.100.21", forwarded=f"203.0.113.{n}")
    refused = _login(Client(), users.aww.username, TEST_PASSWORD, peer="198.51.100.21", forwarded="203.0.113.99")
    assert refused.status_code == 429


def test_thirty_failures_behind_the_proxy_leave_other_clients_free(users, behind_proxy):
    for n in range(30):
        assert _login(Client(), f"guess{n}", "Password@123", forwarded="203.0.113.7").status_code in (200, 429)
    response = _login(Client(), users.aww.username, TEST_PASSWORD, forwarded="198.51.100.9")
    assert response.status_code == 302


def test_the_lockout_per_username_counts_the_client_not_the_proxy(users, behind_proxy, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), users.aww.username, "wrong-password", forwarded="203.0.113.8")
    assert _login(Client(), users.aww.username, TEST_PASSWORD, forwarded="203.0.113.8").status_code == 429
    assert _login(Client(), users.aww.username, TEST_PASSWORD, forwarded="198.51.100.10").status_code == 302


def test_thirty_failures_from_one_shared_address_slow_it_down_but_shut_no_one_out(users):
    """Many workers behind one mobile operator's address: a guesser there is slowed to one try a minute, and a
    worker with her right password waits at most that minute, not 30 minutes."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        failures = 0
        while failures < 30:
            response = _login(Client(), f"guess{failures}", "Password@123", peer="100.64.0.9")
            if response.status_code == 429:
                traveller.shift(timedelta(seconds=int(response["Retry-After"])))
            else:
                assert response.status_code == 200
                failures += 1
        waiting = _login(Client(), users.aww.username, TEST_PASSWORD, peer="100.64.0.9")
        assert waiting.status_code == 429
        assert 0 < int(waiting["Retry-After"]) <= signin.ADDRESS_MAX_DELAY
        assert "seconds" in waiting.content.decode()
        traveller.shift(timedelta(seconds=int(waiting["Retry-After"])))
        assert _login(Client(), users.aww.username, TEST_PASSWORD, peer="100.64.0.9").status_code == 302


def test_the_pause_per_address_rises_with_each_failure(users):
    client = Client()
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(signin.ADDRESS_FREE_FAILURES):
            assert _login(client, f"guess{n}", "Password@123", peer="100.64.0.10").status_code == 200
        for n in range(4):
            assert _login(client, f"more{n}", "Password@123", peer="100.64.0.10").status_code == 200
            refused = _login(client, f"more{n}", "Password@123", peer="100.64.0.10")
            assert refused.status_code == 429
            waits.append(int(refused["Retry-After"]))
            traveller.shift(timedelta(seconds=waits[-1]))
    assert waits == sorted(waits) and waits[0] < waits[-1]


def _spray(address, n=30):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        failures = 0
        while failures < n:
            response = _login(Client(), f"guess{failures}", "Password@123", peer=address)
            if response.status_code == 429:
                traveller.shift(timedelta(seconds=int(response["Retry-After"])))
            else:
                failures += 1


def test_a_phone_she_signed_in_on_before_is_not_paused(users):
    """During a guessing run from a shared address, a worker on the phone she has signed in on before gets in
    at once (a signed cookie from her last sign-in says so); a phone never used by her waits its minute."""
    phone = Client()
    assert _login(phone, users.aww.username, TEST_PASSWORD, peer="100.64.0.11").status_code == 302
    phone.post(reverse("logout"), REMOTE_ADDR="100.64.0.11")
    _spray("100.64.0.11")
    assert _login(phone, users.aww.username, TEST_PASSWORD, peer="100.64.0.11").status_code == 302
    assert _login(Client(), users.supervisor.username, TEST_PASSWORD, peer="100.64.0.11").status_code == 429


def test_the_phone_cookie_is_hers_alone_and_cannot_be_forged(users, settings):
    phone = Client()
    assert _login(phone, users.aww.username, TEST_PASSWORD, peer="100.64.0.12").status_code == 302
    phone.post(reverse("logout"), REMOTE_ADDR="100.64.0.12")
    _spray("100.64.0.12")
    assert _login(phone, users.supervisor.username, TEST_PASSWORD, peer="100.64.0.12").status_code == 429
    forged = Client()
    forged.cookies[signin.DEVICE_COOKIE] = phone.cookies[signin.DEVICE_COOKIE].value[:-3] + "abc"
    assert _login(forged, users.aww.username, TEST_PASSWORD, peer="100.64.0.12").status_code == 429
