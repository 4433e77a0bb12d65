"""Benchmark: the whole nightly flagging job on PostgreSQL with a real Celery worker.

Run from the repository root, against a database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/poshan_bench_h5 REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/flagging.py --seed --awcs 5000 --children-per-awc 200

--seed migrates the database and builds the benchmark world (`seed_demo --scale`: households,
women, children by COPY, and `growth.demo.scale_measurements` for their measurements) unless
it already holds children. It empties statuses and follow-ups, starts a Celery worker
(prefork, --concurrency = cores, queue `flagging`) and runs the job (`growth.flagging.run_nightly`)
three times for the same day: the first run writes every status; the second must change
nothing; before the third, one child in 20 gets a new measurement dated that day (a typical
night; removed again at the end). For each run it prints the wall time from dispatch to the
run's end, children/s and the per-chunk timings; then the peak resident memory (VmHWM) of the
worker's processes. Between runs it waits for the worker to be idle (the finished-run hooks,
e.g. the dashboards' rollups, run after a run is done; their time is printed apart). As the floor it measures in this process
the bare operation on the same rows: one COPY of every child with its latest measurement into
NumPy (no chunks, no previous measurement, no writes), and the vectorised scoring of them (PERFORMANCE.md: report ratios, not only times).
Memory: it also runs one chunk in this process and reports its peak traced allocation.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poshan.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from beneficiaries.models import Beneficiary  # noqa: E402
from growth import pgcopy  # noqa: E402
from growth.flagging import jobs, pg, rules  # noqa: E402
from growth.models import FlaggingRun  # noqa: E402
from growth.nutrition import assess  # noqa: E402

WORKER_START_TIMEOUT = 60
RUN_TIMEOUT = 3600
POLL_SECONDS = 0.25
FLOOR_SQL = """
SELECT b.id::int8, (b.dob - DATE '1970-01-01')::int4, (CASE b.sex WHEN 'M' THEN 1 ELSE 2 END)::int2,
       COALESCE(m.date - b.dob, -1)::int4, COALESCE(m.weight_kg::float8, 'NaN'), COALESCE(m.lenhei_cm::float8, 'NaN'),
       (CASE m.measure WHEN 'l' THEN 1 WHEN 'h' THEN 2 ELSE 0 END)::int2, COALESCE(m.oedema, false),
       COALESCE(m.muac_cm::float8, 'NaN')
FROM beneficiaries_beneficiary b
LEFT JOIN LATERAL (SELECT * FROM growth_measurement m WHERE m.child_id = b.id AND m.date <= %(on)s
                   ORDER BY m.date DESC, m.id DESC LIMIT 1) m ON true
WHERE b.dob > %(born_after)s AND b.dob <= %(on)s AND b.exited_on IS NULL
"""
NEW_MEASUREMENT_MODULO = 20  # one child in 20 weighed on the run day (about 5 %)
NEW_MEASUREMENTS_SQL = """
INSERT INTO growth_measurement (child_id, awc_id, district_id, date, weight_kg, lenhei_cm, measure, muac_cm, oedema,
    clenhei_cm, waz, haz, whz, baz, acz, flags, underweight, stunting, wasting, acute, is_implausible, created_at)
SELECT DISTINCT ON (child_id) child_id, awc_id, district_id, %(on)s, GREATEST(weight_kg - 0.5, 0.5), lenhei_cm, measure,
    muac_cm, oedema, clenhei_cm, waz, haz, whz, baz, acz, flags, underweight, stunting, wasting, acute,
    is_implausible, now()
