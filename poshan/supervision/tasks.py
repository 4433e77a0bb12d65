"""Celery tasks of supervision (queue "default"): the alerts' evaluation, one task per district; safe to run twice."""
from __future__ import annotations

from celery import group, shared_task
from django.db import InterfaceError, OperationalError

from .alerts import alert_districts, alerts_evaluate_district

CHUNK_MAX_RETRIES = 3


@shared_task(name="poshan.supervision.tasks.alerts_evaluate")
def alerts_evaluate() -> dict:
    """Beat (through the day): one alerts_district task per district."""
    districts = alert_districts()
    if districts:
        group(alerts_district.si(district_id=d) for d in districts).apply_async()
    return {"districts": len(districts)}


@shared_task(name="poshan.supervision.tasks.alerts_district", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=CHUNK_MAX_RETRIES)
def alerts_district(*, district_id: int) -> dict:
    """One district's alerts opened and cleared (a redelivered task opens nothing twice, sends no SMS twice)."""
    return alerts_evaluate_district(district_id=district_id)
