"""Celery tasks of the anganwadi app (queue "default"): primitives in, a service out; safe to run twice."""
from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .charge.services import charges_expire


@shared_task(name="anganwadi.tasks.charges_expire_nightly")
def charges_expire_nightly(on: str | None = None) -> dict:
    """Nightly (beat): additional charges whose last day has passed lose their guardian permission and the expiry
    is audited. Access already ended at midnight (the scoping checks the dates); this only tidies and records."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    return {"on": day.isoformat(), "expired": charges_expire(today=day)}
