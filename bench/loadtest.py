"""Load test: a working day against gunicorn + PostgreSQL + Redis + a Celery worker per queue.

Run (the world first: `seed_demo --scale` into its own database, see bench/RESULTS.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/poshan_scale .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py seed_demo --scale --awcs 5000 --children-per-awc 160 --women-per-awc 40
    .venv/bin/python bench/loadtest.py --db poshan_scale --prepare          # once: flagging, 12 months of rollups
    .venv/bin/python bench/loadtest.py --db poshan_scale --seconds 300       # the measured run

No dependency beyond the project's own: a closed loop of client threads (like bench/attendance.py), each
request a kind drawn by weight — 80 % AWW form submissions (attendance sheets through the attendance
endpoint and through the offline batch endpoint, home visits, measurements; token auth of the AWW of a
random centre, fresh client UUIDs), 15 % supervisor pages (sector dashboard, follow-up list, monthly
summary; session cookies), 5 % dashboards and exports (district, state and national dashboards, a small
CSV export). Server: gunicorn (--web-workers sync workers, persistent database connections) and four
Celery workers, one per queue (default, flagging, exports, frs; prefork ×1, prefetch 1) on Redis DB
--redis-db (not 0: other people's test workers must not take these tasks). Half-way the run queues what
the day's background brings: the half-hourly incremental rollup refresh (default queue) and one large
export job (exports queue); their durations are printed.

Reports requests/s, p50/p95/p99 and errors per kind, and CPU (% of one core, averaged over the run) of the
PostgreSQL backends of this database, PostgreSQL's shared background processes, gunicorn, each Celery
worker and this client; the load average before and after. The attendance sheets of the last four days
(today and three back-dated days, with a reason) are emptied at the start, so every sheet is a new one.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from _setup import ROOT, percentile

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PREFIX = "lt_"  # load-test users
QUEUES = ("default", "flagging", "exports", "frs")
DAYS_BACK = 3  # BACKDATE_DAYS: sheets for today and three days back
# kind → (weight in %, group)
KINDS = {
    "attendance": (25, "AWW form submissions"),
    "batch": (10, "AWW form submissions"),
    "home_visit": (20, "AWW form submissions"),
    "measurement": (25, "AWW form submissions"),
    "sector_dashboard": (5, "supervisor pages"),
    "follow_ups": (5, "supervisor pages"),
    "summary": (5, "supervisor pages"),
    "district_dashboard": (2, "dashboards and exports"),
    "state_dashboard": (1, "dashboards and exports"),
    "national_dashboard": (0.5, "dashboards and exports"),
    "export_csv": (1.5, "dashboards and exports"),
}


def setup_django(db: str, *, eager: bool, redis_db: int) -> str:
    url = f"{PG}/{db}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    if eager:
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


# --- preparing the world (once) ----------------------------------------------------------------------

def prepare(args) -> None:
    """Tonight's flagging, the rollups of twelve months, and the load-test users. Idempotent."""
    setup_django(args.db, eager=True, redis_db=args.redis_db)
    from django.utils import timezone

    from growth.models import FlaggingRun
    from growth.tasks import run_nightly
    from poshan.core.partitions import ensure_partitions
    from poshan.dashboards.models import RollupRun
    from poshan.dashboards.rollups.refresh import refresh_month
    from poshan.dashboards.selectors import add_months

    ensure_partitions()
    today = timezone.localdate()
    if not FlaggingRun.objects.filter(run_date=today, status="done").exists():
        started = time.perf_counter()
        run_nightly(today.isoformat())  # eager: the chunks in this process, then this month's rollups
        print(f"nightly flagging + this month's rollups (eager, one process): {time.perf_counter() - started:.0f} s")
    this_month = today.replace(day=1)
    for back in range(1, args.rollup_months):
        month = add_months(this_month, -back)
        if RollupRun.objects.filter(month=month, status="done").exists():
            continue
        started = time.perf_counter()
        run = refresh_month(month, trigger="admin")
        print(f"rollups {month:%Y-%m}: {run.awcs_done} AWCs in {time.perf_counter() - started:.0f} s", flush=True)
    make_users()


