"""The nightly job end to end on a real Celery worker (Redis broker, PostgreSQL)."""
from __future__ import annotations

import time
from datetime import date

import pytest

from growth.models import ChildStatus, FlaggingRun, FollowUp
from growth.tasks import run_nightly

RUN_DAY = date(2026, 11, 27)
TASK_TIMEOUT = 60


@pytest.mark.worker
def test_worker_runs_the_nightly_job_end_to_end(real_worker, world, make_child):
    from growth.models import Measurement

    stunted = make_child(world.awc1, dob=date(2025, 5, 1), name="stunted")
    unweighed = make_child(world.awc5, dob=date(2025, 5, 1), name="unweighed")
    # Loaded as the demo loader does (the service refuses dates after the machine's today).
    Measurement.objects.create(child=stunted, awc=world.awc1, district=world.district1, date=date(2026, 11, 12),
                               weight_kg="8.80", lenhei_cm="73.0", measure="l")
    run_id = run_nightly.apply_async(kwargs={"run_date": RUN_DAY.isoformat()}).get(timeout=TASK_TIMEOUT)
    deadline = time.monotonic() + TASK_TIMEOUT
    while FlaggingRun.objects.get(pk=run_id).status == FlaggingRun.Status.RUNNING:
        assert time.monotonic() < deadline, "the run did not finish within a minute"
        time.sleep(0.2)
    run = FlaggingRun.objects.get(pk=run_id)
    assert (run.status, run.chunks_done, run.children) == (FlaggingRun.Status.DONE, 2, 2)
    assert ChildStatus.objects.get(child=stunted).stunting == 1
    assert set(FollowUp.objects.values_list("child__name", "reason")) == {("stunted", "stunted"),
                                                                         ("unweighed", "not_weighed")}
