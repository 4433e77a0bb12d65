from celery import shared_task

from .audit import audit_verify


@shared_task(name="poshan.core.tasks.audit_verify_chain")
def audit_verify_chain() -> dict:
    """Nightly: walk the audit chain and report where it breaks (visible in the task result and logs)."""
    checked, breaks = audit_verify()
    return {"checked": checked, "breaks": [{"event_id": b.event_id, "reason": b.reason} for b in breaks]}
