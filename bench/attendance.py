"""Attendance bench: attendance for 40 children through gunicorn + PostgreSQL, against a bare floor.

Run: .venv/bin/python bench/attendance.py [--awcs 600] [--seconds 20] [--connections 16] [--workers 2]
Runs with the Redis cache as deployed (--redis). Reports queries per submission (5 vs 40 children), median/p95 latency and submissions/s of the real
token-authenticated API, the same for a bare endpoint doing only the bulk insert (same server, same
run), and the attendance page's first-load weight (HTML + CSS + JS, uncompressed and gzip).
"""
import argparse
import gzip
import http.client
import json
import os
import re
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from _setup import ROOT, django_setup, fresh_database, gunicorn, in_threads, percentile

CHILDREN = 40
PORT = 8765


def build_world(n_awcs: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from knox.models import AuthToken

    from anganwadi.models import StaffAssignment
    from poshan.core.models import User
    from poshan.demo.bulk import copy_rows, reserve_ids
    from poshan.demo.scale import build_locations

    awcs = build_locations(awcs=n_awcs)
    group = Group.objects.get(name="role:aww")
    users = User.objects.bulk_create([User(username=f"aww{a.pk}", role="aww", password="!") for a in awcs])
    StaffAssignment.objects.bulk_create([StaffAssignment(user=u, location=a) for u, a in zip(users, awcs)])
    group.user_set.add(*users)
    tokens = {a.pk: AuthToken.objects.create(u, expiry=timedelta(hours=6))[1] for u, a in zip(users, awcs)}
    today = timezone.localdate()
    hh = reserve_ids("beneficiaries_household", n_awcs)
    first = reserve_ids("beneficiaries_beneficiary", n_awcs * CHILDREN)
    now = timezone.now()
    copy_rows("beneficiaries_household", ["id", "awc_id", "head_name", "hamlet", "address", "social_category",
                                          "is_minority", "mobile", "mobile_index", "created_at"],
              [(hh + i, a.pk, "Head", "", "", "", False, "", "", now) for i, a in enumerate(awcs)])
    import uuid

    children = {}
    rows = []
    for i, a in enumerate(awcs):
        ids = list(range(first + i * CHILDREN, first + (i + 1) * CHILDREN))
        children[a.pk] = ids
        rows += [(pk, a.pk, hh + i, uuid.uuid4().hex, f"Child {pk}", "F", today - timedelta(days=4 * 365), False,
                  "son", "", True, "", "", now) for pk in ids]
    copy_rows("beneficiaries_beneficiary", ["id", "awc_id", "household_id", "pseudonym", "name", "sex", "dob",
                                            "dob_estimated", "relation_to_head", "disability", "is_resident",
                                            "aadhaar", "exit_reason", "created_at"], rows)
    return awcs, tokens, children, today


def queries_per_submission(awc, children, today):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from poshan.core.models import User

    user = User.objects.get(username=f"aww{awc.pk}")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    for n, day in ((5, today - timedelta(days=1)), (CHILDREN, today)):
        payload = {"date": day.isoformat(), "present": children[:n], "hcm": children[:n],
                   "backdate_reason": "bench"}
        with CaptureQueriesContext(connection) as ctx:
            client.post("/api/v1/attendance/", payload, content_type="application/json")
        counts[n] = len(ctx.captured_queries)
    page = client.get("/beneficiaries/attendance/")
    html = page.content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    weight = {"html": len(html)}
    for asset in assets:
        weight[asset.decode()] = len((ROOT / "static" / asset.decode().removeprefix("/static/")).read_bytes())
    gz = len(gzip.compress(html)) + sum(len(gzip.compress((ROOT / "static" / a.decode().removeprefix("/static/"))
                                                          .read_bytes())) for a in assets)
    return counts, weight, gz


def load(path: str, make_body, headers_for, seconds: float, connections: int):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                i = next(counter)
            body = make_body(i)
            if body is None:
                break
            started = time.perf_counter()
            try:
                conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **headers_for(i)})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                status = str(exc)
            elapsed = time.perf_counter() - started
            with lock:
                (latencies.append(elapsed) if status in (200, 201) else errors.append(status))

    return latencies, errors, in_threads(worker, connections)


def report(name, latencies, errors, wall):
    print(f"{name:<34} {len(latencies) / wall:8.0f} submissions/s   median {percentile(latencies, 50) * 1000:6.1f} ms"
          f"   p95 {percentile(latencies, 95) * 1000:6.1f} ms   errors {len(errors)}")
    return len(latencies) / wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awcs", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12",
                        help="the cache, as deployed (Django's in-memory default keeps 300 entries: the workers' "
                             "permissions and centres would be read again at nearly every request); '' for none")
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = args.redis  # this process and the gunicorn workers
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    url = fresh_database("poshan_bench_attendance")
    sys.path.insert(0, str(Path(__file__).parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    django_setup(url, settings="bench_settings")
    awcs, tokens, children, today = build_world(args.awcs)
    counts, weight, gz = queries_per_submission(awcs[-1], children[awcs[-1].pk], today)
    from django.db import connections

    connections.close_all()
    with gunicorn(url, port=PORT, workers=args.workers, ready_path="/accounts/login/"):
        jobs = [(a.pk, today - timedelta(days=d)) for d in range(4) for a in awcs[:-1]]

        def real_body(i):
            if i >= len(jobs):
                return None
            awc, day = jobs[i]
            kids = children[awc]
            return {"date": day.isoformat(), "present": kids, "hcm": kids, "backdate_reason": "bench"}

        def bare_body(i):
            if i >= len(jobs):
                return None
            awc, day = jobs[i]
            return {"awc": awc, "date": (day - timedelta(days=30)).isoformat(), "present": children[awc]}

        bare = load("/bench/bare-attendance/", bare_body, lambda i: {}, args.seconds, args.connections)
        real = load("/api/v1/attendance/", real_body, lambda i: {"Authorization": f"Token {tokens[jobs[i][0]]}"},
                    args.seconds, args.connections)
    print(f"machine: {os.cpu_count()} cores; gunicorn {args.workers} sync workers; {args.connections} connections; "
          f"{args.awcs} AWCs x {CHILDREN} children")
    print(f"queries per submission: 5 children -> {counts[5]}, {CHILDREN} children -> {counts[CHILDREN]}")
    bare_rate = report("bare floor (bulk insert only)", *bare)
    real_rate = report("attendance API (auth, scope, audit)", *real)
    print(f"ratio real / bare                  {real_rate / bare_rate:.2f}")
    total = sum(weight.values())
    print(f"attendance page first load: {total:,} bytes uncompressed ({', '.join(f'{k} {v:,}' for k, v in weight.items())});"
          f" {gz:,} bytes gzip")


if __name__ == "__main__":
    main()
