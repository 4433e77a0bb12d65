"""Celery tasks of the beneficiaries (queue "default"): primitives in, a service out; safe to run twice."""
from __future__ import annotations

from datetime import date

from celery import group, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .services.lifestages import life_stage_district as district_changes
from .services.lifestages import life_stage_districts

CHUNK_MAX_RETRIES = 3


@shared_task(name="beneficiaries.tasks.life_stage_nightly")
def life_stage_nightly(on: str | None = None) -> dict:
    """Nightly (beat, before growth's flagging): one life_stage_district task per district (lifestage_rules.py:
    children reaching 6 leave, overdue pregnancies are flagged, lactation and the adolescent scheme end).

    `on` is an ISO date (today by default). Idempotent: a second run the same night records nothing new.
    """
    day = date.fromisoformat(on) if on else timezone.localdate()
    districts = life_stage_districts(day)
    if districts:
        group(life_stage_district.si(district_id=d, on=day.isoformat()) for d in districts).apply_async()
    return {"on": day.isoformat(), "districts": len(districts)}


@shared_task(name="beneficiaries.tasks.life_stage_district", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=CHUNK_MAX_RETRIES)
def life_stage_district(*, district_id: int | None, on: str) -> dict:
    """One district's life-stage changes of the night of `on` (a redelivered task records nothing twice)."""
    return district_changes(district_id=district_id, on=date.fromisoformat(on))
