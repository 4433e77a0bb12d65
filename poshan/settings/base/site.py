"""The web application's settings: apps, middleware, database, cache, security, languages, keys, the API."""
from datetime import timedelta
from pathlib import Path

import environ
from django.conf.locale import LANG_INFO

from ..languages import EXTRA_LANG_INFO, LANGUAGES_BIDI  # noqa: F401  (LANGUAGES_BIDI is a setting)

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens that expire and end at sign-out (poshan/core/tokens.py)
    "drf_spectacular",
    "guardian",
    "axes",
    "django_celery_beat",
    "poshan.core",
    "anganwadi",
    "beneficiaries",
    "growth",
    "thr_frs",
    "grievances",
    "training",
    "poshan.dashboards",
    "poshan.registers",
    "poshan.supervision",  # the supervisor's visits, VHSNDs and the alerts that nudge
    "poshan.demo",
    "poshan.wording",  # translations corrected by officials in the running portal, approved by an admin
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped for 2G (the sheet of 80 children: 4.5 KB instead of 40). Below WhiteNoise, which serves static
    # files already compressed; above every middleware that reads or writes the body. BREACH: Django masks the CSRF
    # token anew on every response and this middleware adds random bytes to each gzip header (Heal-the-BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "poshan.core.middleware.SecurityHeadersMiddleware",
    "poshan.core.middleware.DatabaseUnavailableMiddleware",  # PostgreSQL restarting: 503 + Retry-After
    "django.contrib.sessions.middleware.SessionMiddleware",
    "poshan.core.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anganwadi.charge.middleware.WorkingCentreMiddleware",  # which of her centres a worker holding charge works
    "django.contrib.messages.middleware.MessageMiddleware",
    "poshan.core.middleware.BadParameterMiddleware",  # an unreadable parameter (poshan.core.params): 400, not 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "poshan.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "poshan.core.signin.SigninPauseMiddleware",  # a paused address: 429 + Retry-After on every password door
]

ROOT_URLCONF = "poshan.urls"
WSGI_APPLICATION = "poshan.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A new PostgreSQL connection costs ~5 ms of server CPU (shared/PERFORMANCE.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: compiling the portal's short queries cost more than it saved (bench/RESULTS.md, rollups without JIT).
    # A page read out of order priced as solid-state storage prices it (PostgreSQL's default, 4, is a spinning
    # disk's): at 4 a rollup chunk hashed the whole people table to find its own people, for every chunk, once the
    # table held a few chunks' worth (bench/RESULTS.md, "A chunk planned for solid-state storage"). A server on
    # disks sets DB_RANDOM_PAGE_COST=4.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _planner = f" -c jit=off -c random_page_cost={env.float('DB_RANDOM_PAGE_COST', default=1.1)}"
    _options["options"] = (_options.get("options", "") + _planner).strip()
    # Transactions begun and ended in their statements' own messages, the audit event sent with the next statement
    # (poshan/core/pgsession.py): a round trip cost a one-row write as much as its row.
    if env.bool("DB_PIPELINED_TRANSACTIONS", default=True):
        from poshan.core.pgsession import Connection as _PipelinedConnection

        _options["connection_factory"] = _PipelinedConnection
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Read replica: the dashboards' rollups and the exports read from it (poshan/db_router.py).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    if "options" in DATABASES["default"].get("OPTIONS", {}):  # the same queries on the replica, planned alike
        DATABASES["replica"].setdefault("OPTIONS", {})["options"] = DATABASES["default"]["OPTIONS"]["options"]
    DATABASES["replica"].update(CONN_MAX_AGE=DATABASES["default"].get("CONN_MAX_AGE", 0), CONN_HEALTH_CHECKS=True,
                                TEST={"MIRROR": "default"})
