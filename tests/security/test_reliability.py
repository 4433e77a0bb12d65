"""Reliability when a service is down (bench/faults.py does the same with real processes killed and restarted).

Redis down — the cache (sessions, rate limits), the photo store and the Celery broker all point at a closed port:
signing in, the attendance sheet and registration still work; a face match answers that the service is busy and
offers the other ways, instead of crashing; lodging a grievance still works (its notification is logged as lost).
And the tasks that must survive a killed worker are acked late and requeued when the worker is lost.
"""
from __future__ import annotations

import io
import socket
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import TEST_PASSWORD, make_household, make_person


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Production's Redis-backed cache and cached sessions and the photo store point at a closed port; sending a
    task fails as it does when the broker (the same Redis) is down."""
    from kombu.exceptions import OperationalError

    from grievances import tasks as grievance_tasks
    from thr_frs import photostore
    from thr_frs import tasks as frs_tasks

    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": url}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.REDIS_URL = url
    photostore._redis.cache_clear()

    def broker_down(*args, **kwargs):
        raise OperationalError(f"Error 111 connecting to {url}. Connection refused.")

    for task in (grievance_tasks.send_notifications, frs_tasks.face_check_run):
        monkeypatch.setattr(task, "delay", broker_down)
    yield url
    photostore._redis.cache_clear()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def centre(world, users):
    from thr_frs.models import FaceEnrolment
    from thr_frs.services import face_checks, stock_receive

    today = timezone.localdate()
    household = make_household(world.awc1, actor=users.aww, mobile="9812312345")
    sita = make_person(household, actor=users.aww, name="Sita", enrol_as="pregnant", age_years=24,
                       lmp=today - timedelta(days=60))
    child = make_person(household, actor=users.aww, name="Golu", dob=today - timedelta(days=4 * 365),
                        enrol_as="child")
    FaceEnrolment.objects.create(person=sita, awc=world.awc1, enrolled_by=users.aww,
                                 encoding=face_checks.encoding_to_bytes([0.0] * 128))
    stock_receive(actor=users.aww, awc=world.awc1, received_on=today, packets=50)
    return sita, child


def _sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def test_with_redis_down_forms_that_need_no_task_still_work(centre, users, redis_down,
                                                            django_capture_on_commit_callbacks):
    sita, child = centre
    client = _sign_in(users.aww)
    assert client.get(reverse("home")).status_code == 200
    today = timezone.localdate()
    response = client.post(reverse("beneficiaries:attendance"), {"date": today.isoformat(), "present": [child.pk],
                                                                  "hcm": [child.pk]})
    assert response.status_code == 302
    response = client.post(reverse("beneficiaries:new"), {
        "head_name": "New Family", "name": "Radha", "sex": "F", "age_years": 30, "enrol_as": "member",
        "relation_to_head": "self", "social_category": "general", "is_resident": "on",
        "consent_given_by": "Radha", "consent_relation": "self", "consent_purposes": ["services"]})
    assert response.status_code == 302, response.content.decode()[:500]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grievances:lodge"), {"category": "app", "description": "Slow today."})
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302


def test_with_redis_down_the_face_match_says_busy_and_offers_the_other_ways(centre, users, redis_down,
                                                                          django_capture_on_commit_callbacks):
    from thr_frs.models import FaceCheck

    sita, _child = centre
    client = _sign_in(users.aww)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("thr_frs:match", args=[sita.pk]), {
            "photo": io.BytesIO(_jpeg()), "turned_photo": io.BytesIO(_jpeg()), "quantity": 1})
    assert response.status_code == 302, response.content.decode()[:500]
    check = FaceCheck.objects.get()
    assert (check.status, check.error) == (FaceCheck.Status.FAILED, FaceCheck.Error.UNAVAILABLE)
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "The face check is not available just now. Try again, or use another way." in text
    assert reverse("thr_frs:override", args=[sita.pk]) in text  # the fallback is offered


def test_face_and_flagging_tasks_survive_a_killed_worker():
    """Acked after the work and requeued when the worker process dies; both tasks are idempotent (a check only
    moves from pending once; flags are upserted per child and day)."""
    from growth.tasks import score_chunk
    from thr_frs.tasks import face_check_run

    for task in (face_check_run, score_chunk):
        assert task.acks_late and task.reject_on_worker_lost, task.name


def test_database_unavailable_is_a_clear_retryable_answer(world, users, login, monkeypatch):
    """PostgreSQL restarting: the page or endpoint answers 503 with Retry-After (the offline queue keeps the entry
    and sends it again; its client id makes the replay land once), not a bare 500."""
    from django.db import OperationalError

    from beneficiaries import services

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "attendance_record", down)
    client = login(users.aww)
    today = timezone.localdate().isoformat()
    api = client.post("/api/v1/submissions/batch/", [{"type": "attendance", "client_uuid": "5f0c8a52-6a39-4c55-9f"
                                                      "1a-2b0d6f1e4c11", "payload": {"date": today, "present": []}}],
                      content_type="application/json")
    assert api.status_code == 503 and int(api["Retry-After"]) > 0
    assert api.json()["retry"] is True
    page = client.post(reverse("beneficiaries:attendance"), {"date": today})
    assert page.status_code == 503 and int(page["Retry-After"]) > 0
    assert "try again" in page.content.decode().lower()
