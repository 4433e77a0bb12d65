from celery import shared_task

from .audit_tree import audit_verify, seal_once
from .partitions import ensure_partitions


@shared_task(name="poshan.core.tasks.audit_verify_chain")
def audit_verify_chain() -> dict:
    """Nightly: check the audit log against its trees and signed heads (findings in the task result and logs)."""
    checked, breaks = audit_verify()
    return {"checked": checked, "breaks": [{"event_id": b.event_id, "reason": b.reason} for b in breaks]}


@shared_task(name="poshan.core.tasks.audit_seal")
def audit_seal() -> dict:
    """Every AUDIT_SEAL_EVERY seconds (beat): seal committed audit events into their trees and sign a tree head.

    Safe to run twice at once: a second round finds the sealer's lock held and returns at once.
    """
    result = seal_once()
    return {"sealed": len(result.sealed), "head": result.head.serial if result.head else None,
            "skipped": result.skipped}


@shared_task(name="poshan.core.tasks.partitions_ensure")
def partitions_ensure() -> list[str]:
    """Daily: make the fact tables' monthly partitions ahead of time (idempotent; PostgreSQL only)."""
    return ensure_partitions()
