"""The nightly job (eager Celery here): statuses, the follow-up list, idempotency and retries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection

from growth.flagging import jobs, orm, pg
from growth.models import ChildStatus, Class, FlaggingChunk, FlaggingRun, FollowUp
from growth.signals import flagging_finished
from growth.tasks import run_nightly, score_chunk
from poshan.dashboards.models import RollupRun
from tests.growth.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")

OCT, NOV = date(2026, 10, 12), date(2026, 11, 12)


@pytest.fixture
def children(world, make_child, measure):
    """Four girls born 1 May 2025 at awc1 and one boy at awc5 (another district)."""
    dob = date(2025, 5, 1)
    kids = {name: make_child(world.awc1, dob=dob, name=name) for name in ("stunted", "sam", "faltering", "unweighed")}
    kids["elsewhere"] = make_child(world.awc5, dob=dob, sex="M", name="elsewhere")
    measure(kids["stunted"], on=OCT, weight=8.8, lenhei=76.5)
    measure(kids["stunted"], on=NOV, weight=8.8, lenhei=73.0)        # HAZ −2.75: newly stunted
    measure(kids["sam"], on=OCT, weight=10.5, lenhei=80.5, muac=13.5)
    measure(kids["sam"], on=NOV, weight=10.5, lenhei=81.0, muac=11.0)  # MUAC < 11.5: SAM
    measure(kids["faltering"], on=OCT, weight=10.5, lenhei=80.5)
    measure(kids["faltering"], on=NOV, weight=9.6, lenhei=81.0)      # WAZ 0.32 → −0.58
    measure(kids["unweighed"], on=OCT, weight=10.5, lenhei=80.5)     # nothing in November
    measure(kids["elsewhere"], on=NOV, weight=11.0, lenhei=82.0)
    return kids


def run(**kwargs) -> FlaggingRun:
    run_id = run_nightly.delay(TODAY.isoformat(), **kwargs).get()
    return FlaggingRun.objects.get(pk=run_id)


def reasons(child) -> set[str]:
    return set(FollowUp.objects.filter(child=child).values_list("reason", flat=True))


def snapshot() -> tuple[list, list]:
    statuses = list(ChildStatus.objects.order_by("child_id").values())
    followups = list(FollowUp.objects.order_by("id").values())
    return statuses, followups


def test_run_finishes_with_counts(children):
    finished = run()
    assert finished.status == FlaggingRun.Status.DONE
    assert (finished.chunks_total, finished.chunks_done) == (2, 2)  # two districts
    assert (finished.children, finished.measured, finished.statuses_changed) == (5, 5, 5)
    assert finished.followups_created == FollowUp.objects.count() > 0
    assert finished.duration_seconds is not None


def test_newly_stunted_child_is_on_the_follow_up_list(children):
    run()
    assert reasons(children["stunted"]) == {"stunted"}
    assert FollowUp.objects.get(child=children["stunted"]).month == date(2026, 11, 1)


def test_sam_child_is_on_the_follow_up_list(children):
    run()
    assert reasons(children["sam"]) == {"sam"}


def test_faltering_child_is_on_the_follow_up_list(children):
    run()
    followup = FollowUp.objects.get(child=children["faltering"])
    assert followup.reason == "faltering" and followup.z_change < -0.5


def test_child_not_weighed_this_month_is_on_the_follow_up_list(children):
    run()
    followup = FollowUp.objects.get(child=children["unweighed"])
    assert (followup.reason, followup.month, followup.measurement_id) == ("not_weighed", date(2026, 11, 1), None)


def test_well_child_weighed_this_month_is_not_on_the_list(children):
    run()
    assert reasons(children["elsewhere"]) == set()


def test_status_holds_latest_scores_and_classes(children):
    run()
    status = ChildStatus.objects.get(child=children["stunted"])
    latest = children["stunted"].measurements.latest("date")
    assert (status.measurement_id, status.measured_on) == (latest.pk, NOV)
    assert status.haz == latest.haz and status.stunting == Class.MODERATE
    assert (status.weight_kg, status.lenhei_cm, status.muac_cm) == (Decimal("8.80"), Decimal("73.0"), None)
    assert status.changed_on == TODAY
    sam = ChildStatus.objects.get(child=children["sam"])
    assert (sam.weight_kg, sam.lenhei_cm, sam.muac_cm) == (Decimal("10.50"), Decimal("81.0"), Decimal("11.0"))


def test_statuses_written_before_they_kept_the_measured_values_get_them_from_their_measurement(children):
    """The migration that added the measured values to the statuses fills them in from each one's measurement."""
    run()
    before = snapshot()[0]
    ChildStatus.objects.update(weight_kg=None, lenhei_cm=None, muac_cm=None)
    import_module("growth.migrations.0005_childstatus_measured_values").copy_measured_values(django_apps, None)
    assert snapshot()[0] == before
    assert all(row["weight_kg"] is not None for row in before)


def test_rerun_for_the_same_day_changes_nothing(children):
    run()
    before = snapshot()
    second = run()
    assert snapshot() == before
    assert (second.statuses_changed, second.followups_created) == (0, 0)


def test_chunk_run_twice_writes_no_duplicates(children):
    finished = run()
    chunk = finished.chunks.first()
    before = snapshot()
    score_chunk.delay(run_id=finished.pk, district_id=chunk.district_id, first_child_id=chunk.first_child_id,
                      last_child_id=chunk.last_child_id).get()
    assert snapshot() == before
    assert FlaggingRun.objects.get(pk=finished.pk).chunks_done == finished.chunks_done


