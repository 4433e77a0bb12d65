"""Test run: PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, SQLite otherwise."""
from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests call tasks eagerly unless a test starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SMS_BACKEND = "poshan.core.sms.LocMemBackend"
