"""The nightly life-stage work at 5,000 AWCs and a million people: each district's chunk (the task
beneficiaries.tasks.life_stage_district) on a first night with a backlog, the same night again, and the next night.

Run: .venv/bin/python bench/lifestage.py [--awcs 5000] [--people-per-awc 200]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); creates database poshan_bench_lifestage.
The world (state → 5 districts → 50 projects → 200 sectors → 25 AWCs each; the first district aspirational) holds
people of every age up to 40 (spread evenly), half of them girls, and 10 pregnancies per centre (LMPs over the last
320 days, half of them delivered). The world is a running one: those whose 6th birthday is more than
CATCH_UP_DAYS ago left already (exit "aged out"); the first night records the children who reached 6 in the last
month and the pregnancies past their date (a missed month's catch-up), the next night one day's changes.
"""
import argparse
import os
import time
from datetime import timedelta

from _setup import django_setup, fresh_database

AGE_SPAN_DAYS = 40 * 365
PREGNANCIES_PER_AWC = 10
BATCH = 20000


def build(args, today):
    from _world import households, location_tree

    from beneficiaries.lifestage import birthday
    from beneficiaries.lifestage_rules import CATCH_UP_DAYS
    from beneficiaries.models import Beneficiary, Pregnancy

    tree = location_tree(args.awcs)
    awcs = tree.awcs
    for awc in awcs:
        awc.is_aspirational = awc.district_id == tree.districts[0].pk
    type(awcs[0]).objects.bulk_update(awcs, ["is_aspirational"], batch_size=5000)
    homes = households(awcs)
    started, made = time.perf_counter(), 0
    rows = []
    for i, (awc, home) in enumerate(zip(awcs, homes)):
        for k in range(args.people_per_awc):
            age = (k * AGE_SPAN_DAYS // args.people_per_awc + i * 7) % AGE_SPAN_DAYS
            dob = today - timedelta(days=age)
            left = birthday(dob, 6) if birthday(dob, 6) < today - timedelta(days=CATCH_UP_DAYS) else None
            rows.append(Beneficiary(awc=awc, household=home, name=f"P {i}-{k}", sex="FM"[k % 2], dob=dob,
                                    exited_on=left, exit_reason="aged_out" if left else ""))
        if len(rows) >= BATCH:
            made += len(Beneficiary.objects.bulk_create(rows, batch_size=BATCH))
            rows = []
    made += len(Beneficiary.objects.bulk_create(rows, batch_size=BATCH))
    women = list(Beneficiary.objects.filter(sex="F", dob__lte=today - timedelta(days=20 * 365),
                                            dob__gt=today - timedelta(days=35 * 365))
                 .order_by("awc_id", "pk").values_list("awc_id", "pk"))
    per_awc: dict[int, list[int]] = {}
    for awc_id, pk in women:
        per_awc.setdefault(awc_id, []).append(pk)
    pregnancies = []
    for ids in per_awc.values():
        for j, pk in enumerate(ids[:PREGNANCIES_PER_AWC]):
            lmp = today - timedelta(days=(j * 31 + pk) % 320)
            delivered = lmp + timedelta(days=270) if j % 2 and lmp + timedelta(days=270) <= today else None
            pregnancies.append(Pregnancy(woman_id=pk, lmp=lmp, edd=lmp + timedelta(days=280), delivery_date=delivered,
                                         outcome="live_birth" if delivered else ""))
    Pregnancy.objects.bulk_create(pregnancies, batch_size=BATCH)
    print(f"{len(awcs)} AWCs, {len(tree.districts)} districts, {made} people, {len(pregnancies)} pregnancies "
          f"(built in {time.perf_counter() - started:.0f} s)")
    return tree.districts


def night(districts, on, label: str) -> None:
    from django.db import connection

    from beneficiaries.services.lifestages import (
        life_stage_district,
        life_stage_districts,
    )

    started = time.perf_counter()
    chunks = life_stage_districts(on)
    listed = time.perf_counter() - started
    totals: dict[str, int] = {}
    slowest = 0.0
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for district_id in chunks:
            one = time.perf_counter()
            for kind, n in life_stage_district(district_id=district_id, on=on).items():
                totals[kind] = totals.get(kind, 0) + n
            slowest = max(slowest, time.perf_counter() - one)
    seconds = time.perf_counter() - started
    print(f"{label} ({on}): {len(chunks)} chunks listed in {listed:.2f} s, all in {seconds:.1f} s "
          f"(slowest chunk {slowest:.1f} s, {queries} queries), {totals}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awcs", type=int, default=5000)
    parser.add_argument("--people-per-awc", type=int, default=200)
    args = parser.parse_args()
    django_setup(fresh_database("poshan_bench_lifestage"))

    from django.utils import timezone

    today = timezone.localdate()
    print(f"load average at start: {os.getloadavg()}")
    districts = build(args, today)
    night(districts, today, "first night (a month's catch-up)")
    night(districts, today, "the same night again (nothing new)")
    night(districts, today + timedelta(days=1), "the next night")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
