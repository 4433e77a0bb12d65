"""The Celery app. Tasks take ids and primitives (JSON), fetch by id and call a service."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poshan.settings.local")

app = Celery("poshan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A package of an app with tasks of its own (autodiscovery looks only at each installed app's tasks.py).
app.autodiscover_tasks(["poshan.dashboards.exports"])
