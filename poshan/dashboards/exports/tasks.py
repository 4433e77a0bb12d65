"""The exports' Celery tasks (queue "exports"): ids in, jobs.py's work out. Names kept stable for routes and beat."""
from __future__ import annotations

from celery import shared_task

from .jobs import export_job_run, exports_expire


@shared_task(name="poshan.dashboards.exports.export_run", acks_late=True)
def export_run(job_id: int) -> dict:
    job = export_job_run(job_id)
    return {"job": job.pk, "rows": job.rows_done}


@shared_task(name="poshan.dashboards.exports.exports_expire")
def exports_expire_task() -> int:
    return exports_expire()
