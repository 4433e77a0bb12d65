"""The Celery app. Tasks take ids and primitives (JSON), fetch by id and call a service."""
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poshan.settings.local")

app = Celery("poshan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A package of an app with tasks of its own (autodiscovery looks only at each installed app's tasks.py).
app.autodiscover_tasks(["poshan.dashboards.exports"])


@worker_process_init.connect  # a prefork pool's child, once forked
@worker_ready.connect  # the worker's own process (where the solo and threads pools run the tasks)
def _freeze_startup_heap(**_kwargs) -> None:
    """The loaded app out of the garbage collector's full passes (poshan.core.heap)."""
    from poshan.core.heap import freeze_startup_heap

    freeze_startup_heap()
