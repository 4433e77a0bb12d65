"""Where a load-test request's time goes, in one process: the working day's mix, kind by kind, without gunicorn.

Run (after `bench/loadtest.py --db WORLD --prepare`, which makes the load-test users):

    .venv/bin/python bench/requests_profile.py --db poshan_bench_ratios [--per-kind 150] [--profile measurement]

Each kind of bench/loadtest.py's mix is sent --per-kind times through Django's own request handler (every
middleware, the same URLs, tokens and session cookies as the load test builds), after --warmup requests of each
kind. Printed per kind: the wall time and the Python CPU time (time.process_time: what a gunicorn worker spends
itself), the CPU of the PostgreSQL backend serving it (read from /proc: the server must be local) and the
statements it sent, per request. The load test's request rate is bound by those two CPUs together
(bench/RESULTS.md): the weighted means here are the figures to halve for 2× the requests per second.
--profile KIND prints cProfile's top functions for that kind (cumulative; PROFILE_SORT=tottime for time spent in
each); --queries KIND the statements of one.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import time

from loadtest import KINDS, World, build_request, reset_days, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="poshan_bench_ratios")
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", default="", help="a kind whose cProfile is printed")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--callees", default="", help="with --profile: what the functions matching this call")
    parser.add_argument("--queries", default="", help="a kind whose last request's statements are printed")
    args = parser.parse_args()
    setup_django(args.db, eager=True, redis_db=9)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    reset_days(timezone.localdate())
    world = World()
    backend_cpu = _backend_cpu_reader(connection)
    client = Client(raise_request_exception=True)
    rng = random.Random(7)

    def send(kind: str):
        built = build_request(kind, world, rng)
        if built is None:
            return None
        method, path, body, headers = built
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}
        if headers.get("Cookie"):
            client.cookies.load(headers["Cookie"])
            extra.pop("HTTP_COOKIE")
        content_type = headers.get("Content-Type", "application/octet-stream")
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic(method, path, body or b"", content_type=content_type, **extra)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        client.cookies.clear()
        if response.status_code >= 400:
            raise RuntimeError(f"{kind}: {method} {path} answered {response.status_code}: {response.content[:300]!r}")
        return response

    rows, weighted_cpu, weighted_server, weight_sum, profiled = [], 0.0, 0.0, 0.0, ""
    for kind, (weight, _group) in KINDS.items():
        for _ in range(args.warmup):
            send(kind)
        profile = cProfile.Profile() if kind == args.profile else None
        wall = cpu = 0.0
        done = statements = 0
        server0 = backend_cpu()
        shown = []  # the statements of the last request sent
        for _ in range(args.per_kind):
            with CaptureQueriesContext(connection) as queries:
                w0, c0 = time.perf_counter(), time.process_time()
                if profile:
                    profile.enable()
                response = send(kind)
                if profile:
                    profile.disable()
                wall += time.perf_counter() - w0
                cpu += time.process_time() - c0
            if response is None:
                break
            done += 1
            statements += len(queries)
            shown = queries.captured_queries
        if not done:
            continue
        server = (backend_cpu() - server0) / done * 1000
        if kind == args.queries:
            listed = "\n".join(f"  {q['time']} s  {q['sql'][:160]}" for q in shown)
            print(f"{kind}: the statements of one request\n{listed}")
        rows.append((kind, done, wall / done * 1000, cpu / done * 1000, server, statements / done))
        weighted_cpu += weight * cpu / done * 1000
        weighted_server += weight * server
        weight_sum += weight
        if profile:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
            stats.print_stats(args.top)
            if args.callees:
                stats.print_callees(args.callees)
            profiled = out.getvalue()
    print(f"{'kind':<20} {'n':>4} {'wall ms':>8} {'CPU ms':>8} {'PG CPU ms':>9} {'statements':>10}")
    for kind, done, wall, cpu, server, statements in rows:
        print(f"{kind:<20} {done:>4} {wall:>8.1f} {cpu:>8.1f} {server:>9.1f} {statements:>10.1f}")
    print(f"weighted by the load test's mix: {weighted_cpu / weight_sum:.1f} ms of Python CPU and "
          f"{weighted_server / weight_sum:.1f} ms of the PostgreSQL backend's CPU per request")
    if args.profile:
        print(profiled)


def _backend_cpu_reader(connection):
    """Seconds of CPU the PostgreSQL backend serving `connection` has used (its /proc entry: the server is local).

    The load test's machine is bound by the CPU of gunicorn and PostgreSQL together, so both halves are printed.
    Resolution is the kernel's clock tick (10 ms): read over many requests, not one."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat(5))

    return read


if __name__ == "__main__":
    main()
