"""Twelve months of the centres' daily facts for the benchmark world, generated inside PostgreSQL.

INSERT … SELECT over generate_series: no rows travel through Python. On SQLite (tests,
small worlds) the same facts are made with bulk_create.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from anganwadi.models import AwcDay
from beneficiaries.models import Attendance, Beneficiary
from poshan.core.models import User

from .bulk import run_parallel

SCALE_MONTHS = 12
OPEN_SHARE = 0.92       # days a centre opens (Sundays closed)
PRESENT_SHARE = 0.72    # children of 3–6 present on an open day
AWC_BATCH = 250

DAYS_SQL = """
INSERT INTO anganwadi_awcday (awc_id, date, opened, opened_at, closed_at, not_open_reason, backdate_reason,
                              recorded_by_id, recorded_at)
SELECT a.id, d::date, r < %(open)s, CASE WHEN r < %(open)s THEN time '09:30' END,
       CASE WHEN r < %(open)s THEN time '13:30' END, CASE WHEN r < %(open)s THEN '' ELSE 'holiday' END, '',
       %(user)s, now()
FROM anganwadi_location a
CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
CROSS JOIN LATERAL (SELECT random() AS r) x
WHERE a.level = 'awc' AND a.id = ANY(%(awcs)s) AND extract(dow FROM d) <> 0
ON CONFLICT DO NOTHING
"""
ATTENDANCE_SQL = """
INSERT INTO beneficiaries_attendance (awc_id, child_id, date, hcm)
SELECT b.awc_id, b.id, day.date, random() < 0.95
FROM beneficiaries_beneficiary b
JOIN anganwadi_awcday day ON day.awc_id = b.awc_id AND day.opened
WHERE b.awc_id = ANY(%(awcs)s) AND day.date BETWEEN %(start)s AND %(end)s
  AND b.dob <= day.date - interval '3 years' AND b.dob > day.date - interval '6 years'
  AND random() < %(present)s
ON CONFLICT DO NOTHING
"""
VISITS_SQL = """
INSERT INTO beneficiaries_homevisit (awc_id, beneficiary_id, date, purpose, topic, notes, backdate_reason,
                                     recorded_by_id, created_at)
SELECT p.woman_awc, p.woman_id, LEAST(m::date + (random() * 20)::int, %(end)s::date), 'pregnancy', 'birth_preparedness', '', '',
       %(user)s, now()
FROM (SELECT pr.woman_id, b.awc_id AS woman_awc FROM beneficiaries_pregnancy pr
      JOIN beneficiaries_beneficiary b ON b.id = pr.woman_id WHERE b.awc_id = ANY(%(awcs)s)) p
CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 month') m
WHERE random() < 0.7
"""


def seed_user() -> User:
    user, _ = User.objects.get_or_create(username="scale_seed", defaults={"is_active": False})
    return user


def first_month(today: date, months: int = SCALE_MONTHS) -> date:
    """The first day of the earliest of `months` months ending with today's."""
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start


def build_service_facts(awc_ids: list[int], *, months: int = SCALE_MONTHS,
                        progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    today = timezone.localdate()
    start = first_month(today, months)
    user = seed_user()
    if connection.vendor != "postgresql":
        return _build_small(awc_ids, start, today, user)
    made = {"awc_days": 0, "attendance": 0, "home_visits": 0}

    def batch(ids: list[int]) -> dict[str, int]:
        params = {"awcs": ids, "start": start, "end": today, "user": user.pk, "open": OPEN_SHARE,
                  "present": PRESENT_SHARE}
        counts = {}
        with transaction.atomic(), connection.cursor() as cursor:
            for key, sql in (("awc_days", DAYS_SQL), ("attendance", ATTENDANCE_SQL), ("home_visits", VISITS_SQL)):
                cursor.execute(sql, params)
                counts[key] = cursor.rowcount
        return counts

    batches = [awc_ids[i:i + AWC_BATCH] for i in range(0, len(awc_ids), AWC_BATCH)]
    for done, counts in enumerate(run_parallel(batches, batch), start=1):
        for key, n in counts.items():
            made[key] += n
        progress(f"services: {min(done * AWC_BATCH, len(awc_ids))}/{len(awc_ids)} AWCs, "
                 f"{made['attendance']:,} attendance rows")
    return made


def _build_small(awc_ids: list[int], start: date, today: date, user: User) -> dict[str, int]:
    rng = random.Random(7)
    days, rows = [], []
    children = list(Beneficiary.objects.filter(awc_id__in=awc_ids).values_list("pk", "awc_id", "dob"))
    day = start
    while day <= today:
        if day.weekday() != 6:
            for awc in awc_ids:
                opened = rng.random() < OPEN_SHARE
                days.append(AwcDay(awc_id=awc, date=day, opened=opened, opened_at=time(9, 30) if opened else None,
                                   not_open_reason="" if opened else "holiday", recorded_by=user))
                if opened:
                    rows += [Attendance(awc_id=awc, child_id=pk, date=day, hcm=True) for pk, a, dob in children
                             if a == awc and 3 * 365 < (day - dob).days < 6 * 365 and rng.random() < PRESENT_SHARE]
        day += timedelta(days=1)
    AwcDay.objects.bulk_create(days, ignore_conflicts=True)
    Attendance.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5_000)
    return {"awc_days": len(days), "attendance": len(rows), "home_visits": 0}