DATABASE_ROUTERS = ["poshan.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Every Redis client (cache and rate-limit counters, photo store, Celery broker and result backend) gives up on
# an unreachable Redis (packets dropped, not refused: a dead host, a firewall, a broken route) after these many
# seconds to connect and to wait for an answer, instead of hanging the request or the worker.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
# Redis down must not take the portal down: the cache then answers "not cached" (sessions fall back to the
# database, rate limits let requests through).
REDIS_CACHE = {"BACKEND": "poshan.core.cache.ResilientRedisCache",
               "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT}}
if REDIS_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "poshan.core.signin.AddressPauseBackend",  # before any password is checked (poshan/core/signin.py)
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request (IdleSessionMiddleware refreshes
# the expiry at most once a minute so a busy page does not write on every request).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the offline queue reads it to post from JavaScript
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The HTTPS proxies in front of the app whose X-Forwarded-For is believed: one entry per hop (an address or a
# CIDR network), outermost first, the last being the one that connects to gunicorn, e.g. TRUSTED_PROXIES=10.0.0.2.
# Empty (the default): the header is ignored and the client's address is REMOTE_ADDR (poshan/core/clientaddr.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Login lockout (django-axes): 5 failures per username+IP lock for 30 minutes; the IP is the client's, read by
# the same function as the audit log's. poshan/core/signin.py adds a short, rising pause per address.
AXES_CLIENT_IP_CALLABLE = "poshan.core.clientaddr.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
# English, and complete translations written by hand for Hindi, Urdu (right to left), Marathi, Bengali and Tamil
# (locale/GLOSSARY.md: the programme's words each catalogue follows; tests/i18n check every language listed here).
LANGUAGES = [("en", "English"), ("hi", "हिन्दी"), ("ur", "اردو"), ("mr", "मराठी"), ("bn", "বাংলা"), ("ta", "தமிழ்"), ("te", "తెలుగు"), ("ml", "മലയാളം"), ("kn", "ಕನ್ನಡ"), ("gu", "ગુજરાતી"), ("pa", "ਪੰਜਾਬੀ"), ("or", "ଓଡ଼ିଆ"), ("as", "অসমীয়া"), ("ne", "नेपाली"), ("sat", "ᱥᱟᱱᱛᱟᱲᱤ"), ("mai", "मैथिली"), ("kok", "कोंकणी"), ("sa", "संस्कृतम्"), ("brx", "बर'"), ("sd", "سنڌي"), ("doi", "डोगरी"), ("ks", "کٲشُر"), ("mni", "ꯃꯩꯇꯩꯂꯣꯟ")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The languages Django does not describe (names in their own script; Kashmiri and Sindhi right to left like Urdu).
LANG_INFO.update(EXTRA_LANG_INFO)
# Dates day first in every language ("09 Nov 2026", 09/11/2026 where space is short): poshan/formats/<code>/.
FORMAT_MODULE_PATH = ["poshan.formats"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Field encryption (Fernet keys, comma-separated, newest first) and the blind-index
# key. The defaults exist only so a newcomer's first run works; production refuses them.
DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZSEhISE="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[DEV_FIELD_KEY])
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default="dev-only-blind-index-key")
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY", default="dev-only-audit-chain-key")

# Face recognition for THR: a match when the distance to the nearest enrolled encoding of the person
# (a gallery of 2-3 photos) is at most FRS_TOLERANCE, the portal's one tolerance (the matcher, the face
# checks, the demo and the benches all read it from here).
# Measured 2026-12-04 with bench/face_calibration.py (HOG, 640 px, 5-point landmarks, a dark photo
# brightened first) on every photo the repository may use (Obama x3 sittings, Biden x2, two_people cut in
# two; and, locally only, a third person whose photo may not be copied), each degraded six ways (dark room
# with noise, backlight with glare, 320 px + JPEG quality 12, 15 px motion blur, 20 degree tilt, a 48 px
# face); each probe against the person's gallery of the *other* sittings only:
#   clean photos: same person 0.32-0.43, different people 0.82-0.91;
#   degraded genuine (42): median 0.42, p95 0.58, worst 0.60 (Biden, one enrolled sitting left, blurred,
#   low resolution and dark); degraded impostors (96): closest 0.70 (0.72 without the local third person).
# 0.60 accepts every genuine probe (0.58 would refuse 2 of 42) and keeps the closest impostor 0.10 above
# it (goal: >= 0.08). Before (one enrolled photo, no brightening, 0.5): 78 % of the same probes accepted,
# closest impostor 0.65. The sample is two adults who are not related: a relative (the usual nominee) will
# come closer than 0.70. Recalibrate on field data (bench/RESULTS.md has the distributions).
FRS_TOLERANCE = env.float("FRS_TOLERANCE", default=0.6)
# SMS (one-time codes): a dotted backend class; the console backend prints texts (not numbers) for developers.
SMS_BACKEND = env("SMS_BACKEND", default="poshan.core.sms.ConsoleBackend")

# Internet allowance: whole rupees a year; anganwadi/allowance/rules.py says who gets what.
INTERNET_ALLOWANCE_PER_AWC_YEAR = env.int("INTERNET_ALLOWANCE_PER_AWC_YEAR", default=2000)

# Daily entries (open/close, attendance, home visits) may be back-dated this many days, with a reason.
BACKDATE_DAYS = env.int("BACKDATE_DAYS", default=3)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # "Authorization: Token <token>", as before, and the centre a worker holding additional charge works
        "anganwadi.charge.api_auth.WorkingCentreTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "poshan.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "poshan.core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# API tokens (django-rest-knox, poshan/core/tokens.py): idle like sessions, with an absolute limit.
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=SESSION_COOKIE_AGE),  # unused this long: expired
    "AUTO_REFRESH": True,  # each use moves the expiry on (at most one write a minute)
    "MIN_REFRESH_INTERVAL": 60,
    "AUTO_REFRESH_MAX_TTL": timedelta(hours=env.int("API_TOKEN_MAX_HOURS", default=12)),  # never longer than this
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Poshan portal API",
    "DESCRIPTION": "Anganwadi services, growth monitoring, THR and grievances. Every endpoint is scoped to the caller's area.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "GrievanceStatusEnum": "grievances.models.Status",
        "GrievanceEventKindEnum": "grievances.models.GrievanceEvent.Kind",
        "VideoKindEnum": "training.models.VideoKind",
        "TransferKindEnum": "beneficiaries.models.Transfer.Kind",  # three "kind" sets: name each
        "LanguageEnum": "poshan.core.languages.SERVICE_LANGUAGES",  # the helpline's and the videos' 17 languages
        "DeviceKindEnum": "anganwadi.equipment.models.DeviceKind",  # the centre's equipment
        "GrievanceCategoryEnum": "grievances.models.Category",  # two "category" sets: name each
        "MalnutritionCategoryEnum": "growth.cases.models.Case.Category",
        "PregnancyOutcomeEnum": "beneficiaries.models.Pregnancy.Outcome",  # two "outcome" sets: name each
        "CaseOutcomeEnum": "growth.cases.models.Case.Outcome",
        "SupervisionCheckItemEnum": "poshan.supervision.models.ChecklistItem",
        "SupervisionActionOwnerEnum": "poshan.supervision.models.Owner",
        "SupervisionActionStatusEnum": "poshan.supervision.models.ActionItem.Status",
        "VhsndServiceEnum": "poshan.supervision.models.VhsndService",
        "SupervisionAlertConditionEnum": "poshan.supervision.models.Condition",
    },
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusal_in_one_line": {"()": "poshan.core.logs.RefusalInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                # a 403 is one line ("Forbidden (Permission denied): /path/"), not a traceback
                "django.request": {"filters": ["refusal_in_one_line"]}},
}


# The audit log's Merkle trees (poshan.core.audit_tree): audit_record inserts without a lock; one sealer, run by beat
# every AUDIT_SEAL_EVERY seconds, seals committed events into the trees and signs a tree head with AUDIT_SIGNING_KEY
# (an Ed25519 private key, 32 bytes in hex), which lives in the environment, never in the database. An event is
# sealed at the latest AUDIT_SEAL_EVERY seconds (plus a round) after its commit. On SQLite the sealer's cursor passes
# only events older than AUDIT_SEAL_LATE_SECONDS (longer than any transaction); PostgreSQL asks pg_stat_activity.
DEV_AUDIT_SIGNING_KEY = "6465762d6f6e6c792d61756469742d7369676e696e672d6b65792d2d2d2d2d2d"  # production refuses it
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY", default=DEV_AUDIT_SIGNING_KEY)
AUDIT_SEAL_EVERY = env.float("AUDIT_SEAL_EVERY", default=5.0)
AUDIT_SEAL_LATE_SECONDS = env.int("AUDIT_SEAL_LATE_SECONDS", default=300)
# Hot statements (the audit row, a measurement) prepared once per PostgreSQL session (poshan.core.prepared); off
# behind a pooler in transaction mode. AUDIT_PREPARED_INSERT is its older name.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=env.bool("AUDIT_PREPARED_INSERT", default=True))

# Where grievance notifications go (grievances.notify): in-app always; SMS/email gateways are pluggable.
NOTIFY_BACKENDS = env.list("NOTIFY_BACKENDS", default=["grievances.notify.InAppBackend", "grievances.notify.ConsoleSMSBackend"])
