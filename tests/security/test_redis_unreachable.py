"""Redis unreachable — packets dropped, not refused (a dead host, a firewall, a broken route): every Redis client
gives up within its timeouts instead of hanging the page or the worker.

Two local stand-ins, no root needed: a socket that listens but never accepts or answers (the connection is made,
no reply ever comes: the read timeout must fire), and the same with its accept queue full (the kernel drops the
SYN: the connect timeout must fire). bench/faults.py runs the same fault against gunicorn.
"""
from __future__ import annotations

import io
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import TEST_PASSWORD, make_household, make_person

TIMEOUT = 0.3  # the settings' timeouts in these tests (production: 1 s)
GRACE = 2.0  # what "within the timeout" allows on a busy 2-core machine


@contextmanager
def unreachable(mode: str):
    """A redis:// address on loopback that never answers: `silent` accepts the TCP handshake (the kernel does) and
    never replies; `dropping` has its accept queue full, so new connections' SYNs are dropped."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0 if mode == "dropping" else 16)
    address = server.getsockname()
    fillers = []
    if mode == "dropping":
        for _ in range(3):  # a backlog of 0 holds one connection; the next SYNs are dropped
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(address)
            fillers.append(filler)
        time.sleep(0.2)
    try:
        yield f"redis://{address[0]}:{address[1]}/0"
    finally:
        for filler in fillers:
            filler.close()
        server.close()


def within(seconds: float, call):
    """Run call() in a thread; return (finished, elapsed, outcome) — a hang does not hang the test run."""
    outcome: dict = {}

    def target():
        started = time.monotonic()
        try:
            outcome["value"] = call()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test inspects
            outcome["error"] = exc
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return (not thread.is_alive()), outcome.get("elapsed"), outcome


@pytest.fixture
def short_timeouts(settings):
    from thr_frs import photostore

    settings.REDIS_CONNECT_TIMEOUT = TIMEOUT
    settings.REDIS_SOCKET_TIMEOUT = TIMEOUT
    photostore._redis.cache_clear()
    yield settings
    photostore._redis.cache_clear()


@pytest.mark.parametrize("mode", ["silent", "dropping"])
def test_the_photo_store_gives_up_within_its_timeout(short_timeouts, mode):
    from thr_frs import photostore

    with unreachable(mode) as url:
        short_timeouts.REDIS_URL = url
        for name, call in (("put", lambda: photostore.put(b"photo")), ("take", lambda: photostore.take(
                photostore.KEY_PREFIX + "x")), ("waiting_keys", photostore.waiting_keys)):
            finished, elapsed, outcome = within(TIMEOUT + GRACE + 5, call)
            assert finished, f"photostore.{name} still waiting on an unreachable Redis ({mode})"
            assert isinstance(outcome.get("error"), (redis.ConnectionError, redis.TimeoutError)), outcome
            assert elapsed <= TIMEOUT + 1.0, f"photostore.{name} gave up after {elapsed:.1f} s ({mode})"


def test_every_redis_client_has_connect_and_read_timeouts_from_settings():
    from django.conf import settings

    from poshan.celery import app

    assert settings.REDIS_CACHE["OPTIONS"] == {"socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
                                               "socket_timeout": settings.REDIS_SOCKET_TIMEOUT}
    transport = app.conf.broker_transport_options
    assert transport["socket_connect_timeout"] == settings.REDIS_CONNECT_TIMEOUT
    assert 0 < transport["socket_timeout"] <= settings.REDIS_SOCKET_TIMEOUT + 2
    assert app.conf.redis_socket_connect_timeout == settings.REDIS_CONNECT_TIMEOUT
    assert 0 < app.conf.redis_socket_timeout <= settings.REDIS_SOCKET_TIMEOUT + 2


def test_the_visibility_timeout_outlasts_every_task_acked_late():
    """A task acked late still running when the visibility timeout passes is handed out a second time."""
    from django.conf import settings

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    acked_late = {name: limits.get("time_limit", settings.CELERY_TASK_TIME_LIMIT)
                  for name, limits in settings.CELERY_TASK_ANNOTATIONS.items() if limits.get("acks_late")}
    assert acked_late
    assert visibility > max(acked_late.values()), (visibility, acked_late)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("mode", ["silent", "dropping"])
def test_a_face_match_with_redis_unreachable_answers_within_the_timeouts(world, users, short_timeouts, mode,
                                                                        django_capture_on_commit_callbacks):
    """Cache, cached sessions, rate-limit counters and the photo store all point at the unreachable address."""
    from thr_frs.models import FaceCheck, FaceEnrolment
    from thr_frs.services import face_checks, stock_receive

    today = timezone.localdate()
    household = make_household(world.awc1, actor=users.aww, mobile="9812312399")
    sita = make_person(household, actor=users.aww, name="Sita", enrol_as="pregnant", age_years=24,
                       lmp=today - timedelta(days=60))
    FaceEnrolment.objects.create(person=sita, awc=world.awc1, enrolled_by=users.aww,
                                 encoding=face_checks.encoding_to_bytes([0.0] * 128))
    stock_receive(actor=users.aww, awc=world.awc1, received_on=today, packets=50)
    with unreachable(mode) as url:
        short_timeouts.CACHES = {"default": {**short_timeouts.REDIS_CACHE, "LOCATION": url, "OPTIONS": {
            "socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT}}}
        short_timeouts.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        short_timeouts.REDIS_URL = url
        client = Client()
        started = time.monotonic()
        response = client.post(reverse("login"), {"username": users.aww.username, "password": TEST_PASSWORD})
        sign_in = time.monotonic() - started
        assert response.status_code == 302, response.status_code
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("thr_frs:match", args=[sita.pk]), {"photo": io.BytesIO(_jpeg()),
                                                                             "turned_photo": io.BytesIO(_jpeg()),
                                                                             "quantity": 1})
        match = time.monotonic() - started
        assert response.status_code == 302, response.content.decode()[:300]
        page = client.get(response["Location"])
    check = FaceCheck.objects.get(beneficiary=sita)
    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.UNAVAILABLE)
    assert "The face check is not available just now. Try again, or use another way." in page.content.decode()
    # each request meets a handful of cache reads and writes, each given up after one timeout
    assert sign_in < 10 * TIMEOUT + GRACE, sign_in
    assert match < 10 * TIMEOUT + GRACE, match
