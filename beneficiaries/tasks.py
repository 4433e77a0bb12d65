"""Celery tasks of the beneficiaries (queue "default"): primitives in, a service out; safe to run twice."""
from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import beneficiaries_exit_aged_out


@shared_task(name="beneficiaries.tasks.life_stage_nightly")
def life_stage_nightly(on: str | None = None) -> dict:
    """Nightly (beat, before growth's flagging): children who reached 6 leave the programme as aged out.

    `on` is an ISO date (today by default). Idempotent: a second run the same night finds nobody left to move.
    """
    day = date.fromisoformat(on) if on else timezone.localdate()
    return {"aged_out": beneficiaries_exit_aged_out(on=day)}