def make_users() -> None:
    from django.contrib.auth.models import Group
    from anganwadi.models import Location, StaffAssignment
    from poshan.core.models import User

    if User.objects.filter(username__startswith=PREFIX).exists():
        return
    scale = Location.objects.filter(level="awc")
    plan = [("aww", "awc"), ("supervisor", "sector"), ("dpo", "district"), ("state", "state")]
    made = 0
    for role, level in plan:
        places = list(Location.objects.filter(level=level, pk__in=scale.values(f"{level}_id" if level != "awc"
                                                                                  else "pk")))
        users = User.objects.bulk_create([User(username=f"{PREFIX}{role}_{p.pk}", role=role, password="!")
                                          for p in places], batch_size=5_000)
        StaffAssignment.objects.bulk_create([StaffAssignment(user=u, location=p) for u, p in zip(users, places)],
                                            batch_size=5_000)
        Group.objects.get(name=f"role:{role}").user_set.add(*users)
        made += len(users)
    ministry = User.objects.create(username=f"{PREFIX}ministry", role="ministry", password="!")
    StaffAssignment.objects.create(user=ministry, location=None)
    Group.objects.get(name="role:ministry").user_set.add(ministry)
    print(f"load-test users: {made + 1}")


# --- what the clients send ---------------------------------------------------------------------------

TOKEN_HOURS = 6  # the run's tokens live this long, used or not (API tokens otherwise end after 30 idle minutes)


def issue_tokens(user_by_awc: dict[int, int]) -> dict[int, str]:
    """A fresh API token for each AWW of the run (knox keeps only their hashes, so they are made anew each run)."""
    from datetime import timedelta

    from django.utils import timezone
    from knox.models import AuthToken, get_digest_token
    from knox.settings import CONSTANTS

    expiry = timezone.now() + timedelta(hours=TOKEN_HOURS)
    tokens, rows = {}, []
    for awc, user_id in user_by_awc.items():
        digest, token = get_digest_token()
        tokens[awc] = token
        rows.append(AuthToken(digest=digest, token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id,
                              expiry=expiry))
    AuthToken.objects.bulk_create(rows, batch_size=5_000)
    return tokens


