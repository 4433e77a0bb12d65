"""Fuzzing the API: schemathesis generates requests for every operation of the live schema (/api/schema/, read
as a signed-in AWW) and sends them through Django, authenticated as that AWW; no answer may be a 5xx.

Bounded (FUZZ_EXAMPLES per operation, derandomized so CI and a developer see the same cases); set
FUZZ_EXAMPLES=200 in the environment for a longer run by hand.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
import schemathesis
from django.test.client import ClientHandler
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken

from tests.factories import make_household, make_person, valid_aadhaar

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "16"))


def django_wsgi_app():
    """Django's test handler as a WSGI app: the request runs in the test's transaction (connections stay open)."""
    handler = ClientHandler(enforce_csrf_checks=True)

    def app(environ, start_response):
        response = handler(environ)
        headers = [*response.items(), *(("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values())]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        if response.streaming:
            return response.streaming_content
        return [response.content]

    return app


@pytest.fixture
def aww_token(world, users, make_user, django_capture_on_commit_callbacks):
    """The AWW of awc1 with a family and a child to act on (and another centre's family out of reach)."""
    today = timezone.localdate()
    household = make_household(world.awc1, actor=users.aww, mobile="9812312345")
    make_person(household, actor=users.aww, name="Sita", enrol_as="pregnant", age_years=24,
                lmp=today - timedelta(days=60), aadhaar=valid_aadhaar(99))
    make_person(household, actor=users.aww, name="Mohan", sex="M", dob=today - timedelta(days=500), enrol_as="child")
    far = make_household(world.awc6, head_name="Far")
    make_person(far, name="Far child", dob=today - timedelta(days=400), enrol_as="child")
    return AuthToken.objects.create(users.aww)[1]


def test_no_operation_answers_a_server_error(aww_token):
    app = django_wsgi_app()
    auth = {"Authorization": f"Token {aww_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app, headers=auth)
    failures: list[str] = []
    operations = 0
    # Signing out of the API ends the token every other call uses: fuzz it last.
    ordered = sorted((result.ok() for result in schema.get_all_operations()),
                     key=lambda operation: operation.path == "/api/v1/auth/logout/")
    for operation in ordered:
        operations += 1
        if operation.path == "/api/v1/auth/logout/":
            assert AuthToken.objects.exists(), "the token ended before the last operation: the rest went unfuzzed"

        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call(headers=auth)
            if response.status_code >= 500:
                body = case.body if not isinstance(case.body, schemathesis.core.NotSet) else ""
                failures.append(f"{case.method} {case.formatted_path} {case.query or ''} {body!r:.300} "
                                f"→ {response.status_code}")

        fuzz()
    assert operations >= 50
    assert failures == [], "server errors:\n" + "\n".join(failures)
