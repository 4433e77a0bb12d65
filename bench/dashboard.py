"""Dashboards bench: dashboards under concurrent load, rollup refresh time, and a large CSV export.

Run: .venv/bin/python bench/dashboard.py [--awcs 2000] [--children-per-awc 200] [--women-per-awc 50]
        [--seconds 20] [--connections 8] [--workers 2] [--skip-seed]
World: `seed_demo --scale` (12 months of attendance, centre days, home visits and measurements),
then the nightly flagging job, then 12 months of rollups. Baseline in the same run: a static file
served by the same gunicorn (whitenoise), so the dashboard latencies can be read as a ratio.
"""
import argparse
import http.client
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path

from _setup import (
    database_url,
    django_setup,
    fresh_database,
    gunicorn,
    in_threads,
    percentile,
    rss_mib,
)

PORT = 8766
DB = "poshan_bench_dashboard"


def seed(args) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("seed_demo", "--scale", "--awcs", str(args.awcs), "--children-per-awc", str(args.children_per_awc),
                 "--women-per-awc", str(args.women_per_awc))
    print(f"seed_demo --scale: {time.perf_counter() - started:.0f} s")
    from django.utils import timezone

    from growth.tasks import run_nightly

    started = time.perf_counter()
    run_nightly(timezone.localdate().isoformat())  # eager here: the flagging job and its rollup hook
    print(f"nightly flagging (+ current-month rollups): {time.perf_counter() - started:.0f} s")


def refresh_all(months: int = 12) -> list[float]:
    from django.utils import timezone

    from poshan.dashboards.rollups.refresh import refresh_month
    from poshan.dashboards.selectors import add_months

    month = timezone.localdate().replace(day=1)
    seconds = []
    for back in range(months):
        started = time.perf_counter()
        refresh_month(add_months(month, -back), trigger="admin")
        seconds.append(time.perf_counter() - started)
    return seconds


def users_and_cookies():
    from django.test import Client

    from anganwadi.models import Location
    from anganwadi.services import staff_create

    district = Location.objects.filter(level="district").order_by("pk").first()
    sector = Location.objects.filter(level="sector").order_by("pk").first()
    made = {}
    for name, role, place in (("b_ministry", "ministry", None), ("b_dpo", "dpo", district),
                              ("b_supervisor", "supervisor", sector)):
        user = staff_create(actor=None, username=name, password="bench-pass-2026", role=role, location=place)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        made[name] = client
    return made, {"national": "/dashboard/", "district": "/dashboard/", "sector": "/dashboard/"}


def query_counts(clients) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, name in (("national", "b_ministry"), ("district", "b_dpo"), ("sector", "b_supervisor")):
        clients[name].get("/dashboard/")
        with CaptureQueriesContext(connection) as ctx:
            assert clients[name].get("/dashboard/").status_code == 200
        counts[label] = len(ctx.captured_queries)
    return counts


def load(pages: list[tuple[str, str, str]], seconds: float, connections: int):
    latencies: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    errors = []
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    counter = iter(range(10**9))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                label, path, cookie = pages[next(counter) % len(pages)]
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                ok = False
            with lock:
                (latencies[label].append(time.perf_counter() - started) if ok else errors.append(label))

    return latencies, errors, in_threads(worker, connections)


def export_bench() -> None:
    from django.utils import timezone

    from anganwadi.models import Location
    from poshan.core.models import User
    from poshan.dashboards.exports.kinds import KINDS
    from poshan.dashboards.exports.service import scope_for
    from poshan.dashboards.exports.writer import write_csv

    user = User.objects.get(username="b_ministry")
    month = timezone.localdate().replace(day=1)
    scope = scope_for(user=user, location=None, month_from=month.replace(year=month.year - 1), month_to=month)
    kind = KINDS["children"]
    rss_before, _ = rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        rows = write_csv(sink, kind.headers, kind.rows(scope))
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after, _ = rss_mib()
    print(f"children CSV export: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s; "
          f"peak Python allocations {peak / 2**20:.1f} MiB; RSS {rss_before:.0f} -> {rss_after:.0f} MiB "
          f"({Location.objects.filter(level='awc').count():,} AWCs)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awcs", type=int, default=2000)
    parser.add_argument("--children-per-awc", type=int, default=200)
    parser.add_argument("--women-per-awc", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database of a previous run")
    parser.add_argument("--db", default=DB, help="with --skip-seed: e.g. the load test's poshan_scale world")
    parser.add_argument("--refresh-months", type=int, default=12, help="months of rollups refreshed and timed")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    if args.skip_seed:
        url = database_url(args.db)
        django_setup(url, settings="bench_settings", migrate=False)
    else:
        url = fresh_database(DB)
        django_setup(url, settings="bench_settings")
        seed(args)
    refresh = refresh_all(args.refresh_months) or [0.0]
    print(f"rollup refresh per month: median {percentile(refresh, 50):.1f} s, max {max(refresh):.1f} s "
          f"({len(refresh)} months: {sum(refresh):.0f} s)")
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith="b_").delete()
    clients, _ = users_and_cookies()
    counts = query_counts(clients)
    print(f"queries per dashboard page: {counts}")
    export_bench()
    cookies = {name: f"sessionid={c.cookies['sessionid'].value}" for name, c in clients.items()}
    from django.db import connections

    connections.close_all()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # the baseline file, served by whitenoise
    with gunicorn(url, port=PORT, workers=args.workers, ready_path="/static/css/app.css"):
        base, _, base_wall = load([("static", "/static/css/app.css", "")], args.seconds / 2, args.connections)
        pages = [("national", "/dashboard/", cookies["b_ministry"]), ("district", "/dashboard/", cookies["b_dpo"]),
                 ("sector", "/dashboard/", cookies["b_supervisor"])]
        latencies, errors, wall = load(pages, args.seconds, args.connections)
    print(f"gunicorn {args.workers} sync workers, {args.connections} connections, {args.seconds:.0f} s")
    print(f"baseline static file: {len(base['static']) / base_wall:,.0f} req/s, "
          f"p50 {percentile(base['static'], 50) * 1000:.1f} ms, p95 {percentile(base['static'], 95) * 1000:.1f} ms")
    total = sum(len(v) for v in latencies.values())
    print(f"dashboards: {total / wall:,.0f} pages/s in all, errors {len(errors)}")
    for label, values in latencies.items():
        print(f"  {label:<9} p50 {percentile(values, 50) * 1000:7.1f} ms   p95 {percentile(values, 95) * 1000:7.1f} ms"
              f"   ({len(values)} requests)")


if __name__ == "__main__":
    main()
