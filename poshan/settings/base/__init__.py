"""Settings shared by every environment, driven by the environment (django-environ).

Nothing set → SQLite and eager Celery (the embedded default).
DATABASE_URL / REDIS_URL set → PostgreSQL and Redis (deployment and CI).
site.py holds the web application's settings, tasks.py Celery's.
"""
from .site import *  # noqa: F401,F403
from .tasks import *  # noqa: F401,F403
