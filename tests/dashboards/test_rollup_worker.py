"""The month fanned out on a real Celery worker (chunk tasks on `default`, a chord summing the levels above), and
the half-hourly refresh recounting only the centres where a fact changed."""
import time
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent
from poshan.dashboards.models import AreaMonth, RollupRun
from poshan.dashboards.rollups import refresh as refresh_module
from poshan.dashboards.tasks import (
    LAST_INCREMENTAL_KEY,
    refresh_current_month_incremental,
    refresh_queue,
)
from tests.factories import make_household, make_person


def _awc_rows():
    return sorted(AreaMonth.objects.filter(level="awc").values_list("location", "beneficiaries"))


def test_a_queued_month_runs_as_chunk_tasks_and_a_chord_on_a_real_worker(real_worker, world):
    make_person(make_household(world.awc1), name="A", sex="F", dob=date(2025, 1, 1), enrol_as="child")
    make_person(make_household(world.awc2), name="B", sex="M", dob=date(2024, 1, 1), enrol_as="child")
    month = timezone.localdate().replace(day=1)
    refresh_module.refresh_month(month, trigger="admin")
    expected = sorted(AreaMonth.objects.filter(month=month).values_list("level", "location", "beneficiaries"))
    AreaMonth.objects.all().delete()
    run = refresh_queue(month, trigger="admin")  # the worker plans the chunks (AWC_CHUNK there: one chunk)
    run.refresh_from_db()
    for _ in range(600):
        if run.status != RollupRun.Status.RUNNING:
            break
        time.sleep(0.1)
        run.refresh_from_db()
    assert run.status == RollupRun.Status.DONE and run.awcs_done == run.awcs_total > 0
    assert sorted(AreaMonth.objects.filter(month=month).values_list("level", "location", "beneficiaries")) == expected


@pytest.fixture
def counted_month(world, users):
    make_person(make_household(world.awc1), name="A", sex="F", dob=date(2025, 1, 1), enrol_as="child")
    refresh_module.refresh_month(timezone.localdate().replace(day=1), trigger="admin")
    cache.set(LAST_INCREMENTAL_KEY, timezone.now(), None)
    return {row.location_id: row.pk for row in AreaMonth.objects.filter(level="awc")}


def test_the_incremental_refresh_recounts_only_centres_with_a_new_fact(counted_month, world, users):
    make_person(make_household(world.awc2), name="B", sex="M", dob=date(2024, 1, 1), enrol_as="child")
    result = refresh_current_month_incremental()
    assert result["awcs"] == 1
    now = {row.location_id: row.pk for row in AreaMonth.objects.filter(level="awc")}
    assert now[world.awc2.pk] != counted_month[world.awc2.pk]  # recounted: a new row
    assert now[world.awc1.pk] == counted_month[world.awc1.pk]  # untouched
    month = timezone.localdate().replace(day=1)
    assert AreaMonth.objects.get(level="awc", location=world.awc2, month=month).beneficiaries == 1


def test_a_page_viewed_recounts_nothing(counted_month, world, users):
    audit_record(actor=users.supervisor, action=AuditEvent.Action.VIEW, object_type="beneficiaries.register",
                 object_id="1", awc_id=world.awc1.pk)
    assert refresh_current_month_incremental() == {"awcs": 0}
    assert {row.location_id: row.pk for row in AreaMonth.objects.filter(level="awc")} == counted_month
