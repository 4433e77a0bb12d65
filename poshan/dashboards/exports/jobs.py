"""An export job's work, run by its Celery task (tasks.py): scope, write the file with progress, expire old files.

Below both the service that starts a job (service.py) and the task that runs it, so neither imports the other.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from anganwadi.selectors import awcs_visible_to, locations_visible_to
from poshan.core.dates import add_months
from poshan.core.roles import Level
from poshan.db_router import read_on_replica, replica_reads

from ..models import ExportJob
from .copycsv import copy_csv
from .kinds import KINDS, Scope, postgres_writes
from .writer import write_csv, write_xlsx

KEEP_DAYS = 7
MAX_MONTHS = 24


def export_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "private" / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def scope_for(*, user, location: Location | None, month_from: date, month_to: date) -> Scope:
    """The AWCs of a place inside the user's area (their whole area when no place is chosen)."""
    if month_to < month_from:
        raise ValidationError({"month_to": _("The last month is before the first.")})
    if month_to >= add_months(month_from, MAX_MONTHS):
        raise ValidationError({"month_to": _("Export at most %(n)s months at a time.") % {"n": MAX_MONTHS}})
    awcs = awcs_visible_to(user)
    if location is not None:
        if not locations_visible_to(user).filter(pk=location.pk).exists():
            raise ValidationError({"location": _("This place is outside your area.")})
        awcs = awcs.filter(pk=location.pk) if location.level == Level.AWC else awcs.filter(
            **{f"{location.level}_id": location.pk})
    return Scope(awc_ids=awcs.values("pk"), month_from=month_from, month_to=month_to)


@contextmanager
def progress_beside(job_pk: int) -> Iterator[Callable[[int], None]]:
    """Progress written through a second connection: COPY keeps its own busy (and inside its transaction) until
    the last row, so an update there would fail, or stay invisible until the end."""
    beside = connections.create_connection(DEFAULT_DB_ALIAS)
    quote = beside.ops.quote_name
    sql = (f"UPDATE {quote(ExportJob._meta.db_table)} SET {quote(ExportJob._meta.get_field('rows_done').column)}"
           f" = %s WHERE {quote(ExportJob._meta.pk.column)} = %s")

    def progress(n: int) -> None:
        with beside.cursor() as cursor:
            cursor.execute(sql, [n, job_pk])

    try:
        yield progress
    finally:
        beside.close()


def export_job_run(job_id: int) -> ExportJob:
    """Write the file, recording progress on the job row; a failure is recorded, not lost."""
    job = ExportJob.objects.select_related("user", "location").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    kind = KINDS[job.kind]
    scope = scope_for(user=job.user, location=job.location, month_from=job.month_from, month_to=job.month_to)
    with replica_reads():  # the rows may come from a read replica (poshan/db_router.py)
        job.status, job.rows_total = ExportJob.Status.RUNNING, kind.count(scope)
    job.file_name = f"{uuid.uuid4().hex}.{job.file_format}"
    job.save(update_fields=["status", "rows_total", "file_name"])
    path = export_dir() / job.file_name

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=n)

    try:
        with path.open("wb") as target:
            if postgres_writes(kind, job.file_format, scope):
                with progress_beside(job.pk) as progress, replica_reads():
                    rows = copy_csv(target, kind.headers, kind.sql, scope, progress)
            else:
                writer = write_xlsx if job.file_format == "xlsx" else write_csv
                rows = writer(target, kind.headers, read_on_replica(kind.rows(scope)), progress)
    except Exception as exc:
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        raise
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, rows_done=rows, rows_total=rows,
                                               finished_at=now, expires_at=now + timedelta(days=KEEP_DAYS))
    job.refresh_from_db()
    return job


def exports_expire() -> int:
    """Delete files past their time (a beat task); the job rows stay as a record."""
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lt=timezone.now()).exclude(
        file_name="")
    count = 0
    for job in expired:
        (export_dir() / job.file_name).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(file_name="")
        count += 1
    return count