def test_crashed_chunk_leaves_nothing_and_its_retry_writes_once(children, monkeypatch):
    started = jobs.run_start(run_date=TODAY)
    chunk = started.chunks.get(district=children["stunted"].awc.district_id)
    backend = pg if connection.vendor == "postgresql" else orm
    real_write = backend.write

    def crash_after_writing(result, *, run):
        real_write(result, run=run)
        raise ConnectionError("worker lost")

    monkeypatch.setattr(backend, "write", crash_after_writing)
    args = dict(run_id=started.pk, district_id=chunk.district_id, first_child_id=chunk.first_child_id,
                last_child_id=chunk.last_child_id)
    with pytest.raises(ConnectionError):
        jobs.chunk_score(**args)
    assert (ChildStatus.objects.count(), FollowUp.objects.count()) == (0, 0)
    monkeypatch.setattr(backend, "write", real_write)
    jobs.chunk_score(**args)
    jobs.chunk_score(**args)
    assert ChildStatus.objects.count() == 4
    assert FollowUp.objects.filter(child=children["stunted"], reason="stunted").count() == 1
    assert FlaggingChunk.objects.get(pk=chunk.pk).done_at is not None
    assert FlaggingRun.objects.get(pk=started.pk).chunks_done == 1


def test_large_district_is_split_into_child_id_ranges(children):
    finished = run(chunk_size=2)
    ranges = list(finished.chunks.order_by("first_child_id").values_list("district_id", "first_child_id",
                                                                          "last_child_id"))
    assert len(ranges) == 3  # 4 children in district1 → 2 chunks; 1 in district2
    assert finished.children == 5 and finished.status == FlaggingRun.Status.DONE


def test_weighing_later_in_the_month_clears_not_weighed_on_the_next_run(children, measure):
    run()
    measure(children["unweighed"], on=TODAY, weight=10.5, lenhei=82.0)
    run()
    assert not FollowUp.objects.filter(child=children["unweighed"], resolved_at__isnull=True).exists()


def test_resolved_follow_up_is_not_reopened(children, users):
    from growth.services import followup_resolve

    run()
    followup_resolve(actor=users.supervisor, followup=FollowUp.objects.get(child=children["sam"]), note="NRC")
    run()
    followup = FollowUp.objects.get(child=children["sam"])
    assert followup.resolution == FollowUp.Resolution.FOLLOWED_UP


def test_children_who_left_are_not_scored(children):
    from beneficiaries.models import Beneficiary

    Beneficiary.objects.filter(pk=children["unweighed"].pk).update(exited_on=date(2026, 11, 1),
                                                                   exit_reason="moved_away")
    assert run().children == 4
    assert reasons(children["unweighed"]) == set()


def test_run_without_children_finishes_empty(db):
    finished = run()
    assert (finished.status, finished.chunks_total, finished.children) == (FlaggingRun.Status.DONE, 0, 0)


def test_a_finished_run_sends_flagging_finished(children):
    recorded = []

    def record(*, run_id: int, run_date: date, **_signal) -> None:
        recorded.append((run_id, run_date))

    flagging_finished.connect(record)
    try:
        finished = run()
    finally:
        flagging_finished.disconnect(record)
    assert recorded == [(finished.pk, TODAY)]


def test_a_finished_run_queues_the_dashboards_refresh_of_its_month(children):
    run()
    assert RollupRun.objects.filter(trigger="nightly", month=TODAY.replace(day=1)).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_big_run_refreshes_the_planner_statistics_of_follow_ups(children, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [FollowUp._meta.db_table])
        before = cursor.fetchone()[0]
    monkeypatch.setattr(jobs, "ANALYZE_AFTER_CHANGES", 1)
    run = run_nightly(TODAY.isoformat())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [FollowUp._meta.db_table])
        after = cursor.fetchone()[0]
    assert FollowUp.objects.exists() and before <= 0
    assert after == FollowUp.objects.count(), (run, before, after)


def test_a_run_for_an_older_date_never_replaces_a_status_from_a_newer_measurement(children):
    # Given tonight's run has scored every child from its November measurement,
    run()
    newer = {row["child_id"]: row for row in ChildStatus.objects.values()}
    # when someone re-runs the job for a day in October (it sees only the October measurements),
    run_nightly.delay(date(2026, 10, 20).isoformat()).get()
    # then no status moves back in time: each keeps the measurement it was computed from.
    after = {row["child_id"]: row for row in ChildStatus.objects.values()}
    assert {k: (v["measurement_id"], v["measured_on"]) for k, v in after.items()} == {
        k: (v["measurement_id"], v["measured_on"]) for k, v in newer.items()
    }
    assert newer[children["stunted"].pk]["measured_on"] == NOV


def test_an_older_date_run_still_scores_a_child_it_has_no_status_for(children, measure, make_child, world):
    newcomer = make_child(world.awc1, dob=date(2025, 5, 1), name="newcomer")
    measure(newcomer, on=OCT, weight=10.0, lenhei=80.0)
    run_nightly.delay(date(2026, 10, 20).isoformat()).get()
    assert ChildStatus.objects.get(child=newcomer).measured_on == OCT
