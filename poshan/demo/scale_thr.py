"""Twelve months of Take-Home Ration for the benchmark world, generated inside PostgreSQL.

For each month, the people entitled on its reference day (its last day, or today) — children of 6 months
to 3 years, pregnant women, mothers in the first 183 days after delivery (beneficiaries.lifestage) — and
about nine in ten of them collect: a face check that matched (thr_frs.FaceCheck) and the hand-over it
verifies (thr_frs.ThrDistribution), both made by one INSERT … SELECT with a data-modifying CTE. No rows
travel through Python. On SQLite (tests, small worlds) nothing is made: the demo world has its own THR.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import connection, transaction

from poshan.demo.bulk import run_parallel
from thr_frs.entitlement import PACKETS_CHILD_6M_3Y, PACKETS_LACTATING, PACKETS_PREGNANT

COLLECT_SHARE = 0.9
AWC_BATCH = 250

THR_SQL = f"""
WITH months AS (
    SELECT m::date AS month, LEAST((m + interval '1 month' - interval '1 day')::date, %(today)s::date) AS ref
    FROM generate_series(%(start)s::date, %(today)s::date, interval '1 month') m
), entitled AS (
    SELECT b.id, b.awc_id, mo.month, mo.ref,
           CASE WHEN b.dob <= mo.ref - 183 AND b.dob > (mo.ref - interval '3 years')::date
                THEN {PACKETS_CHILD_6M_3Y}
                WHEN p.delivery_date IS NOT NULL AND p.delivery_date <= mo.ref THEN {PACKETS_LACTATING}
                ELSE {PACKETS_PREGNANT} END AS packets
    FROM beneficiaries_beneficiary b
    CROSS JOIN months mo
    LEFT JOIN beneficiaries_pregnancy p ON p.woman_id = b.id
    WHERE b.awc_id = ANY(%(awcs)s) AND b.exited_on IS NULL AND random() < %(share)s
      AND ((b.dob <= mo.ref - 183 AND b.dob > (mo.ref - interval '3 years')::date)
           OR (p.lmp IS NOT NULL AND p.lmp <= mo.ref AND p.lmp > mo.ref - 300 AND p.delivery_date IS NULL)
           OR (p.delivery_date IS NOT NULL AND p.delivery_date <= mo.ref AND p.delivery_date > mo.ref - 183))
), checks AS (
    INSERT INTO thr_frs_facecheck (client_uuid, awc_id, beneficiary_id, person_id, purpose, via_nominee, month,
                                   quantity, status, error, distance, matched, tolerance, distribution_error,
                                   requested_by_id, created_at, finished_at, duration_ms)
    SELECT gen_random_uuid(), awc_id, id, id, 'match', false, month, packets, 'done', '',
           round((0.28 + random() * 0.16)::numeric, 3), true, 0.5, '', %(user)s,
           (ref + time '10:30') AT TIME ZONE 'Asia/Kolkata', (ref + time '10:30') AT TIME ZONE 'Asia/Kolkata', 600
    FROM entitled
    RETURNING id, awc_id, beneficiary_id, month, quantity, created_at
)
INSERT INTO thr_frs_thrdistribution (beneficiary_id, awc_id, month, quantity, handed_over_by_id, handed_over_at,
                                     verified_by, face_check_id, failed_matches)
SELECT beneficiary_id, awc_id, month, quantity, %(user)s, created_at, 'face', id, 0 FROM checks
"""


def build_thr(awc_ids: list[int], *, start: date, today: date, user_id: int,
              progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {"thr_distributions": 0}
    made = 0

    def batch(ids: list[int]) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(THR_SQL, {"awcs": ids, "start": start, "today": today, "user": user_id,
                                     "share": COLLECT_SHARE})
            return cursor.rowcount

    batches = [awc_ids[i:i + AWC_BATCH] for i in range(0, len(awc_ids), AWC_BATCH)]
    for done, count in enumerate(run_parallel(batches, batch), start=1):
        made += count
        progress(f"THR: {min(done * AWC_BATCH, len(awc_ids))}/{len(awc_ids)} AWCs, {made:,} hand-overs")
    return {"thr_distributions": made}
