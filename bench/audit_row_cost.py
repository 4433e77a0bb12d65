"""What one audit event costs the server, with no Django in the way: the cheapest write, with and without its event.

Run: .venv/bin/python bench/audit_row_cost.py [--seconds 9] [--rounds 3] [--writers 16 64]
PostgreSQL at BENCH_PG; creates database poshan_bench_audit_row (migrated, the demo places and users).

N threads, each on its own psycopg2 connection in autocommit mode, sending the transaction's text itself, so that
each shape below is exactly the round trips it names (psycopg2 sends BEGIN alone when it manages the transaction;
here BEGIN rides with the first statement). The event is the one poshan.core.audit writes: the same columns, the
same prepared INSERT into the partitioned log, its HMAC computed per event. Modes alternate in slices:
  off          BEGIN; INSERT receipt | COMMIT                              2 round trips, 1 row
  separate     BEGIN; INSERT receipt | EXECUTE event | COMMIT              3 round trips, 2 rows (audit_record today)
  with_commit  BEGIN; INSERT receipt | EXECUTE event; COMMIT               2 round trips, 2 rows
  one_statement BEGIN; WITH r AS (INSERT receipt) INSERT event FROM r | COMMIT   2 round trips, 2 rows, 1 statement
  select       BEGIN; INSERT receipt | SELECT 1 | COMMIT                   3 round trips, 1 row (a round trip's price)
No sealer runs: this is the write alone. The ratios are each mode's writes over off's in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import threading
import uuid

from _setup import django_setup, fresh_database, in_threads

MODES = ("off", "separate", "with_commit", "one_statement", "select")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=9, help="each mode's time in all, per writer count")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", type=int, nargs="+", default=[16, 64])
    args = parser.parse_args()
    url = fresh_database("poshan_bench_audit_row")
    django_setup(url)

    import psycopg2
    from django.db import connection
    from django.utils import timezone

    from poshan.core import audit, prepared
    from poshan.core.audit_digest import content_digest
    from poshan.core.models import User
    from poshan.demo.world import build_locations, build_users

    build_users(build_locations())
    worker = User.objects.get(username="aww_demo")
    receipt = ("INSERT INTO core_submissionreceipt (client_uuid, kind, response, created_at, user_id) "
               "VALUES (%s, 'bench', '{}', now(), %s) RETURNING id")
    event_sql = audit._insert_sql(connection)
    prepare = (f"PREPARE bench_event ({', '.join(audit._PG_PARAM_TYPES)}) AS {prepared.numbered(event_sql)}")
    execute = f"EXECUTE bench_event ({', '.join(['%s'] * 12)})"
    one_statement = (f"BEGIN; WITH r AS ({receipt}) INSERT INTO core_auditevent ({', '.join(audit._COLUMNS)}) "
                     f"SELECT {', '.join(['%s'] * 12)} FROM r RETURNING id")
    connection.close()

    def event(object_id) -> list:
        values = [timezone.now(), worker.pk, worker.role, "create", "core.submissionreceipt", str(object_id), None,
                  None, "", [], ""]
        values.append(content_digest(values[10], *values[:10]))
        values[9] = json.dumps(values[9])
        return values

    def write(cursor, mode: str) -> None:
        if mode == "one_statement":
            cursor.execute(one_statement, (str(uuid.uuid4()), worker.pk, *event("")))
            cursor.fetchone()
            cursor.execute("COMMIT")
            return
        cursor.execute("BEGIN; " + receipt, (str(uuid.uuid4()), worker.pk))
        made = cursor.fetchone()[0]
        if mode == "off":
            cursor.execute("COMMIT")
        elif mode == "separate":
            cursor.execute(execute, event(made))
            cursor.fetchone()
            cursor.execute("COMMIT")
        elif mode == "with_commit":
            cursor.execute(execute + "; COMMIT", event(made))
        else:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            cursor.execute("COMMIT")

    def run(mode: str, writers: int, seconds: float) -> tuple[int, float]:
        counts = [0] * writers
        sessions = []
        for _ in range(writers):
            session = psycopg2.connect(url)
            session.autocommit = True
            cursor = session.cursor()
            cursor.execute(prepare)
            sessions.append((session, cursor))

        def writer(n: int, stop: threading.Event) -> None:
            cursor = sessions[n][1]
            while not stop.is_set():
                write(cursor, mode)
                counts[n] += 1

        elapsed = in_threads(writer, writers, seconds=seconds)
        for session, _cursor in sessions:
            session.close()
        return sum(counts), elapsed

    print(f"load average before: {os.getloadavg()}")
    totals = {(writers, mode): [0, 0.0] for writers in args.writers for mode in MODES}
    for writers in args.writers:
        for _round in range(args.rounds):
            for mode in MODES:
                writes, elapsed = run(mode, writers, args.seconds / args.rounds)
                totals[(writers, mode)][0] += writes
                totals[(writers, mode)][1] += elapsed
    print(f"load average after: {os.getloadavg()}")
    print("\n| writers | " + " | ".join(MODES) + " |")
    print("|---|" + "---|" * len(MODES))
    for writers in args.writers:
        rates = {mode: totals[(writers, mode)][0] / totals[(writers, mode)][1] for mode in MODES}
        cells = [f"{rates[mode]:,.0f}/s ({rates[mode] / rates['off']:.2f})" for mode in MODES]
        print(f"| {writers} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
