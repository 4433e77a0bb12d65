"""Deployment: every secret from the environment, HTTPS only."""
from django.core.exceptions import ImproperlyConfigured

from poshan.core.sms import DEVELOPMENT_BACKENDS

from .base import *  # noqa: F401,F403
from .base import DEV_AUDIT_SIGNING_KEY, DEV_FIELD_KEY, FIELD_ENCRYPTION_KEYS, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS: the development key must not be used in production.")
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY")
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY")
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY")  # Ed25519, hex; kept apart from the database like the keys above
if AUDIT_SIGNING_KEY == DEV_AUDIT_SIGNING_KEY:
    raise ImproperlyConfigured("Set AUDIT_SIGNING_KEY: the development key must not sign the audit log's tree heads.")
# One-time codes go by SMS: the gateway's backend class, or poshan.core.sms.DisabledBackend to send none. Never the
# console backend (it would print codes into the server's log) nor the tests' (it keeps them in memory).
SMS_BACKEND = env("SMS_BACKEND", default="")
if not SMS_BACKEND or SMS_BACKEND in DEVELOPMENT_BACKENDS:
    raise ImproperlyConfigured("Set SMS_BACKEND to the SMS gateway's backend class (or poshan.core.sms.DisabledBackend "
                               "to send no SMS): the console and test backends must not be used in production.")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
