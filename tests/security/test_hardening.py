"""Hardening: deploy checks, CSP without inline scripts, CSRF on every form, login lockout and rate limits (login,
one-time codes, face photos), session fixation and cookie flags, uploads checked by content, no personal value in
the logs."""
from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, make_household, make_person, valid_aadhaar

ROOT = Path(django_settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
TEXT_AS_JPEG = b"this is not a picture, only text pretending to be one\n" * 20


TEST_ONLY_ENV = ("DJANGO_ALLOW_ASYNC_UNSAFE",)  # set by the browser tests' conftest; never in a deployment


def _production_env() -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    return {**clean, "DJANGO_SETTINGS_MODULE": "poshan.settings.production",
            "DJANGO_SECRET_KEY": "ci-" + "x7Qp2LmZ9vR4tY8wK3nB6cF1hJ5dS0gA" * 2 + "-dummy-secret-for-check",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "BLIND_INDEX_KEY": "ci-blind",
            "AUDIT_HMAC_KEY": "ci-audit", "AUDIT_SIGNING_KEY": "ab" * 32, "DJANGO_ALLOWED_HOSTS": "poshan.example",
            "SMS_BACKEND": "poshan.core.sms.DisabledBackend"}  # as .ci/run: a deployment without a gateway


# ---- deployment settings ------------------------------------------------------------------------------------

def test_check_deploy_is_clean_with_production_settings():
    """What .ci/run runs: `manage.py check --deploy --fail-level WARNING` with production settings."""
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_development_field_key():
    env = {**_production_env(), "FIELD_ENCRYPTION_KEYS": django_settings.DEV_FIELD_KEY}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "development key" in result.stderr


@pytest.mark.parametrize("backend", [None, "", "poshan.core.sms.ConsoleBackend", "poshan.core.sms.LocMemBackend"])
def test_production_refuses_to_start_without_a_real_sms_backend(backend):
    """The console backend would print one-time codes into the server's log; the test one keeps them."""
    env = _production_env()
    env.pop("SMS_BACKEND")
    if backend is not None:
        env["SMS_BACKEND"] = backend
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SMS_BACKEND" in result.stderr


def test_production_cookie_flags():
    code = ("import json; from django.conf import settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, "
            "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_AGE, s.DEBUG]))")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                            env=_production_env(), capture_output=True, text=True, timeout=120)
    secure, httponly, samesite, csrf_secure, csrf_samesite, ssl, hsts, age, debug = json.loads(result.stdout)
    assert (secure, httponly, samesite, csrf_secure, csrf_samesite) == (True, True, "Lax", True, "Lax")
    assert ssl and hsts >= 31_536_000 and age <= 30 * 60 and debug is False


