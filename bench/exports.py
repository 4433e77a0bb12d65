"""CSV exports on PostgreSQL: the COPY path against a bare `COPY … TO STDOUT CSV` floor, in one run.

Run: .venv/bin/python bench/exports.py [--awcs 500] [--skip-seed] [--db poshan_bench_exports] [--xlsx]
        [--kinds thr,children] [--repeat 3]
World: `seed_demo --scale --awcs N` (12 months of THR hand-overs and measurements), then the nightly flagging
job (each child's latest status) and a VACUUM (ANALYZE), as autovacuum would do. For each export (THR, children;
the ministry's whole area, 12 months):
  - floor: the same rows' columns, unformatted, `COPY (SELECT …) TO STDOUT CSV` into /dev/null;
  - copy: the export as the job writes it (kinds.py + copycsv.py: scoped queryset, formatting in SQL);
  - python: the row-by-row Python writer (the SQLite path), for the ratio before;
  - xlsx (with --xlsx): openpyxl's write-only workbook, the XLSX path on every database;
time in one pass, memory (tracemalloc peak and RSS) in a second pass, so tracing does not slow the timed one.
"""
import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

from _setup import database_url, django_setup, fresh_database, rss_mib

DB = "poshan_bench_exports"


def seed(awcs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from growth.tasks import run_nightly

    started = time.perf_counter()
    call_command("seed_demo", "--scale", "--awcs", str(awcs))
    print(f"seed_demo --scale --awcs {awcs}: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    run_nightly(timezone.localdate().isoformat())
    print(f"nightly flagging: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:  # as autovacuum would after the bulk load: this machine's server runs
        cursor.execute("VACUUM (ANALYZE)")  # without it, so no page would ever be marked all-visible
    print(f"VACUUM (ANALYZE): {time.perf_counter() - started:.0f} s")


def ministry_scope():
    from django.utils import timezone

    from anganwadi.services import staff_create
    from poshan.core.models import User
    from poshan.dashboards.exports.service import scope_for
    from poshan.dashboards.selectors import add_months

    user = User.objects.filter(username="b_exports").first() or staff_create(
        actor=None, username="b_exports", password="bench-pass-2026", role="ministry", location=None)
    month = timezone.localdate().replace(day=1)
    return scope_for(user=user, location=None, month_from=add_months(month, -11), month_to=month)


def floor(kind, scope, sink) -> int:
    """The bare floor: the same scoped SELECT (same joins, same order), unformatted, `COPY … TO STDOUT CSV`."""
    from django.db import connections

    from poshan.dashboards.exports.copycsv import run_copy

    queryset = kind.sql.values(scope)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        statement = cursor.mogrify(sql, params).decode()
    return run_copy(queryset.db, f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", kind.sql.planner, sink)


def paths(kind, scope):
    from poshan.dashboards.exports.copycsv import copy_csv
    from poshan.dashboards.exports.writer import write_csv, write_xlsx

    return {"floor": lambda sink: floor(kind, scope, sink),
            "copy": lambda sink: copy_csv(sink, kind.headers, kind.sql, scope),
            "python": lambda sink: write_csv(sink, kind.headers, kind.rows(scope)),
            "xlsx": lambda sink: write_xlsx(sink, kind.headers, kind.rows(scope))}


def timed(run) -> tuple[int, float]:
    with open(os.devnull, "wb") as sink:
        started = time.perf_counter()
        rows = run(sink)
        return rows, time.perf_counter() - started


def traced(run) -> tuple[float, float, float]:
    """Peak traced Python allocations and RSS before/after (its own pass: tracing slows the run 3–4×)."""
    rss_before, _ = rss_mib()
    tracemalloc.start()
    with open(os.devnull, "wb") as sink:
        run(sink)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, rss_before, rss_mib()[0]


def bench(name: str, kind, scope, repeat: int, xlsx: bool) -> None:
    runs = paths(kind, scope)
    best: dict[str, tuple[int, float]] = {}
    for _ in range(repeat):  # floor and copy alternate, so load on the shared machine hits both alike
        for path in ("floor", "copy"):
            rows, seconds = timed(runs[path])
            if path not in best or seconds < best[path][1]:
                best[path] = (rows, seconds)
    best["python"] = timed(runs["python"])
    if xlsx:  # openpyxl's write-only mode (the XLSX path on every database)
        best["xlsx"] = timed(runs["xlsx"])
    rate = {path: rows / seconds for path, (rows, seconds) in best.items()}
    for path, (rows, seconds) in best.items():
        print(f"{name} {path:<6}: {rows:,} rows in {seconds:.2f} s = {rate[path]:,.0f} rows/s "
              f"({rate[path] / rate['floor']:.2f}× the COPY floor)")
    for path in ("copy",):  # the Python writer's memory is flat too (bench/dashboard.py), and traced it takes minutes
        peak, before, after = traced(runs[path])
        print(f"{name} {path:<6} memory pass: peak Python allocations {peak:.2f} MiB; RSS {before:.0f} -> {after:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awcs", type=int, default=500)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database of a previous run")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--kinds", default="thr,children", help="comma-separated export kinds")
    parser.add_argument("--xlsx", action="store_true", help="also time the XLSX writer (slow)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per path (the best is kept)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    if args.skip_seed:
        url = database_url(args.db)
        django_setup(url, settings="bench_settings", migrate=False)
    else:
        django_setup(fresh_database(args.db), settings="bench_settings")
        seed(args.awcs)
    if args.seed_only:
        return
    from poshan.dashboards.exports.kinds import KINDS

    scope = ministry_scope()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for key in args.kinds.split(","):
        bench(key, KINDS[key], scope, args.repeat, args.xlsx)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
