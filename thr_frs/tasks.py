"""Celery tasks of the `frs` queue (every task named `thr_frs.*` is routed there). Ids in, a service out."""
import logging
import time

from celery import shared_task
from celery.signals import worker_process_init

from .services import faces_erase_unconsented as erase
from .services.face_work import face_check_run  # noqa: F401  (declared beside the work it runs, below the request)
from .services.face_work import face_checks_expire_stale as expire

logger = logging.getLogger(__name__)


@worker_process_init.connect
def load_face_models(**kwargs) -> None:
    """Load the dlib models (~0.5 s) once when a worker process starts, not in the first task."""
    from . import faces

    started = time.perf_counter()
    faces.load_models()
    logger.info("face models loaded in %.2f s", time.perf_counter() - started)


@shared_task(name="thr_frs.faces_erase_unconsented", ignore_result=True)
def faces_erase_unconsented() -> None:
    """Nightly: erase the faces of people who left the programme or withdrew consent."""
    erase()


@shared_task(name="thr_frs.face_checks_expire_stale", ignore_result=True)
def face_checks_expire_stale() -> None:
    """Every minute: end the checks still pending past their deadline (a lost or killed task)."""
    expire()
