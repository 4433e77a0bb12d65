"""Starting, running and serving exports — scoped to the user's area, audited, kept for a limited time."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from anganwadi.selectors import awcs_visible_to, locations_visible_to
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent
from poshan.core.roles import Level
from poshan.db_router import read_on_replica, replica_reads

from ..models import ExportJob
from .kinds import KINDS, Scope
from .writer import write_csv, write_xlsx

STREAM_LIMIT = 5_000  # rows; above this an export becomes a Celery job
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
    if (month_to.year - month_from.year) * 12 + month_to.month - month_from.month >= MAX_MONTHS:
        raise ValidationError({"month_to": _("Export at most %(n)s months at a time.") % {"n": MAX_MONTHS}})
    awcs = awcs_visible_to(user)
    if location is not None:
        if not locations_visible_to(user).filter(pk=location.pk).exists():
            raise ValidationError({"location": _("This place is outside your area.")})
        awcs = awcs.filter(pk=location.pk) if location.level == Level.AWC else awcs.filter(
            **{f"{location.level}_id": location.pk})
    return Scope(awc_ids=awcs.values("pk"), month_from=month_from, month_to=month_to)


def audit_export(*, user, kind: str, location: Location | None, rows: int | str) -> None:
    audit_record(actor=user, action=AuditEvent.Action.EXPORT, object_type=f"export:{kind}",
                 object_id=f"{location.pk if location else 'area'}:{rows}",
                 awc_id=location.pk if location is not None and location.level == Level.AWC else None)


@transaction.atomic
def export_job_create(*, user, kind: str, file_format: str, location: Location | None, month_from: date,
                      month_to: date) -> ExportJob:
    job = ExportJob.objects.create(user=user, kind=kind, file_format=file_format, location=location,
                                   month_from=month_from, month_to=month_to)
    audit_record(actor=user, action=AuditEvent.Action.EXPORT, obj=job, fields=["kind", "location", "months"])
    from ..tasks import export_run

    transaction.on_commit(lambda: export_run.delay(job.pk))
    return job


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
