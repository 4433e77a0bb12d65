"""Shared fixtures: a small two-state world, users of every role, and a real Celery worker."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from django.conf import settings

from poshan.core.roles import Level, Role
from tests.factories import LocationFactory, UserFactory, chain

WORKER_QUEUES = "default,frs,flagging,exports"
WORKER_START_TIMEOUT = 60


def world_locations() -> dict:
    """state1 ─ district1 ─ project1 ─ sector1 ─ awc1, awc2
                                     └ sector2 ─ awc3
                          └ project2 ─ sector3 ─ awc4
               └ district2 ─ project3 ─ sector4 ─ awc5
       state2 ─ district3 ─ project4 ─ sector5 ─ awc6
    """
    state1 = LocationFactory(level=Level.STATE)
    district1, project1, sector1, awc1 = chain(state1, Level.DISTRICT, Level.PROJECT, Level.SECTOR, Level.AWC)
    awc2 = LocationFactory(level=Level.AWC, parent=sector1)
    sector2, awc3 = chain(project1, Level.SECTOR, Level.AWC)
    project2, sector3, awc4 = chain(district1, Level.PROJECT, Level.SECTOR, Level.AWC)
    district2, project3, sector4, awc5 = chain(state1, Level.DISTRICT, Level.PROJECT, Level.SECTOR, Level.AWC)
    state2 = LocationFactory(level=Level.STATE)
    district3, project4, sector5, awc6 = chain(state2, Level.DISTRICT, Level.PROJECT, Level.SECTOR, Level.AWC)
    return dict(locals())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty rate-limit counters (the test cache is in memory, shared by a process's tests):
    failed sign-ins of one test must not pause another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a request a test makes in Hindi leaves Hindi
    active in the thread (LocaleMiddleware activates, nothing deactivates), and the next test in the same
    process would otherwise read Hindi messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    """The location tree of world_locations()."""
    return SimpleNamespace(**world_locations())


# Each role's own location in `world`, and a sibling location it must not see.
ROLE_HOME = {
    Role.AWW: ("awc1", "awc2"),
    Role.AWH: ("awc1", "awc2"),
    Role.SUPERVISOR: ("sector1", "sector2"),
    Role.CDPO: ("project1", "project2"),
    Role.DPO: ("district1", "district2"),
    Role.STATE: ("state1", "state2"),
}


@pytest.fixture
def make_user(db):
    def make(role: str, location=None, **kwargs):
        return UserFactory(role=role, location=location, **kwargs)

    return make


@pytest.fixture
def users(world, make_user):
    """One user per role; area roles at their ROLE_HOME location."""
    made = {role: make_user(role, getattr(world, home)) for role, (home, _) in ROLE_HOME.items()}
    for role in (Role.MINISTRY, Role.HELPLINE, Role.ADMIN):
        made[role] = make_user(role, None)
    return SimpleNamespace(**{str(role): user for role, user in made.items()})


@pytest.fixture
def login(client):
    def as_user(user):
        client.logout()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return as_user


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker (solo pool) on Redis, pointed at the test database."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("a real Celery worker needs REDIS_URL (CI sets it; the embedded default has no broker)")
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        pytest.skip("a worker process cannot share the in-memory SQLite test database; set DATABASE_URL")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "poshan.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "poshan", "worker", "-Q", WORKER_QUEUES, "--pool=solo",
         "-l", "warning", "--without-gossip", "--without-mingle", "-n", f"pytest-{os.getpid()}@%h"],
        env=env,
    )
    from poshan.celery import app

    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the Celery worker exited during start-up")
        if app.control.ping(timeout=0.5):
            break
    else:
        proc.kill()
        raise RuntimeError("the Celery worker did not answer within a minute")
    yield proc
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def real_worker(celery_worker_process, transactional_db):
    """Send tasks to the real worker for this test (not eagerly in-process)."""
    from poshan.celery import app

    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True
