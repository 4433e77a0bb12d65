"""Measurement bench: record measurements through the service layer against a bare insert of the same rows.

Run: .venv/bin/python bench/measurement.py [--children 500] [--per-child 6] [--db poshan_bench_measurement]
                                           [--partitioned-months N]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); the database `--db` is made afresh.
Project: `growth.services.measurement_record` for each measurement (date checks, value checks, WHO z-scores,
full_clean, the insert, last weighed, follow-ups cleared, the audit row, the malnutrition case hook), with a
client id as the phone sends one. Floor, in the same run: the same rows (same values and scores, computed
beforehand and not timed) written with plain `Measurement.objects.create`. Project and floor alternate in
halves so the shared machine's load hits both alike.
--partitioned-months N: the fact tables get a partition for each of the N months before this one, as a database
that has run for N months has (a fresh one has this month and three ahead; older rows share one `_old`
partition). The floor writes to one partition whatever N is; the service's claim also asks every partition whether
the client id is claimed already (poshan.core.claims, through idempotency's `partitioned_on`).
"""
import argparse
import os
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from _setup import django_setup, fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--per-child", type=int, default=6, help="measurements per child (one a week)")
    parser.add_argument("--db", default="poshan_bench_measurement")
    parser.add_argument("--partitioned-months", type=int, default=0, help="monthly partitions for N months back")
    args = parser.parse_args()
    django_setup(fresh_database(args.db))
    if args.partitioned_months:
        from django.utils import timezone as tz

        from poshan.core.dates import add_months
        from poshan.core.partitions import ensure_partitions

        ensure_partitions(first_month=add_months(tz.localdate().replace(day=1), -args.partitioned_months))

    from django.utils import timezone

    from beneficiaries.models import Beneficiary, Household
    from growth import services
    from growth.models import Measurement
    from growth.nutrition import assess_one
    from poshan.core.models import User
    from poshan.demo.world import build_locations, build_users

    awcs = build_locations()
    build_users(awcs)
    awc = awcs[0]
    worker = User.objects.get(username="aww_demo")
    today = timezone.localdate()
    household = Household.objects.create(awc=awc, head_name="Bench")
    children = [Beneficiary.objects.create(awc=awc, household=household, name=f"Child {i}", sex="MF"[i % 2],
                                           dob=today - timedelta(days=400 + (i * 7) % 1400))
                for i in range(args.children * 2)]
    served, bare = children[:args.children], children[args.children:]

    def values(i: int, child, week: int) -> dict:
        on = today - timedelta(days=7 * week)
        age_days, months = (on - child.dob).days, (on - child.dob).days / 30.44
        # About the WHO medians, so most children are well nourished as in a real centre (a few open cases).
        kg = 3.3 + 0.53 * months if months < 12 else 9.6 + 0.18 * (months - 12)
        cm = 50 + 2.1 * months if months < 12 else 75 + 1.0 * (months - 12) if months < 24 else 87 + 0.6 * (months - 24)
        weight = Decimal(round(kg * 20) / 20).quantize(Decimal("0.05")) + Decimal(i % 7) * Decimal("0.05")
        height = Decimal(round(cm, 1)).quantize(Decimal("0.1")) + Decimal(i % 5) / 10
        return {"date": on, "weight_kg": weight, "lenhei_cm": height,
                "measure": "l" if age_days < 730 else "h", "muac_cm": Decimal("13.5") + Decimal(i % 9) / 10}

    weeks = range(args.per_child, 0, -1)
    work = [(child, values(i, child, week)) for week in weeks for i, child in enumerate(served)]
    floor_rows = []
    for i, child in enumerate(bare):
        for week in weeks:
            v = values(i, child, week)
            scores = assess_one(sex=child.sex, age_days=(v["date"] - child.dob).days, oedema=False,
                                **{k: x for k, x in v.items() if k != "date"})
            floor_rows.append(dict(child=child, awc_id=child.awc_id, district_id=awc.district_id, recorded_by=worker,
                                   oedema=False, clenhei_cm=scores["clenhei"], waz=scores["waz"], haz=scores["haz"],
                                   whz=scores["whz"], baz=scores["baz"], acz=scores["acz"], flags=scores["flags"],
                                   underweight=scores["underweight"], stunting=scores["stunting"],
                                   wasting=scores["wasting"], acute=scores["acute"],
                                   is_implausible=scores["is_implausible"], **v))
    floor_rows.sort(key=lambda row: row["date"])

    def project(part):
        for child, v in part:
            services.measurement_record(actor=worker, child=child, client_uuid=uuid.uuid4(), **v)

    def floor(part):
        for row in part:
            Measurement.objects.create(client_uuid=uuid.uuid4(), **row)

    project(work[:20])  # warm: first statements, the WHO tables
    floor(floor_rows[:20])
    from django.db import connection

    with connection.cursor() as cursor:  # the statistics autovacuum keeps on a live database (bench/register.py)
        cursor.execute("ANALYZE")
    work, floor_rows = work[20:], floor_rows[20:]
    timed = {"project": 0.0, "floor": 0.0}
    counts = {"project": len(work), "floor": len(floor_rows)}
    load = [os.getloadavg()[0]]
    for half in (0, 1):
        for name, fn, rows in (("floor", floor, floor_rows), ("project", project, work)):
            part = rows[:len(rows) // 2] if half == 0 else rows[len(rows) // 2:]
            started = time.perf_counter()
            fn(part)
            timed[name] += time.perf_counter() - started
        load.append(os.getloadavg()[0])
    rate = {name: counts[name] / timed[name] for name in timed}
    print(f"measurements                  : {counts['project']:,} through the service, {counts['floor']:,} bare "
          f"({args.children:,} children each side, one AWC)")
    print(f"service layer                 : {rate['project']:,.0f} measurements/s ({timed['project']:.1f} s)")
    print(f"baseline (bare Model.create)  : {rate['floor']:,.0f} rows/s ({timed['floor']:.1f} s)")
    print(f"ratio service / baseline      : {rate['project'] / rate['floor']:.2f}")
    print(f"load average                  : {min(load):.2f}–{max(load):.2f}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'growth_measurement'::regclass")
        print(f"measurement partitions        : {cursor.fetchone()[0]}")


if __name__ == "__main__":
    main()