FROM growth_measurement WHERE child_id %% %(modulo)s = 0 AND date < %(on)s
ORDER BY child_id, date DESC, id DESC
"""
FLOOR_COLUMNS = (("id", "int8"), ("dob", "int4"), ("sex", "int2"), ("age", "int4"), ("weight", "float8"),
                 ("lenhei", "float8"), ("measure", "int2"), ("oedema", "bool"), ("muac", "float8"))


def log(text: str) -> None:
    print(text, flush=True)


def children_count(on: date) -> int:
    return jobs.children_on(on).count()


def seed(args) -> None:
    call_command("migrate", verbosity=0)
    if Beneficiary.objects.exists():
        log("database already holds people: not seeding")
        return
    started = time.perf_counter()
    call_command("seed_demo", "--scale", "--awcs", str(args.awcs), "--children-per-awc", str(args.children_per_awc),
                 "--women-per-awc", str(args.women_per_awc))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    log(f"seeded in {time.perf_counter() - started:.0f} s")


# --- the worker and its memory ----------------------------------------------------------------------

def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            pass
    return found


class Worker:
    """A Celery worker in a subprocess; `peaks()` gives each process's VmHWM (peak RSS) in MiB."""

    def __init__(self, concurrency: int):
        env = {**os.environ, "C_FORCE_ROOT": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "poshan", "worker", "-Q", "flagging", "--pool=prefork",
             f"--concurrency={concurrency}", "-l", "warning", "--without-gossip", "--without-mingle",
             "-n", f"bench-{os.getpid()}@%h"], cwd=ROOT, env=env,
        )
        from poshan.celery import app

        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not app.control.ping(timeout=0.5):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        self.pids = [self.proc.pid, *_children_of(self.proc.pid)]
        self.idle = {pid: _status_kib(pid, "VmRSS") / 1024 for pid in self.pids}
        self._rss_peak = 0.0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = sum(_status_kib(pid, "VmRSS") for pid in self.pids) / 1024
            self._rss_peak = max(self._rss_peak, total)
            time.sleep(POLL_SECONDS)

    def peaks(self) -> dict[int, float]:
        return {pid: _status_kib(pid, "VmHWM") / 1024 for pid in self.pids}

    @property
    def total_rss_peak(self) -> float:
        return self._rss_peak

    def stop(self) -> None:
        self._stop.set()
        self.proc.terminate()
        self.proc.wait(timeout=60)


def run_job(on: date) -> FlaggingRun:
    from growth.tasks import run_nightly

    started = time.perf_counter()
    run_id = run_nightly.apply_async(kwargs={"run_date": on.isoformat()}).get(timeout=RUN_TIMEOUT)
    while True:
        run = FlaggingRun.objects.get(pk=run_id)
        if run.status != FlaggingRun.Status.RUNNING:
            break
        if time.perf_counter() - started > RUN_TIMEOUT:
            raise RuntimeError("the run did not finish")
        time.sleep(POLL_SECONDS)
    run.wall_seconds = time.perf_counter() - started
    return run


def report_run(label: str, run: FlaggingRun) -> None:
    seconds = list(run.chunks.values_list("seconds", flat=True))
    log(f"{label}: {run.get_status_display()} in {run.wall_seconds:.1f} s wall "
        f"({run.duration_seconds:.1f} s from the run's start to its end); {run.chunks_total} chunks; "
        f"{run.children:,} children, {run.measured:,} measured, {run.statuses_changed:,} statuses changed, "
        f"{run.followups_created:,} follow-ups; {run.children / run.wall_seconds:,.0f} children/s")
    if seconds:
        seconds.sort()
        log(f"   chunk seconds: median {seconds[len(seconds) // 2]:.2f}, max {seconds[-1]:.2f}, "
            f"sum {sum(seconds):.1f}")
    if run.error:
        log(f"   error: {run.error}")


# --- floors and one chunk in this process -----------------------------------------------------------

