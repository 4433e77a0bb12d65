"""Celery tasks: primitives in, a service or a delivery out; safe to run twice."""
from celery import shared_task
from django.contrib.auth import get_user_model

from . import notify, services


@shared_task(name="grievances.tasks.escalate_overdue")
def escalate_overdue() -> dict:
    """Beat: move every overdue grievance one desk up (rows no longer overdue are left alone)."""
    return {"escalated": services.grievance_escalate_overdue()}


@shared_task(name="grievances.tasks.send_notifications")
def send_notifications(user_ids: list[int], key: str, params: dict, link: str) -> int:
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    return notify.deliver(users, key, params, link)
