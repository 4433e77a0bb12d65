"""Starting exports — scoped to the user's area, audited; a large one is queued as a job (jobs.py does the work)."""
from __future__ import annotations

from datetime import date

from django.db import transaction

from anganwadi.models import Location
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent
from poshan.core.roles import Level

from ..models import ExportJob
from .jobs import export_dir, scope_for
from .tasks import export_run

STREAM_LIMIT = 5_000  # rows; above this an export becomes a Celery job


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
    transaction.on_commit(lambda: export_run.delay(job.pk))
    return job


__all__ = ["STREAM_LIMIT", "audit_export", "export_dir", "export_job_create", "scope_for"]
