"""Rollup refreshes: nightly after flagging, on demand by an admin, and incrementally during the day."""
from __future__ import annotations

from datetime import date, timedelta

from celery import chord, group, shared_task
from django.core.cache import cache
from django.utils import timezone

from poshan.core.audit import audit_record
from poshan.core.dates import add_months, first_of_month
from poshan.core.models import AuditEvent

from .models import RollupRun
from .rollups.refresh import finish_chunks, plan_chunks, refresh_chunk, refresh_month

LAST_INCREMENTAL_KEY = "dashboards:last-incremental"
FACT_ACTIONS = (AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE)


@shared_task(name="poshan.dashboards.tasks.refresh_month_task", acks_late=True)
def refresh_month_task(run_id: int) -> dict:
    """A queued refresh, nightly or an admin's; the run row exists first so a page can show its progress.

    Fans the month out: one refresh_chunk_task per AWC_CHUNK AWCs on the `default` queue, any worker, then a
    chord's refresh_finish_task sums the levels above. Every step is idempotent (rows are replaced), so a worker
    lost mid-way simply runs its step again.
    """
    run = RollupRun.objects.select_related("location").get(pk=run_id)
    today = timezone.localdate().isoformat()
    chunks = plan_chunks(run)
    if not chunks:
        refresh_finish_task.apply_async(kwargs={"run_id": run.pk})
        return {"run": run.pk, "chunks": 0}
    header = group(refresh_chunk_task.si(run_id=run.pk, first_id=lo, last_id=hi, today=today) for lo, hi in chunks)
    chord(header, refresh_finish_task.si(run_id=run.pk)).apply_async()
    return {"run": run.pk, "chunks": len(chunks)}


@shared_task(name="poshan.dashboards.tasks.refresh_chunk_task", acks_late=True)
def refresh_chunk_task(*, run_id: int, first_id: int, last_id: int, today: str) -> int:
    return refresh_chunk(run_id, first_id, last_id, today=date.fromisoformat(today))


@shared_task(name="poshan.dashboards.tasks.refresh_finish_task", acks_late=True)
def refresh_finish_task(*, run_id: int) -> dict:
    run = finish_chunks(run_id)
    return {"run": run.pk, "awcs": run.awcs_done}


def after_flagging(*, run_id: int, run_date, **_signal) -> None:
    """Receiver of growth's flagging_finished: queue this month's refresh (and last month's in its first days).

    Queued, not run here: the refresh reads every app and must not hold the flagging worker.
    """
    today = run_date if isinstance(run_date, date) else date.fromisoformat(str(run_date))
    months = [first_of_month(today)]
    if today.day <= 3:
        months.append(add_months(today, -1))
    for month in months:
        refresh_queue(month, trigger="nightly")


def refresh_queue(month: date, *, trigger: str, location=None, actor=None) -> RollupRun:
    """Record a refresh of `month` as a RollupRun and queue it; audited when a person asked for it."""
    run = RollupRun.objects.create(month=month, trigger=trigger, location=location)
    if actor is not None:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=run, fields=["month"])
    refresh_month_task.delay(run.pk)
    return run


@shared_task(name="poshan.dashboards.tasks.refresh_current_month_incremental")
def refresh_current_month_incremental() -> dict:
    """Every half hour: re-count the current month for the AWCs that recorded something since last time (a fact
    created, changed or deleted; a page viewed or an export read changes no figure)."""
    now = timezone.now()
    since = cache.get(LAST_INCREMENTAL_KEY) or now - timedelta(hours=1)
    awc_ids = sorted(set(AuditEvent.objects.filter(at__gte=since, awc_id__isnull=False, action__in=FACT_ACTIONS)
                         .values_list("awc_id", flat=True)))
    cache.set(LAST_INCREMENTAL_KEY, now, None)
    if not awc_ids:
        return {"awcs": 0}
    run = refresh_month(timezone.localdate().replace(day=1), trigger="incremental", awc_ids=awc_ids)
    return {"run": run.pk, "awcs": run.awcs_done}
