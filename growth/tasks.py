"""Celery tasks of growth monitoring (queue `flagging`: every name starts with growth.flagging.).

run_nightly (Celery beat, every night) plans a run and starts a chord: a group of
score_chunk tasks, one per district (large districts split by child id), then finish_run.
Tasks take ids and primitives only, never wait on each other, and are safe to run twice.
"""
from __future__ import annotations

from datetime import date

from celery import Task, chord, group, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from growth.cases import services as case_services
from growth.flagging import jobs

CHUNK_MAX_RETRIES = 3


class ChunkTask(Task):
    """Retried on database hiccups; after the last retry the run is marked failed."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        run_id = kwargs.get("run_id", args[0] if args else None)
        if run_id is not None:
            jobs.run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(name="growth.flagging.run_nightly")
def run_nightly(run_date: str | None = None, chunk_size: int | None = None) -> int:
    """Start the job for `run_date` (ISO date; today in Asia/Kolkata by default). Returns the run id."""
    day = date.fromisoformat(run_date) if run_date else timezone.localdate()
    run = jobs.run_start(run_date=day, chunk_size=chunk_size or jobs.CHUNK_CHILDREN)
    chunks = list(run.chunks.order_by("id").values_list("district_id", "first_child_id", "last_child_id"))
    if not chunks:
        finish_run.apply_async(kwargs={"run_id": run.pk})
        return run.pk
    header = group(
        score_chunk.si(run_id=run.pk, district_id=d, first_child_id=lo, last_child_id=hi) for d, lo, hi in chunks
    )
    chord(header, finish_run.si(run_id=run.pk)).apply_async()
    return run.pk


@shared_task(
    name="growth.flagging.score_chunk", base=ChunkTask, acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=CHUNK_MAX_RETRIES,
)
def score_chunk(*, run_id: int, district_id: int, first_child_id: int, last_child_id: int) -> dict:
    chunk = jobs.chunk_score(run_id=run_id, district_id=district_id, first_child_id=first_child_id,
                             last_child_id=last_child_id)
    return {"children": chunk.children, "changed": chunk.statuses_changed, "followups": chunk.followups_created}


@shared_task(name="growth.flagging.finish_run")
def finish_run(*, run_id: int) -> dict:
    run = jobs.run_finish(run_id=run_id)
    return {"run_id": run.pk, "status": run.status, "children": run.children}


_CASES_TASK = {"acks_late": True, "reject_on_worker_lost": True, "autoretry_for": (OperationalError, InterfaceError),
               "retry_backoff": True, "max_retries": CHUNK_MAX_RETRIES}


@shared_task(name="growth.flagging.cases_nightly", **_CASES_TASK)
def cases_nightly(run_date: str) -> dict:
    """Malnutrition cases after a flagging run, as tasks of bounded size (safe to run twice): every open case derived
    again, district by district; the missed cases opened in chunks of settings.CASES_OPEN_CHUNK measurements — a
    first night's backlog (cases deployed where many children were flagged) would outlast one task's time limit."""
    day = date.fromisoformat(run_date)
    districts = case_services.open_case_districts()
    for district_id in districts:
        cases_refresh_district.delay(run_date, district_id)
    missed = case_services.cases_missed(run_date=day)
    size = settings.CASES_OPEN_CHUNK
    chunks = [missed[start:start + size] for start in range(0, len(missed), size)]
    for measurement_ids in chunks:
        cases_open_chunk.delay(measurement_ids)
    return {"districts": len(districts), "missed": len(missed), "open_chunks": len(chunks)}


@shared_task(name="growth.flagging.cases_refresh_district", **_CASES_TASK)
def cases_refresh_district(run_date: str, district_id: int) -> int:
    """The open cases of one district derived again for the day; returns how many changed."""
    return case_services.cases_refresh(district_id=district_id, today=date.fromisoformat(run_date))


@shared_task(name="growth.flagging.cases_open_chunk", **_CASES_TASK)
def cases_open_chunk(measurement_ids: list[int]) -> int:
    """Open the cases these measurements call for that have none; returns how many were opened."""
    return case_services.cases_open_missed(measurement_ids=measurement_ids)


def after_flagging(*, run_date, **_signal) -> None:
    """Receiver of flagging_finished: queue the cases' nightly step, never run it on the finishing worker."""
    cases_nightly.delay(str(run_date))
