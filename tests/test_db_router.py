"""The read-replica router (poshan/db_router.py): dashboards' rollups and exports read from the replica,
every write and every read after a write (or inside a transaction) from the primary."""
from __future__ import annotations

import dataclasses

import pytest
from django.core.signals import request_started
from django.db import transaction
from django.urls import reverse

from anganwadi.models import Location
from beneficiaries.models import Beneficiary
from poshan import db_router
from poshan.core.models import AuditEvent
from poshan.dashboards.exports import kinds
from poshan.dashboards.models import AreaMonth, ExportJob, NutritionMonth

router = db_router.ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set; each test starts as a new request."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    db_router.fresh_unit_of_work()
    yield
    db_router.fresh_unit_of_work()


def test_without_a_replica_everything_reads_the_primary():
    assert db_router.replica_configured() is False  # tests run without DATABASE_REPLICA_URL
    assert router.db_for_read(AreaMonth) is None  # Django's default: the primary
    with db_router.replica_reads():
        assert router.db_for_read(Beneficiary) is None


def test_dashboards_rollups_are_read_from_the_replica(replica):
    assert router.db_for_read(AreaMonth) == "replica"
    assert router.db_for_read(NutritionMonth) == "replica"


def test_other_models_are_read_from_the_primary(replica):
    for model in (Location, Beneficiary, AuditEvent, ExportJob):
        assert router.db_for_read(model) == "default"


def test_every_write_goes_to_the_primary(replica):
    assert router.db_for_write(AreaMonth) == "default"
    assert router.db_for_write(Beneficiary) == "default"


def test_after_a_write_the_request_reads_the_primary_until_the_next_request(replica):
    router.db_for_write(ExportJob)
    assert router.db_for_read(AreaMonth) == "default"
    receivers, _async_receivers = request_started._live_receivers(None)
    assert db_router.fresh_unit_of_work in receivers  # run at the start of every request
    db_router.fresh_unit_of_work()
    assert router.db_for_read(AreaMonth) == "replica"


def test_a_new_celery_task_starts_afresh(replica):
    from celery.signals import task_prerun

    router.db_for_write(ExportJob)
    task_prerun.send(sender=None, task_id="x", task=None, args=(), kwargs={})
    assert router.db_for_read(AreaMonth) == "replica"


def test_export_reads_go_to_the_replica_even_after_the_jobs_own_writes(replica):
    router.db_for_write(ExportJob)  # the export job marks itself running, then reads its rows
    with db_router.replica_reads():
        assert router.db_for_read(Beneficiary) == "replica"
    assert router.db_for_read(Beneficiary) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(replica, db):
    with transaction.atomic():
        assert router.db_for_read(AreaMonth) == "default"
        with db_router.replica_reads():
            assert router.db_for_read(Beneficiary) == "default"


def test_replica_and_primary_objects_may_be_related(replica):
    area, location = AreaMonth(), Location()
    area._state.db, location._state.db = "replica", "default"
    assert router.allow_relation(area, location) is True


def test_nothing_is_migrated_on_the_replica():
    assert router.allow_migrate("replica", "dashboards") is False
    assert router.allow_migrate("default", "dashboards") is None


def test_the_export_page_reads_its_rows_in_a_replica_block(world, users, login, monkeypatch):
    seen = []

    def rows(scope):
        seen.append(db_router._reporting.get())
        yield ("2026-11", 1, "AWC")

    def count(scope):
        seen.append(db_router._reporting.get())
        return 1

    monkeypatch.setitem(kinds.KINDS, "summary", dataclasses.replace(kinds.KINDS["summary"], rows=rows, count=count,
                                                                        sql=None))  # the Python path (no COPY)
    from poshan.dashboards.exports import views

    monkeypatch.setitem(views.KINDS, "summary", kinds.KINDS["summary"])
    response = login(users.dpo).post(reverse("dashboards:export"), {
        "kind": "summary", "file_format": "csv", "month_from": "2026-11", "month_to": "2026-11"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert seen == [True, True]
    assert db_router._reporting.get() is False
