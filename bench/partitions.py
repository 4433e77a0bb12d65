"""What a measurement's claim pays for each monthly partition: its client-id probe at a new database's few
partitions and at those of a database that has run for --months months.

Run: .venv/bin/python bench/partitions.py [--months 60] [--rounds 3] [--probes 3000]
PostgreSQL at BENCH_PG; makes the databases poshan_bench_partitions (migrated, then given a partition for each of
the --months months before this one, as ensure_partitions keeps them) and poshan_bench_partitions_few (a copy made
before that: this month and three ahead, older rows in `_old`).

The claim (growth.services → poshan.core.idempotency.create_once_claiming with `partitioned_on`) inserts the
measurement only when its client id is claimed by no row: one probe of `growth_measurement_claims`' primary key
(poshan.core.claims). Before the claims table, the table being unique on (client id, date) within each partition
only, the same check was a NOT EXISTS over the measurement table itself, which reads every partition's index: its
cost grew with the months kept. Both probes are timed, on both databases, as the claim runs them (prepared, a new
random id each time, which is the case of nearly every write), alternating in --rounds slices; each figure is the
probe's time beyond a prepared `SELECT 1` on the same connection (the round trip), median of the slices.
"""
import argparse
import statistics
import time
import uuid

from _setup import database_url, django_setup, fresh_database

DB = "poshan_bench_partitions"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=60, help="months of monthly partitions on the older side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--probes", type=int, default=3000, help="probes per slice")
    args = parser.parse_args()
    django_setup(fresh_database(DB))

    import psycopg2
    from django.db import connections
    from django.utils import timezone

    from growth.models import Measurement
    from poshan.core.dates import add_months
    from poshan.core import claims
    from poshan.core.partitions import ensure_partitions, partitions_of

    few = f"{DB}_few"
    connections.close_all()  # a template has no one connected
    fresh_database(few, template=DB)
    ensure_partitions(first_month=add_months(timezone.localdate().replace(day=1), -args.months))
    table = Measurement._meta.db_table
    column = Measurement._meta.get_field("client_uuid").column
    claimed = claims.table_of(table)
    probes = {"claims (one index)": f'SELECT NOT EXISTS (SELECT 1 FROM "{claimed}" WHERE client_uuid = $1)',
              "every partition (before)": f'SELECT NOT EXISTS (SELECT 1 FROM "{table}" WHERE "{column}" = $1)'}

    sides = {}
    for name in (few, DB):
        conn = psycopg2.connect(database_url(name))
        conn.autocommit = True
        cursor = conn.cursor()
        cursor.execute(f"SELECT count(*) FROM pg_inherits WHERE inhparent = '{table}'::regclass")
        partitions = cursor.fetchone()[0]
        for n, sql in enumerate(probes.values()):
            cursor.execute(f"PREPARE probe{n}(uuid) AS {sql}")
        cursor.execute("PREPARE trip AS SELECT 1")
        for _ in range(200):  # warm, and past the five custom plans PostgreSQL tries before a generic one
            for n in range(len(probes)):
                cursor.execute(f"EXECUTE probe{n}(%s)", [str(uuid.uuid4())])
            cursor.execute("EXECUTE trip")
        sides[name] = {"cursor": cursor, "partitions": partitions, "trip": [],
                       "beyond": {probe: [] for probe in probes}}
    assert sides[DB]["partitions"] == len(partitions_of(connections["default"], table))

    def timed(cursor, statement: str, with_id: bool) -> float:
        started = time.perf_counter()
        for _ in range(args.probes):
            cursor.execute(statement, [str(uuid.uuid4())] if with_id else None)
            cursor.fetchone()
        return (time.perf_counter() - started) / args.probes * 1e6

    for _ in range(args.rounds):
        for side in sides.values():
            for n, probe in enumerate(probes):
                side["beyond"][probe].append(timed(side["cursor"], f"EXECUTE probe{n}(%s)", True))
            trip = timed(side["cursor"], "EXECUTE trip", False)
            side["trip"].append(trip)
            for probe in probes:
                side["beyond"][probe][-1] -= trip

    print(f"probes per slice: {args.probes:,}, rounds: {args.rounds}")
    print("\n| database | measurement partitions | probe | beyond a round trip (µs, median; slices) "
          "| round trip (µs) |")
    print("|---|---|---|---|---|")
    for name, side in sides.items():
        for probe, beyond in side["beyond"].items():
            slices = ", ".join(f"{v:.0f}" for v in beyond)
            print(f"| {name} | {side['partitions']} | {probe} | {statistics.median(beyond):.0f} ({slices}) | "
                  f"{statistics.median(side['trip']):.0f} |")
    low, high = sides[few], sides[DB]
    print()
    for probe in probes:
        per = ((statistics.median(high["beyond"][probe]) - statistics.median(low["beyond"][probe]))
               / (high["partitions"] - low["partitions"]))
        print(f"each partition more, {probe}: {per:.1f} µs per claim")


if __name__ == "__main__":
    main()