def test_session_cookie_sent_with_its_flags(users, client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(reverse("login"), {"username": users.aww.username, "password": TEST_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


# ---- content security policy: no inline scripts anywhere --------------------------------------------------

@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_event_handler(template):
    source = template.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", source, re.I) if "src=" not in tag]
    handlers = re.findall(r"<[^>]*\son[a-z]+\s*=", source, re.I)
    assert not inline_scripts and not handlers and "javascript:" not in source.lower(), (
        f"{template}: inline script {inline_scripts}, event handler {handlers}: move it to a static .js file")


def test_csp_forbids_inline_scripts_on_pages_with_personal_data(world, users, login):
    household = make_household(world.awc1, mobile="9812345678")
    person = make_person(household, name="Asha", age_years=25)
    client = login(users.aww)
    for url in (reverse("home"), reverse("beneficiaries:detail", args=[person.pk]), reverse("beneficiaries:register"),
                reverse("thr_frs:handover", args=[person.pk])):
        response = client.get(url)
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'", url
        assert "unsafe" not in response["Content-Security-Policy"], url
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'", url
        assert "no-store" in response["Cache-Control"], url


# ---- CSRF ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_post_form_carries_a_csrf_token(template):
    source = template.read_text()
    for match in re.finditer(r"<form\b[^>]*>", source, re.I):
        if not re.search(r"method=[\"']?post", match.group(0), re.I):
            continue
        body = source[match.end():source.find("</form>", match.end())]
        assert "{% csrf_token %}" in body, f"{template}: a POST form without {{% csrf_token %}}: {match.group(0)}"


@pytest.fixture
def csrf_client(db):
    return Client(enforce_csrf_checks=True)


def test_posts_without_a_csrf_token_are_refused(world, users, csrf_client):
    household = make_household(world.awc1, mobile="9812345678")
    person = make_person(household, name="Asha", age_years=25)
    assert csrf_client.post(reverse("login"), {"username": users.aww.username,
                                               "password": TEST_PASSWORD}).status_code == 403
    csrf_client.force_login(users.aww, backend="django.contrib.auth.backends.ModelBackend")
    for url, data in (
        (reverse("beneficiaries:new"), {"name": "X"}),
        (reverse("beneficiaries:attendance"), {"date": date.today().isoformat()}),
        (reverse("grievances:lodge"), {"category": "app", "description": "x"}),
        (reverse("thr_frs:match", args=[person.pk]), {"quantity": 1}),
        (reverse("thr_frs:enrol", args=[person.pk]), {}),
        (reverse("profile"), {"preferred_language": "hi"}),
        (reverse("logout"), {}),
    ):
        assert csrf_client.post(url, data).status_code == 403, url
    api = csrf_client.post("/api/v1/households/", {"head_name": "X"}, content_type="application/json")
    assert api.status_code == 403 and "CSRF" in api.json()["detail"]


def test_a_post_with_the_token_goes_through(users, csrf_client):
    csrf_client.get(reverse("login"))
    token = csrf_client.cookies[django_settings.CSRF_COOKIE_NAME].value
    response = csrf_client.post(reverse("login"), {"username": users.aww.username, "password": TEST_PASSWORD,
                                                   "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# ---- sign-in: lockout, per-address limit, session fixation ---------------------------------------------------

def _login(client, username, password, ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_session_key_changes_at_login(users, client):
    session = client.session
    session["probe"] = "before sign-in"
    session.save()
    before = session.session_key
    assert _login(client, users.aww.username, TEST_PASSWORD).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()  # the old key is worth nothing


def test_login_lockout_for_one_user_from_one_address(users, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, users.aww.username, "wrong-password")
    assert _login(client, users.aww.username, TEST_PASSWORD).status_code == 429
    assert _login(Client(), users.aww.username, TEST_PASSWORD, ip="10.9.9.9").status_code == 302  # not another's


def test_many_failed_logins_from_one_address_are_slowed_down(users, client, settings):
    """Password spraying (one guess for each of many usernames) from one address: after ADDRESS_FREE_FAILURES
    failures in the window, that address waits before its next try, whatever the username
    (tests/core/test_signin_pause.py: how long, and that it shuts no one out)."""
    from poshan.core import signin

    for n in range(signin.ADDRESS_FREE_FAILURES):
        assert _login(client, f"guess{n}", "Password@123", ip="10.6.6.6").status_code == 200
    assert _login(client, "guess-last", "Password@123", ip="10.6.6.6").status_code == 200
    refused = _login(client, users.aww.username, TEST_PASSWORD, ip="10.6.6.6")
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert _login(Client(), users.aww.username, TEST_PASSWORD, ip="10.7.7.7").status_code == 302


def test_successful_logins_from_a_shared_address_are_not_limited(users, make_user, world):
    """Many workers behind one mobile operator's address sign in fine: only failures count."""
    from poshan.core import signin

    for n in range(signin.ADDRESS_FREE_FAILURES + 25):
        worker = make_user("aww", world.awc2)
        assert _login(Client(), worker.username, TEST_PASSWORD, ip="100.64.0.1").status_code == 302, n


# ---- rate limits on one-time codes and face photos ------------------------------------------------------------

@pytest.fixture
def person_at_awc1(world, users):
    household = make_household(world.awc1, mobile="9812345678")
    return make_person(household, name="Sita", enrol_as="pregnant", age_years=25,
                       lmp=timezone.localdate() - timedelta(days=70))


@pytest.fixture
def one_minute(monkeypatch):
    from django.core.cache import cache

    from thr_frs import ratelimit

    cache.clear()
    monkeypatch.setattr(ratelimit, "current_window", lambda: 1)
    return ratelimit


def test_otp_sends_are_limited_per_minute(person_at_awc1, users, login, one_minute):
    client = login(users.aww)
    url = reverse("thr_frs:otp_send", args=[person_at_awc1.pk])
    answers = [client.post(url).status_code for _ in range(one_minute.OTP_SENDS_PER_MINUTE + 1)]
    assert 429 not in answers[:-1] and answers[-1] == 429
    api = client.post("/api/v1/thr/otp/", {"beneficiary": person_at_awc1.pk}, content_type="application/json")
    assert api.status_code == 429


def test_otp_tries_are_limited_per_minute(person_at_awc1, users, login, one_minute):
    client = login(users.aww)
    url = reverse("thr_frs:otp_verify", args=[person_at_awc1.pk])
    answers = [client.post(url, {"code": "000000", "quantity": 1}).status_code
               for _ in range(one_minute.OTP_TRIES_PER_MINUTE + 1)]
    assert 429 not in answers[:-1] and answers[-1] == 429


def test_face_checks_over_the_api_are_limited_per_minute(person_at_awc1, users, login, one_minute):
    client = login(users.aww)
    for _ in range(one_minute.FACE_CHECKS_PER_MINUTE):
        one_minute.allow(users.aww, "face", one_minute.FACE_CHECKS_PER_MINUTE)
    response = client.post("/api/v1/thr/face-checks/", {"beneficiary": person_at_awc1.pk, "purpose": "enrol",
                                                         "photo": SimpleUploadedFile("p.jpg", b"x")})
    assert response.status_code == 429


# ---- uploads checked by their content, not their name ---------------------------------------------------------

def test_grievance_screenshot_named_jpg_that_is_text_is_refused(world, users, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    response = login(users.aww).post(reverse("grievances:lodge"), {
        "category": "app", "description": "The app closes.",
        "screenshot": SimpleUploadedFile("screen.jpg", TEXT_AS_JPEG, content_type="image/jpeg")})
    assert response.status_code == 400
    assert "not a picture we can open" in response.content.decode()
    assert not any(tmp_path.rglob("*.jpg"))


def test_training_video_and_poster_named_right_but_text_are_refused(db, settings, tmp_path):
    from django.core.exceptions import ValidationError

    from training import services

    settings.MEDIA_ROOT = str(tmp_path)
    base = dict(actor=None, title="T", language="hi", duration_seconds=10, topic="breastfeeding", kind="counselling")
    with pytest.raises(ValidationError, match="not a video"):
        services.video_create(**base, file=ContentFile(TEXT_AS_JPEG, name="clip.mp4"))
    with pytest.raises(ValidationError, match="poster is not a picture"):
        services.video_create(**base, file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, name="c.mp4"),
                              poster=ContentFile(TEXT_AS_JPEG, name="poster.jpg"))


def test_face_photo_named_jpg_that_is_text_is_refused_before_it_is_queued(person_at_awc1, users, login):
    from thr_frs import photostore
    from thr_frs.models import FaceCheck

    client = login(users.aww)
    response = client.post(reverse("thr_frs:enrol", args=[person_at_awc1.pk]), {
        "photo": SimpleUploadedFile("face.jpg", TEXT_AS_JPEG, content_type="image/jpeg"), "consent": "on",
        "consent_given_by": "Sita"})
    assert response.status_code == 400
    assert "The photo could not be read" in response.content.decode()
    api = client.post("/api/v1/thr/face-checks/", {
        "beneficiary": person_at_awc1.pk, "purpose": "enrol", "consent_given_by": "Sita",
        "photo": SimpleUploadedFile("face.jpg", TEXT_AS_JPEG, content_type="image/jpeg")})
    assert api.status_code == 400 and "photo" in api.json()
    assert not FaceCheck.objects.exists() and photostore.waiting_keys() == []


# ---- no personal value in the logs -----------------------------------------------------------------------------

AADHAAR = valid_aadhaar(535353)
MOBILE = "9700012345"
NAME = "Parvati Lognamecheck"
HEAD = "Raghav Loghead"


def test_no_personal_value_reaches_the_logs(world, users, login, caplog, capsys, settings, tmp_path,
                                            django_capture_on_commit_callbacks):
    """Register a family (Aadhaar, mobile), open the person, hand out THR by one-time code and override, export as
    the district: the captured logs (every logger at DEBUG) and the console hold none of the values."""
    from thr_frs.services import stock_receive

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SMS_BACKEND = "poshan.core.sms.ConsoleBackend"
    settings.NOTIFY_BACKENDS = ["grievances.notify.InAppBackend", "grievances.notify.ConsoleSMSBackend"]
    caplog.set_level(logging.DEBUG)
    aww = login(users.aww)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = aww.post(reverse("beneficiaries:new"), {
            "head_name": HEAD, "mobile": MOBILE, "name": NAME, "sex": "F", "age_years": 25, "aadhaar": AADHAAR,
            "enrol_as": "pregnant", "lmp": (today - timedelta(days=70)).isoformat(), "relation_to_head": "spouse", "social_category": "general",
            "is_resident": "on", "consent_given_by": HEAD, "consent_relation": "self",
            "consent_purposes": ["services", "aadhaar", "face", "sms"]})
        assert response.status_code == 302, response.content.decode()[:2000]
        person_pk = int(response["Location"].rstrip("/").split("/")[-1])
        assert NAME in aww.get(response["Location"]).content.decode()
        aww.post(reverse("beneficiaries:new"), {"name": "Bad", "sex": "F", "age_years": 30,
                                                "aadhaar": AADHAAR[:-1] + str((int(AADHAAR[-1]) + 1) % 10)})
        stock_receive(actor=users.aww, awc=world.awc1, received_on=today, packets=20)
        aww.post(reverse("thr_frs:override", args=[person_pk]), {"reason": "The face check does not work",
                                                                "quantity": 1})
        aww.post(reverse("thr_frs:otp_send", args=[person_pk]))
        aww.get(reverse("thr_frs:handover", args=[person_pk]))
        aww.get(f"/api/v1/beneficiaries/{person_pk}/")
        aww.post(reverse("grievances:lodge"), {"category": "app", "description": "The app closes on save."})
        export = login(users.dpo).post(reverse("dashboards:export"), {
            "kind": "pregnant", "file_format": "csv", "month_from": today.strftime("%Y-%m"),
            "month_to": today.strftime("%Y-%m")})
        assert export.status_code == 200
        b"".join(export.streaming_content)
        _login(Client(), AADHAAR, MOBILE)  # a worker types personal values into the sign-in form by mistake
    printed = capsys.readouterr()
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''} {getattr(r, 'args', '')}"
                       for r in caplog.records)
    assert caplog.records, "nothing was logged at all: is logging captured?"
    for value in (AADHAAR, MOBILE, NAME, HEAD, AADHAAR[-8:], MOBILE[-8:]):
        assert value not in logged, f"{value!r} in the logs"
        assert value not in printed.out and value not in printed.err, f"{value!r} printed on the console"
