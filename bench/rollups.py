"""Rollup refresh: milliseconds per AWC-month of the AWC rows, chunk by chunk, and the statements they take.

Run: .venv/bin/python bench/rollups.py [--db poshan_bench_ratios] [--months 2026-11-01 2026-12-01] [--against REV]
        [--workers 2]
World: any seeded bench database (e.g. `bench/ratios.py --seed-only`: seed_demo --scale --awcs 500 and the
nightly flagging). Each month's AWC rows are refreshed once untimed (warm cache), then timed `--repeat` times
(the best is kept) with every statement counted and timed through `connection.execute_wrapper`; the levels above
are timed apart (they are summed once per month, after every chunk). With `--against REV` the rollup code of
that git revision (poshan/dashboards/rollups and the beneficiaries selectors it read) runs in turn with today's
on the same world in the same run, so the two figures compare (every other module is today's: a revision whose
rollups import a name since renamed elsewhere cannot run). With `--workers N` the month is also refreshed
fanned out, its chunks shared among N workers at once (as the chord's chunk tasks run on N worker processes): the
wall time per AWC-month. The goal's figure is the one-worker one (the cost of the work, which sets how many
workers a nation's month needs); the fanned one shows how far the chunks share this machine's cores.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import importlib.util
import itertools
import os
import subprocess
import sys
import time
from datetime import date

from _setup import ROOT, database_url, django_setup, in_threads

DB = "poshan_bench_ratios"


def _source(rev: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


class _AtRevision(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The modules named `alias` and `alias.*` served from the package or module at `path` (no `.py`) as it was at
    git revision `rev`: a package's submodules and its relative imports come from that revision too."""

    def __init__(self, rev: str, alias: str, path: str) -> None:
        self.rev, self.alias, self.path, self.sources = rev, alias, path, {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.alias and not fullname.startswith(self.alias + "."):
            return None
        inner = fullname[len(self.alias) + 1:].split(".") if fullname != self.alias else []
        base = "/".join([self.path, *inner])
        for candidate, is_package in ((f"{base}/__init__.py", True), (f"{base}.py", False)):
            try:
                self.sources[fullname] = _source(self.rev, candidate)
            except subprocess.CalledProcessError:
                continue
            return importlib.util.spec_from_loader(fullname, self, is_package=is_package)
        return None

    def create_module(self, spec):
        return None  # the default module

    def exec_module(self, module) -> None:
        source = self.sources[module.__name__]
        exec(compile(source, f"<{module.__name__}>", "exec"), module.__dict__)  # noqa: S102  (our code at a revision)


def refresh_at(rev: str):
    """`refresh_awcs` as it was at git revision `rev` (its rollups package and the people selectors it read, a
    module or a package at that revision)."""
    import beneficiaries

    tag = rev[:12]
    selectors, rollups = f"beneficiaries._selectors_{tag}", f"poshan.dashboards._rollups_{tag}"
    sys.meta_path[:0] = [_AtRevision(rev, selectors, "beneficiaries/selectors"),
                         _AtRevision(rev, rollups, "poshan/dashboards/rollups")]
    current = sys.modules["beneficiaries.selectors"]
    old = importlib.import_module(selectors)
    sys.modules["beneficiaries.selectors"], beneficiaries.selectors = old, old  # what `rev`'s rollups import
    try:
        return importlib.import_module(f"{rollups}.refresh").refresh_awcs
    finally:
        sys.modules["beneficiaries.selectors"], beneficiaries.selectors = current, current


@contextlib.contextmanager
def counted():
    """Statements run inside the block: their number and their total time (seconds)."""
    from django.db import connection

    seen = {"statements": 0, "sql_s": 0.0}

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen["statements"] += 1
            seen["sql_s"] += time.perf_counter() - started

    with connection.execute_wrapper(wrapper):
        yield seen


def active_awcs(limit: int | None = None) -> list:
    from anganwadi.models import Location
    from poshan.core.roles import Level

    awcs = Location.objects.filter(level=Level.AWC, is_active=True).order_by("pk").only("pk", "sector_id")
    return list(awcs[:limit] if limit else awcs)


def measure(month: date, *, refresh_awcs=None, awcs=None, repeat: int = 2) -> dict:
    """The AWC rows of `month` for `awcs` (default: every active AWC) in AWC_CHUNK chunks: best of `repeat`
    timed passes after an untimed one. Returns ms per AWC-month, statements per chunk, SQL share, chunks."""
    from poshan.core.heap import freeze_startup_heap
    from poshan.dashboards.rollups.refresh import AWC_CHUNK
    from poshan.dashboards.rollups.refresh import refresh_awcs as current

    freeze_startup_heap()  # as the Celery worker that runs the chunk tasks does (poshan.celery)
    refresh_awcs = refresh_awcs or current
    awcs = awcs if awcs is not None else active_awcs()
    chunks = [awcs[i:i + AWC_CHUNK] for i in range(0, len(awcs), AWC_CHUNK)]
    best = None
    for attempt in range(repeat + 1):
        with counted() as seen:
            started = time.perf_counter()
            for chunk in chunks:
                refresh_awcs(month, chunk)
            seconds = time.perf_counter() - started
        if attempt and (best is None or seconds < best[0]):
            best = (seconds, dict(seen))
    seconds, seen = best
    return {"month": month.isoformat(), "awcs": len(awcs), "chunks": len(chunks),
            "ms_per_awc_month": 1000 * seconds / len(awcs), "seconds": seconds,
            "statements_per_chunk": seen["statements"] / len(chunks), "sql_share": seen["sql_s"] / seconds,
            "load": os.getloadavg()[0]}


def measure_fanned(month: date, *, workers: int, awcs=None, repeat: int = 2) -> dict:
    """The month's AWC rows fanned out as the chord fans them: one chunk per worker, each refreshed by its own
    thread on its own connection, all at once; wall time per AWC-month, best of `repeat` timed passes after an
    untimed one. Threads, not processes: 80-90 % of a chunk is SQL, run by PostgreSQL's own processes; the rest
    holds the GIL, so this is if anything slower than the same number of worker processes."""
    from django.db import connection

    from poshan.core.heap import freeze_startup_heap
    from poshan.dashboards.rollups.refresh import refresh_awcs

    freeze_startup_heap()  # as the Celery worker that runs the chunk tasks does (poshan.celery)
    awcs = awcs if awcs is not None else active_awcs()
    size = -(-len(awcs) // workers)
    chunks = [awcs[i:i + size] for i in range(0, len(awcs), size)]

    def work() -> None:
        try:
            refresh_awcs(month, chunks[next(ticket)])  # this thread's chunk
        finally:
            connection.close()

    walls = []
    for _ in range(repeat + 1):
        ticket = itertools.count()
        walls.append(in_threads(work, len(chunks)))
    seconds = min(walls[1:])
    return {"month": month.isoformat(), "awcs": len(awcs), "chunks": len(chunks), "workers": workers,
            "ms_per_awc_month": 1000 * seconds / len(awcs), "seconds": seconds, "load": os.getloadavg()[0]}


def measure_upper(month: date) -> float:
    """Seconds to sum the levels above the AWC rows for `month` (once per month, after the chunks)."""
    from poshan.dashboards.rollups.refresh import refresh_upper_levels

    started = time.perf_counter()
    refresh_upper_levels(month)
    return time.perf_counter() - started


def line(label: str, result: dict) -> str:
    return (f"{label:<10} {result['month']}  {result['ms_per_awc_month']:6.2f} ms per AWC-month  "
            f"({result['awcs']} AWCs in {result['chunks']} chunk(s), {result['seconds']:.2f} s; "
            f"{result['statements_per_chunk']:.0f} statements a chunk, SQL {100 * result['sql_share']:.0f} %)  "
            f"load {result['load']:.2f}")


def fanned_line(result: dict) -> str:
    return (f"{'fanned':<10} {result['month']}  {result['ms_per_awc_month']:6.2f} ms per AWC-month, wall  "
            f"({result['awcs']} AWCs in {result['chunks']} chunks over {result['workers']} workers at once, "
            f"{result['seconds']:.2f} s)  load {result['load']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=DB)
    parser.add_argument("--months", nargs="+", type=date.fromisoformat, default=None,
                        help="months to refresh (default: last month, a full one, and this month to date)")
    parser.add_argument("--awcs", type=int, default=None, help="only the first N active AWCs")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--against", default=None, help="a git revision whose rollup code runs in turn")
    parser.add_argument("--workers", type=int, default=0,
                        help="also time the month fanned out over this many workers at once (wall time)")
    args = parser.parse_args()
    django_setup(database_url(args.db), migrate=False)
    from django.utils import timezone

    from poshan.dashboards.selectors import add_months

    this = timezone.localdate().replace(day=1)
    months = args.months or [add_months(this, -1), this]
    before = refresh_at(args.against) if args.against else None
    awcs = active_awcs(args.awcs)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for month in months:
        if before:
            print(line(args.against[:10], measure(month, refresh_awcs=before, awcs=awcs, repeat=args.repeat)),
                  flush=True)
        print(line("now", measure(month, awcs=awcs, repeat=args.repeat)), flush=True)
        if args.workers:
            fanned = measure_fanned(month, workers=args.workers, awcs=awcs, repeat=args.repeat)
            print(fanned_line(fanned), flush=True)
        print(f"{'':<10} {month.isoformat()}  levels above: {measure_upper(month):.2f} s", flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
