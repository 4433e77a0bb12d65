"""A rollup chunk's statements read what the chunk counts, not the whole country's history (PostgreSQL plans).

A chunk's cost has to stay flat as the country's tables grow: the nation's month is ~2,800 chunks, so a statement
that reads a whole table (or every month of a centre's history) per chunk grows with the nation twice over. On a
test's few rows PostgreSQL would read anything by a sequential scan, so each test turns those off and asks whether
the statement can be answered from the index made for it, which is what a large table's plan then picks.
"""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone

from beneficiaries import selectors as people
from poshan.dashboards.rollups import collect
from tests.factories import make_household, make_person
from thr_frs.models import FaceCheck

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's"),
    pytest.mark.django_db,
]


def _plans_of(run, table: str) -> list[str]:
    """The plan of each statement `run` sends that reads `table`, with sequential scans off."""
    sent = []

    def keep(execute, sql, params, many, context):
        if table in sql:
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        run()
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql, params in sent:
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_failed_face_matches_are_counted_from_the_failures_alone(world, users):
    """Not from the chunk's every match of every month (371 ms for 500 AWCs of a 2,500-AWC world, 0.1 ms now)."""
    person = make_person(make_household(world.awc1), dob=date(1995, 3, 1))
    month = timezone.localdate().replace(day=1)
    for status, matched in (("done", True), ("done", False), ("failed", None)):
        FaceCheck.objects.create(awc=world.awc1, beneficiary=person, person=person, purpose="match", month=month,
                                 quantity=1, status=status, matched=matched, requested_by=users.aww,
                                 distance=None if matched is None else 0.3 if matched else 0.7, tolerance=0.6,
                                 error="no face" if status == "failed" else "")
    counted = collect._thr_figures([world.awc1.pk, world.awc2.pk], month)
    assert counted[world.awc1.pk]["thr_failures"] == 2
    [plan] = _plans_of(lambda: collect._thr_figures([world.awc1.pk], month), "thr_frs_facecheck")
    assert "facecheck_failed_awc_month" in plan, plan


def test_a_chunks_centre_days_and_home_visits_are_read_for_its_month_only(world):
    """The month's open days and home visits from the (centre, date) indexes: with a single-column centre index
    beside them, PostgreSQL read every month of the chunk's history (135,000 rows left out by a filter, 500 AWCs of
    a 2,500-AWC world), so the chunk's cost grew with the months kept."""
    month = timezone.localdate().replace(day=1)
    for table, index in (("anganwadi_awcday", "awcday_once_a_day"), ("beneficiaries_homevisit", "homevisit_awc_date")):
        counts = [plan for plan in _plans_of(lambda: people.service_summary(awc_ids=[world.awc1.pk], month=month),
                                              table) if "GroupAggregate" in plan or "HashAggregate" in plan]
        assert counts and all(index in plan for plan in counts), counts


def test_a_chunk_is_planned_for_storage_read_out_of_order_at_little_cost(world):
    """A chunk's statements run with work_mem for their sorts (the chunk's transaction's own) and random_page_cost
    1.1 (solid-state storage, every connection's: tests/core/test_database_settings.py): at
    PostgreSQL's default 4 the register scan and the ranked measurements read the whole people table to find the
    chunk's people once it held a few chunks' worth (a 5,000-AWC world: 1.54-1.67 ms per AWC-month, 1.20-1.24 at 1.1),
    so a chunk's cost grew with the country."""
    from poshan.dashboards.rollups.refresh import refresh_awcs

    seen = {}

    def settings_then(execute, sql, params, many, context):
        if "beneficiaries_awcmembership" in sql and not seen:
            with context["connection"].connection.cursor() as raw:  # the same session, not through this wrapper
                raw.execute("SELECT current_setting('random_page_cost'), current_setting('work_mem')")
                seen["random_page_cost"], seen["work_mem"] = raw.fetchone()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(settings_then):
        refresh_awcs(timezone.localdate().replace(day=1), [world.awc1])
    assert seen == {"random_page_cost": "1.1", "work_mem": "64MB"}
