"""Celery tasks: primitives in, a service or a delivery out; safe to run twice."""
from celery import shared_task

from . import services
from .notify import send_notifications  # noqa: F401  (a task of its own name, kept beside the delivery)


@shared_task(name="grievances.tasks.escalate_overdue")
def escalate_overdue() -> dict:
    """Beat: move every overdue grievance one desk up (rows no longer overdue are left alone)."""
    return {"escalated": services.grievance_escalate_overdue()}