def floor(on: date) -> tuple[float, float, int]:
    """Seconds to COPY every child with its latest measurement into NumPy, and to score them."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cols = pgcopy.copy_out(cursor, FLOOR_SQL, {"on": on, "born_after": on.replace(year=on.year - 6)},
                               FLOOR_COLUMNS)
    read = time.perf_counter() - started
    started = time.perf_counter()
    age = cols["age"].astype(float)
    age[cols["age"] < 0] = float("nan")
    assess(cols["sex"], age, cols["weight"], cols["lenhei"], cols["measure"], cols["oedema"], cols["muac"])
    return read, time.perf_counter() - started, len(cols["id"])


def one_chunk_memory(on: date) -> tuple[float, float, int]:
    """Peak traced allocation (MiB) and seconds of reading and scoring the largest chunk here."""
    plans = jobs.plan_chunks(on)
    plan = max(plans, key=lambda p: p.children)
    kids = jobs.chunk_children(district_id=plan.district_id, first=plan.first_child_id, last=plan.last_child_id,
                               on=on)
    tracemalloc.start()
    started = time.perf_counter()
    data = pg.read_chunk(kids, first=plan.first_child_id, last=plan.last_child_id, run=rules.RunDay(on))
    rules.evaluate(data, rules.RunDay(on))
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, seconds, plan.children


def wait_idle(worker_name: str) -> float:
    """Seconds until the worker has no task left (the finished-run hooks run after a run is done)."""
    from poshan.celery import app

    started = time.perf_counter()
    while time.perf_counter() - started < RUN_TIMEOUT:
        active = app.control.inspect(destination=[worker_name], timeout=1.0).active() or {}
        if not any(active.values()):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    raise RuntimeError("the worker did not become idle")


def reset_outputs() -> None:
    """Empty statuses and follow-ups so that run 1 is the job's first run ever."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE growth_childstatus, growth_followup")


def add_new_measurements(on: date, share_modulo: int) -> int:
    """A new measurement today for one child in `share_modulo`: a copy of the latest, 0.5 kg lighter."""
    with connection.cursor() as cursor:
        cursor.execute(NEW_MEASUREMENTS_SQL, {"on": on, "modulo": share_modulo})
        return cursor.rowcount


def remove_new_measurements(on: date, first_new_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM growth_measurement WHERE id >= %s AND date = %s", [first_new_id, on])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", action="store_true", help="migrate and build the world if the database is empty")
    parser.add_argument("--awcs", type=int, default=5000)
    parser.add_argument("--children-per-awc", type=int, default=200)
    parser.add_argument("--women-per-awc", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--date", default="", help="run day (default today)")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("bench/flagging.py needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    if args.seed:
        seed(args)
    from django.utils import timezone

    on = date.fromisoformat(args.date) if args.date else timezone.localdate()
    log(f"children under 6 on {on}: {children_count(on):,}")
    read, scoring, rows = floor(on)
    read, scoring, rows = floor(on)  # the second time with warm caches, as the job's reads are
    log(f"floor: COPY of {rows:,} children with their latest measurement into NumPy {read:.2f} s, "
        f"scoring {scoring:.2f} s ({rows / (read + scoring):,.0f} rows/s)")
    peak, seconds, size = one_chunk_memory(on)
    log(f"one chunk in this process: {size:,} children read and scored in {seconds:.2f} s, "
        f"peak traced allocation {peak:.1f} MiB (chunk size {jobs.CHUNK_CHILDREN:,})")
    reset_outputs()
    worker = Worker(args.concurrency)
    name = f"bench-{os.getpid()}@{os.uname().nodename}"
    first_new_id = None
    try:
        log(f"worker idle RSS (MiB): {', '.join(f'{v:.0f}' for v in worker.idle.values())}")
        runs = []
        for label in ("run 1 (first run: writes every status)", "run 2 (same day again: must change nothing)",
                      "run 3 (a typical night: 5 % of children weighed today)"):
            if label.startswith("run 3"):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM growth_measurement")
                    first_new_id = cursor.fetchone()[0]
                log(f"added {add_new_measurements(on, NEW_MEASUREMENT_MODULO):,} measurements dated {on}")
            run = run_job(on)
            report_run(label, run)
            log(f"   then the finished-run hooks (dashboard rollups) kept the worker busy {wait_idle(name):.1f} s")
            runs.append(run)
        peaks = worker.peaks()
        log("worker peak RSS (VmHWM, MiB): " + ", ".join(f"{pid}: {mib:.0f}" for pid, mib in peaks.items())
            + f"; all processes together at most {worker.total_rss_peak:.0f} MiB")
        floor_seconds = read + scoring
        log("ratio to the floor (one in-process read + scoring of every child): "
            + ", ".join(f"run {i + 1} {run.wall_seconds / floor_seconds:.1f}" for i, run in enumerate(runs)))
    finally:
        worker.stop()
        if first_new_id is not None:
            remove_new_measurements(on, first_new_id)


if __name__ == "__main__":
    main()
