"""The nightly flagging job's writes: plan a run, score one chunk, finish (or fail) the run.

The Celery tasks (growth/tasks.py) are thin wrappers: ids and primitives in, one of these out.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import children_q, present_q
from growth.models import ChildStatus, FlaggingChunk, FlaggingRun, FollowUp
from growth.signals import flagging_finished

from . import orm, pg, rules
from .rules import RunDay

log = logging.getLogger(__name__)

CHUNK_CHILDREN = 25_000  # children per chunk task: a district larger than this is split by child id
# A run that changed at least this many rows re-reads the planner statistics of the tables it wrote. Without
# it, a first run (or a big one) leaves PostgreSQL planning the morning's follow-up pages from "no open
# follow-ups" until autovacuum gets round to the table: the supervisor's list took 1.3 s instead of ms
# (bench/loadtest.py, 1,000,000 children).
ANALYZE_AFTER_CHANGES = 10_000
ERROR_CHARS = 2000

PLAN_SQL = """
SELECT district, MIN(id), MAX(id), COUNT(*) FROM (
    SELECT district, id, (ROW_NUMBER() OVER (PARTITION BY district ORDER BY id) - 1) / %s AS part
    FROM ({kids}) k
) parts
GROUP BY district, part
ORDER BY district, part
"""


@dataclass(frozen=True)
class ChunkPlan:
    district_id: int
    first_child_id: int
    last_child_id: int
    children: int


def children_on(on: date) -> QuerySet[Beneficiary]:
    """Children the job looks at: registered, present and under 6 on `on`."""
    return Beneficiary.objects.filter(present_q(on), children_q(on))


def plan_chunks(on: date, *, size: int = CHUNK_CHILDREN) -> list[ChunkPlan]:
    """Split the children by district, and each district into runs of at most `size` children by id."""
    kids = children_on(on).values("id", district=F("awc__district_id"))
    sql, params = kids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(PLAN_SQL.format(kids=sql), [size, *params])
        return [ChunkPlan(int(d), int(lo), int(hi), int(n)) for d, lo, hi, n in cursor.fetchall() if d is not None]


@transaction.atomic
def run_start(*, run_date: date, chunk_size: int = CHUNK_CHILDREN) -> FlaggingRun:
    """A run row and one row per planned chunk (the tasks then look their chunk up)."""
    plans = plan_chunks(run_date, size=chunk_size)
    run = FlaggingRun.objects.create(run_date=run_date, chunks_total=len(plans))
    FlaggingChunk.objects.bulk_create(
        FlaggingChunk(run=run, district_id=p.district_id, first_child_id=p.first_child_id,
                      last_child_id=p.last_child_id) for p in plans
    )
    log.info("flagging run %s for %s: %s chunks", run.pk, run_date, len(plans))
    return run


def chunk_children(*, district_id: int, first: int, last: int, on: date) -> QuerySet[Beneficiary]:
    return children_on(on).filter(awc__district_id=district_id, pk__gte=first, pk__lte=last)


def chunk_score(*, run_id: int, district_id: int, first_child_id: int, last_child_id: int) -> FlaggingChunk:
    """Score one chunk and write its statuses and follow-ups, all in one transaction.

    A chunk already done is left alone (a redelivered task); a chunk that crashed left
    nothing behind and is simply done again. Either way no row is written twice.
    """
    started = time.perf_counter()
    with transaction.atomic():
        chunk = (FlaggingChunk.objects.select_for_update(of=("self",)).select_related("run")
                 .get(run_id=run_id, district_id=district_id, first_child_id=first_child_id))
        if chunk.done_at is not None:
            return chunk
        run_day = RunDay(chunk.run.run_date)
        kids = chunk_children(district_id=district_id, first=first_child_id, last=last_child_id, on=run_day.on)
        backend = pg if connection.vendor == "postgresql" else orm
        data = backend.read_chunk(kids, first=first_child_id, last=last_child_id, run=run_day)
        result = rules.evaluate(data, run_day)
        changed, created = backend.write(result, run=run_day)
        chunk.done_at = timezone.now()
        chunk.children, chunk.measured = len(data), result.measured
        chunk.statuses_changed, chunk.followups_created = changed, created
        chunk.seconds = time.perf_counter() - started
        chunk.save()
        FlaggingRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1)
    return chunk


def run_finish(*, run_id: int) -> FlaggingRun:
    """Add up the chunks, close the run, then send flagging_finished."""
    with transaction.atomic():
        run = FlaggingRun.objects.select_for_update().get(pk=run_id)
        totals = run.chunks.filter(done_at__isnull=False).aggregate(
            children=Sum("children"), measured=Sum("measured"), statuses_changed=Sum("statuses_changed"),
            followups_created=Sum("followups_created"),
        )
        for name, value in totals.items():
            setattr(run, name, value or 0)
        run.chunks_done = run.chunks.filter(done_at__isnull=False).count()
        if run.status == FlaggingRun.Status.RUNNING:
            run.status = FlaggingRun.Status.DONE if run.chunks_done == run.chunks_total else FlaggingRun.Status.FAILED
        run.finished_at = run.finished_at or timezone.now()
        run.save()
    if connection.vendor == "postgresql" and run.statuses_changed + run.followups_created >= ANALYZE_AFTER_CHANGES:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FollowUp._meta.db_table}, {ChildStatus._meta.db_table}")
    # The dashboards' monthly rollups listen here (growth/signals.py).
    flagging_finished.send(sender=FlaggingRun, run_id=run.pk, run_date=run.run_date)
    log.info("flagging run %s %s: %s children, %s statuses changed, %s follow-ups in %.1f s", run.pk, run.status,
             run.children, run.statuses_changed, run.followups_created, run.duration_seconds or 0)
    return run


def run_fail(*, run_id: int, error: str) -> None:
    """A chunk gave up after its retries: the run shows as failed (the page says why)."""
    FlaggingRun.objects.filter(pk=run_id).update(status=FlaggingRun.Status.FAILED, error=error[:ERROR_CHARS],
                                                 finished_at=timezone.now())
