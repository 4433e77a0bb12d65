from celery import shared_task

from .audit import audit_verify


@shared_task(name="poshan.core.tasks.audit_verify_chain")
def audit_verify_chain() -> dict:
    """Nightly: walk the audit chain and report where it breaks (visible in the task result and logs)."""
    checked, breaks = audit_verify()
    return {"checked": checked, "breaks": [{"event_id": b.event_id, "reason": b.reason} for b in breaks]}


@shared_task(name="poshan.core.tasks.partitions_ensure")
def partitions_ensure() -> list[str]:
    """Daily: make the fact tables' monthly partitions ahead of time (idempotent; PostgreSQL only)."""
    from .partitions import ensure_partitions

    return ensure_partitions()