class World:
    """Ids the clients need, read once: tokens, sessions, and each centre's people."""

    def __init__(self):
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.db import connection
        from django.utils import timezone
        from importlib import import_module

        from anganwadi.models import Location
        from poshan.core.models import User

        self.today = timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT a.location_id, u.id FROM core_user u JOIN anganwadi_staffassignment a ON a.user_id = u.id
                WHERE u.username LIKE %s AND u.role = 'aww'""", [PREFIX + "aww_%"])
            self.tokens = issue_tokens(dict(cursor.fetchall()))
            cursor.execute("SELECT awc_id, id, dob, sex FROM beneficiaries_beneficiary "
                           "WHERE awc_id = ANY(%s) AND exited_on IS NULL", [list(self.tokens)])
            people = cursor.fetchall()
        self.preschool, self.young, self.women = defaultdict(list), defaultdict(list), defaultdict(list)
        for awc, pk, dob, sex in people:
            age = (self.today - dob).days
            if sex == "F" and age >= 18 * 365:
                self.women[awc].append(pk)
            elif 3 * 365 + 1 < age < 6 * 365 - 1:
                self.preschool[awc].append(pk)
            elif 30 < age < 5 * 365:
                self.young[awc].append((pk, age))
        self.awcs = sorted(a for a in self.tokens if self.preschool[a] and self.young[a] and self.women[a])
        sheets = [(awc, self.today - timedelta(days=d)) for d in range(DAYS_BACK + 1) for awc in self.awcs]
        random.Random(11).shuffle(sheets)
        self.sheets = iter(sheets)
        self.lock = threading.Lock()
        engine = import_module(settings.SESSION_ENGINE)
        self.sessions: dict[str, list[tuple[str, int]]] = {}
        for role in ("supervisor", "dpo", "state", "ministry"):
            users = list(User.objects.filter(username__startswith=PREFIX, role=role).select_related("assignment"))
            cookies = []
            for user in users:
                store = engine.SessionStore()
                store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
                store[HASH_SESSION_KEY] = user.get_session_auth_hash()
                store.create()
                location = user.assignment.location_id if hasattr(user, "assignment") else None
                cookies.append((store.session_key, location))
            self.sessions[role] = cookies
        self.sectors_of: dict[int, list[int]] = defaultdict(list)  # district → its sectors' codes
        for district, code in Location.objects.filter(level="sector").values_list("district_id", "code"):
            self.sectors_of[district].append(code)

    def next_sheet(self):
        with self.lock:
            return next(self.sheets, None)


def attendance_payload(world: World, rng: random.Random):
    sheet = world.next_sheet()
    if sheet is None:
        return None, None
    awc, day = sheet
    kids = world.preschool[awc]
    present = sorted(rng.sample(kids, max(1, int(len(kids) * 0.72))))
    payload = {"date": day.isoformat(), "present": present, "hcm": present}
    if day != world.today:
        payload["backdate_reason"] = "entered on the phone without a network"
    return awc, payload


def measurement_payload(world: World, awc: int, rng: random.Random) -> dict:
    child, age = rng.choice(world.young[awc])
    years = age / 365
    weight = round((3.3 + 2.6 * years + rng.uniform(-1.0, 1.0)) * 20) / 20
    lying = age < 730
    height = round(50 + 25 * min(years, 1) + 8.5 * max(years - 1, 0) + rng.uniform(-3, 3) - (0 if lying else 0.7), 1)
    return {"child": child, "date": world.today.isoformat(), "weight_kg": f"{weight:.2f}", "lenhei_cm": f"{height:.1f}",
            "measure": "l" if lying else "h", "client_uuid": str(uuid.uuid4())}


def visit_payload(world: World, awc: int, rng: random.Random) -> dict:
    return {"beneficiary": rng.choice(world.women[awc]), "date": world.today.isoformat(), "purpose": "pregnancy",
            "topic": "birth_preparedness", "client_uuid": str(uuid.uuid4())}


def build_request(kind: str, world: World, rng: random.Random):
    """(method, path, body bytes, headers) for one request of `kind`, or None when nothing is left to send."""
    json_headers = {"Content-Type": "application/json"}
    if kind in ("attendance", "batch", "home_visit", "measurement"):
        if kind in ("attendance", "batch"):
            awc, sheet = attendance_payload(world, rng)
            if sheet is None:
                return None
        else:
            awc = rng.choice(world.awcs)
        headers = {**json_headers, "Authorization": f"Token {world.tokens[awc]}"}
        if kind == "attendance":
            return "POST", "/api/v1/attendance/", json.dumps({**sheet, "client_uuid": str(uuid.uuid4())}), headers
        if kind == "home_visit":
            return "POST", "/api/v1/home-visits/", json.dumps(visit_payload(world, awc, rng)), headers
        if kind == "measurement":
            return "POST", "/api/v1/growth/measurements/", json.dumps(measurement_payload(world, awc, rng)), headers
        items = [{"type": "attendance", "client_uuid": str(uuid.uuid4()), "payload": sheet}]
        for _ in range(2):
            items.append({"type": "home_visit", "client_uuid": str(uuid.uuid4()),
                          "payload": {k: v for k, v in visit_payload(world, awc, rng).items() if k != "client_uuid"}})
            items.append({"type": "measurement", "client_uuid": str(uuid.uuid4()),
                          "payload": {k: v for k, v in measurement_payload(world, awc, rng).items()
                                      if k != "client_uuid"}})
        return "POST", "/api/v1/submissions/batch/", json.dumps({"items": items}), headers
    role = {"sector_dashboard": "supervisor", "follow_ups": "supervisor", "summary": "supervisor",
            "district_dashboard": "dpo", "state_dashboard": "state", "national_dashboard": "ministry",
            "export_csv": "dpo"}[kind]
    session, location = rng.choice(world.sessions[role])
    headers = {"Cookie": f"sessionid={session}"}
    if kind in ("sector_dashboard", "district_dashboard", "state_dashboard", "national_dashboard"):
        return "GET", "/dashboard/", None, headers
    if kind == "follow_ups":
        return "GET", "/growth/follow-up/", None, headers
    if kind == "summary":
        return "GET", "/beneficiaries/summary/", None, headers
    # a small CSV export: one sector of the district, this month's service summary (25 rows, streamed)
    token = "loadtestcsrf0123456789abcdefghij"  # 32 characters, as Django's CSRF cookie
    body = urlencode({"csrfmiddlewaretoken": token, "kind": "summary", "file_format": "csv",
                      "location_code": rng.choice(world.sectors_of[location]), "level": "sector",
                      "month_from": f"{world.today:%Y-%m}", "month_to": f"{world.today:%Y-%m}"})
    return "POST", "/dashboard/exports/", body, {"Cookie": f"sessionid={session}; csrftoken={token}",
                                                 "Content-Type": "application/x-www-form-urlencoded",
                                                 "Referer": "http://127.0.0.1/dashboard/exports/"}


# --- the run ---------------------------------------------------------------------------------------

def batch_saved(content: bytes) -> bool:
    try:
        return all(item.get("status") == "saved" for item in json.loads(content))
    except (ValueError, AttributeError):
        return False


def run_load(world: World, port: int, seconds: float, clients: int, seed: int):
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    names = list(KINDS)
    weights = [KINDS[k][0] for k in names]

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            kind = rng.choices(names, weights)[0]
            request = build_request(kind, world, rng)
            if request is None:
                continue
            method, path, body, headers = request
            started = time.perf_counter()
            try:
                conn.request(method, path, body, headers)
                response = conn.getresponse()
                content = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, content = type(exc).__name__, b""
            elapsed = time.perf_counter() - started
            ok = status in (200, 201) and (kind != "batch" or batch_saved(content))
            with lock:
                if ok:
                    results[kind].append(elapsed)
                else:
                    errors[kind].append(f"{status} {content[:160]!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors, time.monotonic() - started


def ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError):
                pass
    return found


def process_groups(db: str, server: subprocess.Popen, workers: dict[str, subprocess.Popen]) -> dict[str, list[int]]:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    with conn.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db])
        backends = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT pid FROM pg_stat_activity WHERE backend_type IN "
                    "('checkpointer', 'background writer', 'walwriter', 'autovacuum launcher')")
        background = [r[0] for r in cur.fetchall()]
    conn.close()
    groups = {"postgres backends (this database)": backends, "postgres background (shared)": background,
              "gunicorn": [server.pid, *children_of(server.pid)]}
    for queue, proc in workers.items():
        groups[f"celery {queue}"] = [proc.pid, *children_of(proc.pid)]
    return groups


def wait_http(port: int) -> None:
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def reset_days(today: date) -> None:
    """Empty the attendance of the days the load test fills, and mark those days open."""
    from django.db import connection

    first = today - timedelta(days=DAYS_BACK)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM beneficiaries_attendance WHERE date >= %s", [first])
        cursor.execute("DELETE FROM beneficiaries_attendancesubmission WHERE date >= %s", [first])
        cursor.execute("UPDATE anganwadi_awcday SET opened = true, opened_at = time '09:30', not_open_reason = '' "
                       "WHERE date >= %s AND NOT opened", [first])


def background_jobs(world: World) -> dict:
    """What beat and a district official add during a working day: queued half-way through."""
    from poshan.core.models import User
    from poshan.dashboards.exports.service import export_job_create
    from poshan.dashboards.tasks import refresh_current_month_incremental

    dpo = User.objects.filter(username__startswith=PREFIX + "dpo_").select_related("assignment__location").first()
    job = export_job_create(user=dpo, kind="children", file_format="csv", location=dpo.assignment.location,
                            month_from=world.today.replace(day=1), month_to=world.today.replace(day=1))
    refresh = refresh_current_month_incremental.delay()
    return {"export_job": job.pk, "refresh": refresh, "queued_at": time.monotonic()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="poshan_scale")
    parser.add_argument("--prepare", action="store_true", help="flagging, 12 months of rollups, users (once)")
    parser.add_argument("--rollup-months", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    if args.prepare:
        prepare(args)
        return
    url = setup_django(args.db, eager=False, redis_db=args.redis_db)
    from django.db import connection, connections

    from poshan.dashboards.models import ExportJob, RollupRun

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM anganwadi_location WHERE level = 'awc'")
        awcs = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'beneficiaries_beneficiary'")
        people = cursor.fetchone()[0]
    world = World()
    reset_days(world.today)
    connections.close_all()
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": os.environ["REDIS_URL"],
           "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "C_FORCE_ROOT": "1"}
    subprocess.run([str(ROOT / ".venv/bin/celery"), "-A", "poshan", "purge", "-f", "-Q", ",".join(QUEUES)],
                   env=env, cwd=ROOT, capture_output=True)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "poshan.wsgi:application", "-b",
                               f"127.0.0.1:{args.port}", "-w", str(args.web_workers), "-k", "sync",
                               "--log-level", "warning", "--timeout", "120"], env=env, cwd=ROOT)
    workers = {q: subprocess.Popen([str(ROOT / ".venv/bin/celery"), "-A", "poshan", "worker", "-Q", q, "-n",
                                    f"lt-{q}@%h", "--concurrency", "1", "--prefetch-multiplier", "1",
                                    "-l", "warning"], env=env, cwd=ROOT) for q in QUEUES}
    try:
        wait_http(args.port)
        run_load(world, args.port, args.warmup, args.clients, seed=1)
        groups = process_groups(args.db, server, workers)
        before = {g: {pid: ticks(pid) for pid in pids} for g, pids in groups.items()}
        client_before = os.times()
        machine_before = machine_ticks()
        jobs: dict = {}
        half = threading.Timer(args.seconds / 2, lambda: jobs.update(background_jobs(world)))
        half.start()
        results, errors, wall = run_load(world, args.port, args.seconds, args.clients, seed=2)
        half.join()
        client_after = os.times()
        machine_after = machine_ticks()
        groups = process_groups(args.db, server, workers)  # backends that connected during the run too
        cpu = {}
        for group, pids in groups.items():
            used = sum(ticks(pid) - before.get(group, {}).get(pid, 0) for pid in pids)
            cpu[group] = 100 * used / os.sysconf("SC_CLK_TCK") / wall
        cpu["load-test client"] = 100 * ((client_after.user - client_before.user)
                                         + (client_after.system - client_before.system)) / wall
        deadline = time.monotonic() + 600
        job = None
        while jobs and time.monotonic() < deadline:
            job = ExportJob.objects.get(pk=jobs["export_job"])
            if job.status in ("done", "failed") and jobs["refresh"].ready():
                break
            time.sleep(1)
        load_after = Path("/proc/loadavg").read_text().split()[:3]
    finally:
        server.terminate()
        for proc in workers.values():
            proc.terminate()
        server.wait()
        for proc in workers.values():
            proc.wait()

    total = sum(len(v) for v in results.values())
    print(f"\nworld: {awcs:,} AWCs, ~{people:,} beneficiaries; {args.clients} client threads, gunicorn "
          f"{args.web_workers} sync workers, Celery 1 process per queue ({', '.join(QUEUES)}); machine "
          f"{os.cpu_count()} cores; load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    print(f"measured {wall:.0f} s after {args.warmup:.0f} s of warm-up: {total:,} requests, {total / wall:.1f} req/s, "
          f"errors {sum(len(v) for v in errors.values())}")
    print(f"{'kind':<22}{'share':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    by_group: dict[str, list[float]] = defaultdict(list)
    for kind, (_, group) in KINDS.items():
        values = results.get(kind, [])
        by_group[group] += values
        if values:
            print(f"{kind:<22}{100 * len(values) / max(total, 1):6.1f}%{len(values) / wall:8.1f}"
                  f"{percentile(values, 50) * 1000:9.0f}{percentile(values, 95) * 1000:9.0f}"
                  f"{percentile(values, 99) * 1000:9.0f}{len(errors.get(kind, [])):8d}")
    for group, values in by_group.items():
        print(f"{group:<30} {len(values) / wall:7.1f} req/s  p50 {percentile(values, 50) * 1000:5.0f} ms  "
              f"p95 {percentile(values, 95) * 1000:5.0f} ms  p99 {percentile(values, 99) * 1000:5.0f} ms")
    print("CPU, % of one core over the run: " + ", ".join(f"{g} {v:.0f}" for g, v in cpu.items()))
    busy = machine_after[0] - machine_before[0]
    print(f"machine CPU over the run (all processes, /proc/stat): {100 * busy / (machine_after[1] - machine_before[1]):.0f} % "
          f"of {os.cpu_count()} cores busy = {100 * busy / os.sysconf('SC_CLK_TCK') / wall:.0f} % of one core; "
          f"not attributed above (mostly PostgreSQL backends that came and went): "
          f"{100 * busy / os.sysconf('SC_CLK_TCK') / wall - sum(cpu.values()):.0f} % of one core")
    if jobs:
        run = RollupRun.objects.filter(trigger="incremental").order_by("-started_at").first()
        if run and run.finished_at:
            print(f"incremental rollup refresh (default queue): {run.awcs_done} AWCs in "
                  f"{(run.finished_at - run.started_at).total_seconds():.1f} s")
        if job is not None and job.finished_at:
            print(f"export job (exports queue, district children, {job.rows_done:,} rows): "
                  f"{(job.finished_at - job.created_at).total_seconds():.1f} s, {job.status}")
    for kind, messages in errors.items():
        sample = {}
        for m in messages:
            sample[re.sub(r"\d+", "N", m)[:120]] = sample.get(re.sub(r"\d+", "N", m)[:120], 0) + 1
        print(f"errors {kind}: " + "; ".join(f"{n}× {m}" for m, n in list(sample.items())[:3]))


if __name__ == "__main__":
    main()
