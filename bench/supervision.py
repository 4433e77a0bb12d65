"""The alerts that nudge at 5,000 AWCs: one district's evaluation (the beat task's chunk) and the whole run, and the
home page of a supervisor and of a CDPO (alerts worked out from the facts) in a fixed number of queries.

Run: .venv/bin/python bench/supervision.py [--awcs 5000] [--children-per-awc 40]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); creates database poshan_bench_supervision.
The world (state → 5 districts → 50 projects → 200 sectors → 25 AWCs each) is bulk-inserted: every centre's day for
the last 20 days except one centre in ten (silent since), children under 5 (a third weighed this month), a VHSND a
month ago at half the centres.
"""
import argparse
import time
from datetime import timedelta

from _setup import django_setup, fresh_database


def build(args, today):
    from _world import households, location_tree
    from anganwadi.models import AwcDay
    from anganwadi.services import staff_create
    from beneficiaries.models import Beneficiary
    from poshan.supervision.models import Vhsnd

    tree = location_tree(args.awcs)
    districts, projects, sectors, awcs = tree.districts, tree.projects, tree.sectors, tree.awcs
    actor = staff_create(actor=None, username="b_sup", password="x-Bench-1234", role="supervisor", location=sectors[0])
    cdpo = staff_create(actor=None, username="b_cdpo", password="x-Bench-1234", role="cdpo", location=projects[0])
    AwcDay.objects.bulk_create([AwcDay(awc=a, date=today - timedelta(days=d), opened=True, recorded_by=actor)
                                for i, a in enumerate(awcs) if i % 10 for d in range(20)], batch_size=10000)
    Vhsnd.objects.bulk_create([Vhsnd(awc=a, on=today - timedelta(days=30), services=["immunisation"],
                                     recorded_by=actor) for i, a in enumerate(awcs) if i % 2], batch_size=5000)
    start = today.replace(day=1)
    Beneficiary.objects.bulk_create(
        [Beneficiary(awc=a, household=h, name=f"Child {i}-{k}", sex="F", dob=today - timedelta(days=200 + 30 * k),
                     last_weighed_on=start if k % 3 == 0 else None)
         for i, (a, h) in enumerate(zip(awcs, households(awcs))) for k in range(args.children_per_awc)],
        batch_size=10000)
    print(f"{len(awcs)} AWCs, {len(districts)} districts, {len(awcs) * args.children_per_awc} children")
    return districts, {"supervisor": actor, "cdpo": cdpo}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awcs", type=int, default=5000)
    parser.add_argument("--children-per-awc", type=int, default=40)
    args = parser.parse_args()
    django_setup(fresh_database("poshan_bench_supervision"))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from _world import page
    from poshan.supervision.alerts import alerts_evaluate_district

    today = timezone.localdate()
    districts, users = build(args, today)
    now = timezone.now().replace(hour=6, minute=0)  # 11:30 IST: outside quiet hours
    for attempt in ("first run", "second run (nothing new)"):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            results = [alerts_evaluate_district(district_id=d.pk, now=now) for d in districts]
        seconds = time.perf_counter() - started
        opened = sum(r["opened"] for r in results)
        print(f"alerts, {attempt}: {len(districts)} districts in {seconds:.1f} s "
              f"({seconds / len(districts):.2f} s and {len(queries) // len(districts)} queries a district), "
              f"{opened} opened, {sum(r['open'] for r in results)} open")
    for role, url in (("supervisor", "/"), ("cdpo", "/"), ("supervisor", "/supervision/"), ("cdpo", "/supervision/")):
        status, queries, ms = page(users[role], url)
        print(f"{role:10} {url:16} {status} {queries:3d} queries {ms:7.1f} ms")

if __name__ == "__main__":
    main()
