"""Reliability under faults, with real services: kill Celery workers mid-task, restart PostgreSQL while
submissions arrive, take Redis away. Prints what was tried and what survived; --record appends it to
bench/RESULTS.md.

Run (as root, on the CI/dev machine): .venv/bin/python bench/faults.py [--awcs 20 --children-per-awc 200] [--record]

It touches nobody else's services: it creates its own PostgreSQL cluster (`faults`, port 5441, trust auth on
localhost, dropped at the end unless --keep-cluster) with its own database `poshan_faults`, uses Redis database
/7 on the usual Redis for the workers it starts (queues `flagging` and `frs` under its own names), and for the
Redis-down scenario starts a second redis-server on port 6390 and stops that one.

Every check compares what was sent with what the database holds, for this run only, and can fail:
1. Flagging: `seed_demo --scale` children; the nightly job in small chunks on a prefork worker; SIGKILL the whole
   worker (parent and pool) mid-run, start a new one: the run ends DONE, and (statuses and follow-ups emptied
   before the run) the status rows are this run's children exactly, each from the measurement a clean single run
   picks, and the follow-ups are exactly those a clean single run computes (evaluated again without writing).
   Again with only the pool processes killed (the parent requeues their tasks).
2. Face match: enrol, then a match of a 12-megapixel photo; SIGKILL the worker the moment its task has taken
   the photo, restart: the check must end failed/expired (the photo was read once and is gone), no distribution
   is written for it, no photo is left in Redis; a new photo then hands the ration over exactly once.
3. PostgreSQL restarted while 30 centres post their attendance sheets to /api/v1/submissions/batch/ through
   gunicorn: every first answer must be 2xx, 409 or 503 with Retry-After (a 502, a dropped connection or a 503
   without Retry-After fails); replay every failed batch with the same client ids, then everything once more:
   each client id sent is saved exactly once, for its centre and day, with the ticks sent.
4. Redis down (the spare one gunicorn uses, stopped: connections refused): sign-in, attendance and registration
   still work, judged by the rows saved; the face match ends failed/unavailable and the page offers the other ways.
5. Redis unreachable (packets dropped, not refused: the spare Redis behind a relay that goes silent and stops
   accepting): the same steps, each answering within UNREACHABLE_BOUND seconds (REDIS_CONNECT_TIMEOUT and
   REDIS_SOCKET_TIMEOUT, 1 s each); the times are printed.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PG_VERSION = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
PG_CLUSTER, PG_PORT = "faults", 5441
PG_ADMIN = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"
DB_NAME = "poshan_faults"
REDIS_URL = os.environ.get("FAULTS_REDIS", "redis://127.0.0.1:6379/7")
SPARE_REDIS_PORT = 6390
PASSWORD = "faults-bench-2026!"
VISIBILITY_TIMEOUT = 10  # seconds before an unacked task of a dead worker is handed out again
FACES = ROOT / "tests" / "fixtures" / "faces"
LOG_DIR = Path("/tmp") / f"poshan-faults-{os.getpid()}"
RESULTS = ROOT / "bench" / "RESULTS.md"
REPORT: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    REPORT.append(text)


def run(*cmd: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), check=check, capture_output=True, text=True, **kwargs)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- our own PostgreSQL cluster and spare Redis ----------------------------------------------------------------

def pg_ready() -> bool:
    return run("pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT), "-q", check=False).returncode == 0


def pg_cluster_up() -> None:
    if PG_CLUSTER not in run("pg_lsclusters", "-h").stdout.split():
        run("pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--", "--auth-host=trust",
            "--auth-local=trust")
    run("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, "start", check=False)
    wait_for(pg_ready, 30, "the faults PostgreSQL cluster")


def pg_restart() -> float:
    started = time.monotonic()
    run("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, "restart", "-m", "fast")
    wait_for(pg_ready, 30, "PostgreSQL after the restart", 0.05)
    return time.monotonic() - started


def pg_cluster_drop() -> None:
    run("pg_dropcluster", "--stop", PG_VERSION, PG_CLUSTER, check=False)


def spare_redis(action: str) -> None:
    if action == "start":
        run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(SPARE_REDIS_PORT),
            "--save", "", "--appendonly", "no", "--logfile", str(LOG_DIR / "spare-redis.log"))
        wait_for(lambda: run("redis-cli", "-p", str(SPARE_REDIS_PORT), "ping", check=False).stdout.strip() == "PONG",
                 10, "the spare Redis")
    else:
        run("redis-cli", "-p", str(SPARE_REDIS_PORT), "shutdown", "nosave", check=False)
        wait_for(lambda: run("redis-cli", "-p", str(SPARE_REDIS_PORT), "ping", check=False).returncode != 0,
                 10, "the spare Redis to stop")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- processes ---------------------------------------------------------------------------------------------

def base_env(database_url: str, redis_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DJANGO_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "poshan.settings.local", "C_FORCE_ROOT": "1", "LOG_LEVEL": "WARNING",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "DB_CONN_MAX_AGE": "60"}


class Worker:
    """A prefork Celery worker in its own process group (so a SIGKILL takes the pool with it)."""

    def __init__(self, env: dict, queue: str, name: str, concurrency: int = 2):
        self.name = f"{name}-{uuid.uuid4().hex[:6]}@faults"
        self.log = LOG_DIR / f"{self.name}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "poshan", "worker", "-Q", queue, "--pool=prefork",
             f"--concurrency={concurrency}", "-n", self.name, "-l", "info", "--without-gossip", "--without-mingle",
             "--prefetch-multiplier=1"],
            env=env, cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        from poshan.celery import app

        wait_for(lambda: self.proc.poll() is None and app.control.ping(destination=[self.name], timeout=0.5),
                 90, f"worker {self.name}", 0.2)

    def pool(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            try:
                found += [int(p) for p in task.read_text().split()]
            except OSError:
                pass
        return found

    def kill_all(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def kill_pool(self) -> list[int]:
        children = self.pool()
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        return children

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


class Web:
    def __init__(self, env: dict, name: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "poshan.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60"],
            env=env, cwd=ROOT, stdout=(LOG_DIR / f"{name}.log").open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        import requests

        def up():
            try:
                return requests.get(f"{self.base}/accounts/login/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(up, 60, f"gunicorn {name}", 0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


# --- the world ---------------------------------------------------------------------------------------------

def make_centres(n: int, *, children: int = 5, prefix: str = "f") -> list[dict]:
    """n AWCs (in their own sector) with an AWW (password, API token) and preschool children."""
    from django.utils import timezone
    from knox.models import AuthToken

    from anganwadi.services import location_upsert, staff_create
    from tests.factories import make_household, make_person

    code = 700 + abs(hash(prefix)) % 100
    state, _ = location_upsert(actor=None, level="state", code=code, name=f"Faults {prefix}", parent=None)
    district, _ = location_upsert(actor=None, level="district", code=code * 100, name="D", parent=state)
    project, _ = location_upsert(actor=None, level="project", code=code * 10_000, name="P", parent=district)
    sector, _ = location_upsert(actor=None, level="sector", code=code * 1_000_000, name="S", parent=project)
    today = timezone.localdate()
    centres = []
    for i in range(n):
        awc, _ = location_upsert(actor=None, level="awc", code=code * 100_000_000 + i, name=f"AWC {prefix}{i}",
                                 parent=sector)
        user = staff_create(actor=None, username=f"{prefix}aww{i}", password=PASSWORD, role="aww", location=awc)
        household = make_household(awc, actor=user, head_name=f"Head {prefix}{i}", mobile="98123" + f"{i:05d}")
        kids = [make_person(household, actor=user, name=f"Kid {prefix}{i}-{k}", sex="FM"[k % 2], enrol_as="child",
                            dob=today - timedelta(days=3 * 365 + 100 + 30 * k)).pk for k in range(children)]
        token = AuthToken.objects.create(user, expiry=timedelta(hours=6))[1]  # the whole run, used or not
        centres.append({"awc": awc, "user": user, "token": token, "kids": kids,
                        "household": household})
    return centres


def photo(name: str, megapixels12: bool = False) -> bytes:
    from PIL import Image

    with Image.open(FACES / name) as image:
        portrait = image.convert("RGB")
    out = io.BytesIO()
    if megapixels12:
        scaled = portrait.resize((round(portrait.width * 3000 / portrait.height), 3000))
        canvas = Image.effect_noise((4000, 3000), 24).convert("RGB")
        canvas.paste(scaled, ((4000 - scaled.width) // 2, 0))
        canvas.save(out, "JPEG", quality=90)
    else:
        portrait.save(out, "JPEG", quality=90)
    return out.getvalue()


# --- 1. flagging ---------------------------------------------------------------------------------------------

def flagging_expected(day: date, chunk_size: int) -> tuple[dict[int, int | None], set[tuple]]:
    """What one clean run for `day` computes, written nowhere: {child: measurement} and {(child, reason, month)}."""
    from growth.flagging import jobs, pg, rules

    run_day = rules.RunDay(day)
    statuses: dict[int, int | None] = {}
    followups: set[tuple] = set()
    for plan in jobs.plan_chunks(day, size=chunk_size):
        kids = jobs.chunk_children(district_id=plan.district_id, first=plan.first_child_id,
                                   last=plan.last_child_id, on=day)
        result = rules.evaluate(pg.read_chunk(kids, first=plan.first_child_id, last=plan.last_child_id,
                                              run=run_day), run_day)
        for child, measurement in zip(result.status.child_id.tolist(), result.status.measurement_id.tolist()):
            statuses[child] = measurement or None
        rows = result.followups
        followups |= {(c, rules.REASONS[r], rules.from_day_number(m))
                      for c, r, m in zip(rows.child_id.tolist(), rows.reason.tolist(), rows.month_day.tolist())}
    return statuses, followups


def flagging_checks(run_id: int, day: date, chunk_size: int) -> dict:
    """The run against a clean single run of the same day: the tables were emptied before the run, so every
    status and follow-up in them is this run's, and each must be exactly what the clean run computes."""
    from growth.flagging import jobs
    from growth.models import ChildStatus, FlaggingRun, FollowUp

    run = FlaggingRun.objects.get(pk=run_id)
    children = set(jobs.children_on(day).values_list("pk", flat=True))
    expected_statuses, expected_followups = flagging_expected(day, chunk_size)
    saved_statuses = dict(ChildStatus.objects.values_list("child_id", "measurement_id"))
    saved_followups = set(FollowUp.objects.values_list("child_id", "reason", "month"))
    return {"status": run.status, "chunks": f"{run.chunks_done}/{run.chunks_total}", "children": len(children),
            "scored": run.children, "statuses": len(saved_statuses),
            "statuses_ok": saved_statuses == expected_statuses and set(saved_statuses) == children,
            "status_diff": len(set(saved_statuses.items()) ^ set(expected_statuses.items())),
            "followups": len(saved_followups), "followups_expected": len(expected_followups),
            "followups_ok": saved_followups == expected_followups and run.followups_created == len(expected_followups),
            "followup_diff": len(saved_followups ^ expected_followups)}


def scenario_flagging(env: dict, chunk_size: int) -> None:
    from growth.models import ChildStatus, FlaggingRun, FollowUp
    from growth.tasks import run_nightly

    say("### 1. Nightly flagging, worker killed mid-run")
    for variant, day in (("whole worker (parent + pool) SIGKILLed, new worker started", date.today()),
                         ("pool processes SIGKILLed, parent alive", date.today() - timedelta(days=1))):
        FollowUp.objects.all().delete()  # this run starts from empty tables: what is in them afterwards is its own
        ChildStatus.objects.all().delete()
        worker = Worker(env, "flagging", "flag", concurrency=2)
        started = time.monotonic()
        result = run_nightly.delay(day.isoformat(), chunk_size)
        run_id = result.get(timeout=120)
        run = wait_for(lambda: (r := FlaggingRun.objects.get(pk=run_id)).chunks_done >= 2 and r, 120,
                       "two chunks done", 0.01)
        done_at_kill, total = run.chunks_done, run.chunks_total
        if variant.startswith("whole"):
            worker.kill_all()
            time.sleep(1)
            worker = Worker(env, "flagging", "flag-restarted", concurrency=2)
        else:
            worker.kill_pool()
        run = wait_for(lambda: (r := FlaggingRun.objects.get(pk=run_id)).status != FlaggingRun.Status.RUNNING and r,
                       VISIBILITY_TIMEOUT * 6 + 300, "the run to end", 0.25)
        seconds = time.monotonic() - started
        worker.stop()
        checks = flagging_checks(run_id, day, chunk_size)
        ok = (checks["status"] == "done" and done_at_kill < total and checks["scored"] == checks["children"]
              and checks["statuses_ok"] and checks["followups_ok"])
        say(f"- {variant}: killed with {done_at_kill}/{total} chunks done; run {checks['status']} after "
            f"{seconds:.0f} s, chunks {checks['chunks']}, children {checks['children']}, scored {checks['scored']}; "
            f"status rows {checks['statuses']} (this run's children exactly, each from the measurement a clean run "
            f"picks: {checks['status_diff']} differ); follow-ups {checks['followups']} vs "
            f"{checks['followups_expected']} a clean single run computes ({checks['followup_diff']} differ) → "
            f"{'SURVIVED' if ok else 'FAILED'}")


# --- 2. face match ---------------------------------------------------------------------------------------------

def scenario_face(env: dict) -> None:
    from django.db import transaction
    from django.utils import timezone

    from beneficiaries.services import ConsentInput, EnrolAs, PersonInput, beneficiary_register
    from thr_frs import photostore
    from thr_frs.models import FaceCheck, ThrDistribution
    from thr_frs.services import face_enrol_request, face_match_request, stock_receive

    say("### 2. Face match, worker killed while it encodes the photo")
    centre = make_centres(1, children=0, prefix="face")[0]
    user, awc = centre["user"], centre["awc"]
    today = timezone.localdate()
    stock_receive(actor=user, awc=awc, received_on=today, packets=100)
    for variant in ("whole worker SIGKILLed, new worker started", "pool process SIGKILLed, parent alive"):
        woman = beneficiary_register(actor=user, household=centre["household"],
                                     consent=ConsentInput(given_by="W", purposes=("services", "face")),
                                     person=PersonInput(name=f"Woman {variant[:5]}", sex="F", age_years=25,
                                                        enrol_as=EnrolAs.PREGNANT, lmp=today - timedelta(days=60)))
        worker = Worker(env, "frs", "frs", concurrency=1)
        with transaction.atomic():
            enrol = face_enrol_request(actor=user, beneficiary=woman, photo=photo("obama_1.jpg"))
        wait_for(lambda: FaceCheck.objects.get(pk=enrol.pk).status != "pending", 120, "the enrolment")
        with transaction.atomic():
            check = face_match_request(actor=user, beneficiary=woman, photo=photo("obama_2.jpg", True), quantity=4)
        wait_for(lambda: not photostore.waiting_keys(), 60, "the task to take the photo (GETDEL)", 0.002)
        finished_before_kill = FaceCheck.objects.get(pk=check.pk).status != "pending"
        if variant.startswith("whole"):
            worker.kill_all()
            time.sleep(1)
            worker = Worker(env, "frs", "frs-restarted", concurrency=1)
        else:
            worker.kill_pool()
        started = time.monotonic()
        check = wait_for(lambda: (c := FaceCheck.objects.get(pk=check.pk)).status != "pending" and c,
                         VISIBILITY_TIMEOUT * 6 + 120, "the killed check to end", 0.25)
        settled = time.monotonic() - started
        distributions_after_kill = ThrDistribution.objects.filter(beneficiary=woman).count()
        # the photo was read once (GETDEL) and is gone: the killed check must end failed/expired, and the worker
        # takes a new photo, which hands the ration over exactly once
        with transaction.atomic():
            retry = face_match_request(actor=user, beneficiary=woman, photo=photo("obama_2.jpg"), quantity=4)
        retry = wait_for(lambda: (c := FaceCheck.objects.get(pk=retry.pk)).status != "pending" and c, 120,
                         "the new photo's check")
        distributions = list(ThrDistribution.objects.filter(beneficiary=woman).values_list("quantity", flat=True))
        left = photostore.waiting_keys()
        worker.stop()
        ok = (not finished_before_kill and (check.status, check.error) == ("failed", "expired")
              and distributions_after_kill == 0 and retry.matched and distributions == [4] and not left)
        distributions = len(distributions)
        note = " (the task had already finished when the kill came: nothing was tested)" if finished_before_kill else ""
        say(f"- {variant}: the killed check ended {check.status}/{check.error or '-'}{note} {settled:.1f} s after "
            f"the kill (not left pending); distributions after it {distributions_after_kill}; "
            f"a new photo matched={retry.matched}, distributions now "
            f"{distributions}; photo keys left in Redis {len(left)} → {'SURVIVED' if ok else 'FAILED'}")


# --- 3. PostgreSQL restart under submissions --------------------------------------------------------------------

def scenario_postgres(env: dict, centres: list[dict]) -> None:
    import requests

    from beneficiaries.models import Attendance, AttendanceSubmission

    say("### 3. PostgreSQL restarted while attendance sheets arrive (gunicorn, 2 workers, batch API)")
    web = Web(env, "web-pg")
    days = [date.today() - timedelta(days=d) for d in range(4)]
    items = [(c, day, str(uuid.uuid4())) for day in days for c in centres]
    outcomes: dict[str, int] = {}
    failed: list[tuple] = []
    errors_seen: dict[str, str] = {}
    lock = threading.Lock()

    def post(c, day, client_uuid):
        body = [{"type": "attendance", "client_uuid": client_uuid,
                 "payload": {"date": day.isoformat(), "present": c["kids"][:3], "hcm": c["kids"][:2],
                             "backdate_reason": "" if day == date.today() else "entered late (faults bench)"}}]
        try:
            response = requests.post(f"{web.base}/api/v1/submissions/batch/", json=body, timeout=30,
                                     headers={"Authorization": f"Token {c['token']}"})
        except requests.RequestException as exc:
            return f"connection error ({type(exc).__name__})", None
        if response.status_code == 200:
            return response.json()[0]["status"], response
        kind = f"{response.status_code}" + (f" Retry-After {response.headers['Retry-After']}"
                                            if "Retry-After" in response.headers else " (no Retry-After)")
        return kind, response

    def sender(chunk):
        for c, day, client_uuid in chunk:
            kind, response = post(c, day, client_uuid)
            with lock:
                outcomes[kind] = outcomes.get(kind, 0) + 1
                if kind not in ("saved", "duplicate"):
                    failed.append((c, day, client_uuid))
                    if response is not None:
                        errors_seen.setdefault(kind, response.text[:160].replace("\n", " "))
            time.sleep(0.05)

    threads = [threading.Thread(target=sender, args=(items[i::6],)) for i in range(6)]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(1.0)
    restart_seconds = pg_restart()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    replays: dict[str, int] = {}
    for c, day, client_uuid in failed:  # the phone's queue sends an unanswered entry again, same id
        for _attempt in range(20):
            kind, _ = post(c, day, client_uuid)
            if kind in ("saved", "duplicate"):
                replays[kind] = replays.get(kind, 0) + 1
                break
            time.sleep(0.5)
        else:
            replays["never answered"] = replays.get("never answered", 0) + 1
    again: dict[str, int] = {}
    for c, day, client_uuid in items:  # and everything once more: all must be answered "duplicate"
        kind, _ = post(c, day, client_uuid)
        again[kind] = again.get(kind, 0) + 1
    web.stop()
    from django.db import connection

    connection.close()  # this process's own connection did not survive the restart either
    # Each client id sent saved exactly once, for its centre and day, with the ticks sent (present 3, meal 2).
    sheets = {str(u): (awc, day) for u, awc, day in AttendanceSubmission.objects.filter(
        client_uuid__in=[u for _c, _d, u in items]).values_list("client_uuid", "awc_id", "date")}
    saved = Attendance.objects.filter(awc__in=[c["awc"] for c in centres]).values_list("awc_id", "date", "child_id",
                                                                                         "hcm")
    ticks: dict[tuple, set] = {}
    for awc_id, day, child_id, hcm in saved:
        ticks.setdefault((awc_id, day), set()).add((child_id, hcm))
    wrong = [u for c, day, u in items
             if sheets.get(u) != (c["awc"].pk, day)
             or ticks.get((c["awc"].pk, day)) != {(k, k in c["kids"][:2]) for k in c["kids"][:3]}]
    extra = len(ticks) - len({(c["awc"].pk, day) for c, day, _u in items})
    # Every first answer is an answer the phone's queue handles: saved, duplicate, 409, or 503 with Retry-After.
    unexpected = {k: n for k, n in outcomes.items()
                  if k not in ("saved", "duplicate") and not k.startswith("409") and not re.fullmatch(
                      r"503 Retry-After \d+", k)}
    ok = (not wrong and extra == 0 and len(sheets) == len(items) and not unexpected
          and again == {"duplicate": len(items)} and "never answered" not in replays)
    say(f"- {len(items)} sheets from {len(centres)} centres over {wall:.1f} s; PostgreSQL restart took "
        f"{restart_seconds:.1f} s")
    say(f"- first answers: {dict(sorted(outcomes.items()))}; not 2xx/409/503 + Retry-After: {unexpected or 'none'}")
    for kind, text in errors_seen.items():
        say(f"  - {kind}: {text}")
    say(f"- failed batches replayed with the same client ids: {dict(sorted(replays.items()))}; everything replayed "
        f"once more: {dict(sorted(again.items()))}")
    say(f"- saved: {len(sheets)} of the {len(items)} client ids sent, {len(wrong)} not saved exactly once with the "
        f"ticks sent, {extra} sheets nobody sent → {'SURVIVED' if ok else 'FAILED'}")


# --- 4. Redis down -------------------------------------------------------------------------------------------

class Browser:
    def __init__(self, base: str, username: str):
        import requests

        self.base, self.session = base, requests.Session()
        self.session.get(f"{base}/accounts/login/", timeout=10)
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"sign-in: {response.status_code}"

    def post(self, path: str, data: dict, files=None):
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self.session.post(f"{self.base}{path}", data=data, files=files, allow_redirects=False, timeout=30)

    def get(self, path: str):
        return self.session.get(f"{self.base}{path}", allow_redirects=False, timeout=30)


class Blackhole:
    """A TCP relay in front of the spare Redis that can start dropping packets, as a dead host, a firewall or a
    broken route does (not refusing them, as a stopped Redis does): after drop(), bytes on open connections are
    swallowed unanswered and new connections are never accepted — the listen queue (backlog 1) fills and the
    kernel drops the next SYNs. Needs no iptables and stays on loopback."""

    def __init__(self, upstream_port: int):
        self.upstream = ("127.0.0.1", upstream_port)
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.dropping = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.dropping.is_set():
            try:
                client, _ = self.server.accept()
            except (socket.timeout, OSError):
                continue
            upstream = socket.create_connection(self.upstream)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.dropping.is_set():
                    target.sendall(data)
        except OSError:
            pass

    def drop(self) -> None:
        self.dropping.set()  # the accept loop stops; open connections go silent

    def close(self) -> None:
        self.dropping.set()
        for sock in [*self.sockets, self.server]:
            try:
                sock.close()
            except OSError:
                pass


UNREACHABLE_BOUND = 15.0  # seconds: a handful of Redis calls per request, each given up after REDIS_*_TIMEOUT (1 s)


def scenario_redis(database_url: str, mode: str) -> None:
    from django.db import connection
    from django.utils import timezone

    from beneficiaries.models import Attendance, Beneficiary, Household
    from beneficiaries.services import ConsentInput, EnrolAs, PersonInput, beneficiary_register
    from thr_frs.models import FaceCheck, FaceEnrolment
    from thr_frs.services import face_checks, stock_receive

    if mode == "down":
        say(f"### 4. Redis down (a spare redis-server on port {SPARE_REDIS_PORT}, stopped: connections refused; "
            f"cache, sessions, broker, photos)")
    else:
        say(f"### 5. Redis unreachable (the spare redis-server behind a relay that starts dropping packets: open "
            f"connections go silent, new ones are never answered; cache, sessions, broker, photos)")
    spare_redis("start")
    hole = Blackhole(SPARE_REDIS_PORT) if mode == "unreachable" else None
    spare = f"redis://127.0.0.1:{hole.port if hole else SPARE_REDIS_PORT}/0"
    web = Web(base_env(database_url, spare), f"web-redis-{mode}")
    centre = make_centres(1, children=3, prefix=f"redis-{mode}")[0]
    awc = centre["awc"]
    today = timezone.localdate()
    woman = beneficiary_register(actor=centre["user"], household=centre["household"],
                                 consent=ConsentInput(given_by="W", purposes=("services", "face")),
                                 person=PersonInput(name="Woman R", sex="F", age_years=25, enrol_as=EnrolAs.PREGNANT,
                                                    lmp=today - timedelta(days=60)))
    FaceEnrolment.objects.create(person=woman, awc=awc, enrolled_by=centre["user"],
                                 encoding=face_checks.encoding_to_bytes([0.0] * 128))
    stock_receive(actor=centre["user"], awc=awc, received_on=today, packets=20)
    connection.close()
    results: list[tuple[str, str, bool]] = []

    def timed(label, step, judge):
        started = time.monotonic()
        try:
            response = step()
        except Exception as exc:  # a dropped connection or a client timeout is a failure, not a crash of the bench
            results.append((f"{label} ({time.monotonic() - started:.1f} s)", type(exc).__name__, False))
            return None
        seconds = time.monotonic() - started
        verdict, ok = judge(response)
        if mode == "unreachable" and seconds > UNREACHABLE_BOUND:
            ok, verdict = False, f"{verdict}, slower than {UNREACHABLE_BOUND:.0f} s"
        results.append((f"{label} ({seconds:.1f} s)", verdict, ok))
        return response

    def page(expected_text: str):
        return lambda r: (f"{r.status_code}", r.status_code == 200 and expected_text in r.text)

    def attendance_saved(response):
        rows = set(Attendance.objects.filter(awc=awc, date=today).values_list("child_id", "hcm"))
        connection.close()
        return (f"{response.status_code}, {len(rows)} rows saved",
                response.status_code in (200, 302) and rows == {(k, True) for k in centre["kids"]})

    households_before = Household.objects.filter(awc=awc).count()
    people_before = Beneficiary.objects.filter(awc=awc).count()
    connection.close()

    def registration_saved(response):
        households = Household.objects.filter(awc=awc).count() - households_before
        people = list(Beneficiary.objects.filter(awc=awc).order_by("-pk").values_list("name", flat=True))
        connection.close()
        ok = response.status_code == 302 and households == 1 and len(people) - people_before == 1 \
            and people[0] == "Radha"
        return f"{response.status_code}, {households} household and {len(people) - people_before} person saved", ok

    try:
        before = Browser(web.base, centre["user"].username)
        timed("with Redis up: attendance page", lambda: before.get("/beneficiaries/attendance/"),
              page('name="present"'))
        if hole:
            hole.drop()
        else:
            spare_redis("stop")
        timed("signed-in session, home page", lambda: before.get("/"), page("</html>"))
        timed("a new sign-in", lambda: Browser(web.base, centre["user"].username).get("/"), page("</html>"))
        timed("attendance sheet saved", lambda: before.post("/beneficiaries/attendance/", {
            "date": today.isoformat(), "present": centre["kids"], "hcm": centre["kids"]}), attendance_saved)
        timed("registration saved", lambda: before.post("/beneficiaries/new/", {
            "head_name": "Redis Down Family", "name": "Radha", "sex": "F", "age_years": 30, "enrol_as": "member",
            "relation_to_head": "self", "social_category": "general", "is_resident": "on",
            "consent_given_by": "Radha", "consent_relation": "self", "consent_purposes": "services"}),
            registration_saved)
        response = timed("face match posted", lambda: before.post(
            f"/thr/b/{woman.pk}/match/", {"quantity": 1},
            files={"photo": ("p.jpg", photo("obama_2.jpg"), "image/jpeg")}),
            lambda r: (f"{r.status_code}", r.status_code == 302))
        if response is not None and response.status_code == 302:
            check = FaceCheck.objects.filter(beneficiary=woman).order_by("-pk").first()
            connection.close()
            outcome = f"{check.status}/{check.error}" if check else "no check"
            timed(f"check page: 'not available just now' and the override offered (check {outcome})",
                  lambda: before.get(response.headers["Location"]),
                  lambda r: (f"{r.status_code}", r.status_code == 200 and outcome == "failed/unavailable"
                             and "not available just now" in r.text and f"/thr/b/{woman.pk}/override/" in r.text))
    finally:
        web.stop()
        if hole:
            hole.close()
            spare_redis("stop")
    for label, verdict, ok in results:
        say(f"- {label}: {verdict} → {'SURVIVED' if ok else 'FAILED'}")


# --- main ---------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--awcs", type=int, default=20)
    parser.add_argument("--children-per-awc", type=int, default=200)
    parser.add_argument("--chunk-size", type=int, default=100, help="children per flagging chunk (small: many)")
    parser.add_argument("--centres", type=int, default=30, help="centres posting during the PostgreSQL restart")
    parser.add_argument("--only", default="12345", help="which scenarios, e.g. --only 13")
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    parser.add_argument("--keep-cluster", action="store_true")
    args = parser.parse_args()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    say(f"`.venv/bin/python bench/faults.py {' '.join(sys.argv[1:])}` — {date.today():%Y-%m-%d}, own PostgreSQL "
        f"{PG_VERSION} cluster on :{PG_PORT}, Redis {REDIS_URL} (+ spare :{SPARE_REDIS_PORT}), "
        f"visibility timeout {VISIBILITY_TIMEOUT} s")
    pg_cluster_up()
    try:
        os.environ["BENCH_PG"] = PG_ADMIN
        from _setup import django_setup, fresh_database

        database_url = fresh_database(DB_NAME)
        env = base_env(database_url, REDIS_URL)
        os.environ.update({"REDIS_URL": REDIS_URL, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)})
        django_setup(database_url)
        from django.conf import settings
        from django.core.management import call_command

        from poshan.celery import app

        app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False,
                        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT})
        settings.CELERY_TASK_ALWAYS_EAGER = False
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # db /7 is this bench's own
        if "1" in args.only:
            call_command("seed_demo", "--scale", "--awcs", str(args.awcs), "--children-per-awc",
                         str(args.children_per_awc), "--women-per-awc", "5")
            scenario_flagging(env, args.chunk_size)
        if "2" in args.only:
            scenario_face(env)
        if "3" in args.only:
            scenario_postgres(env, make_centres(args.centres, prefix="pg"))
        if "4" in args.only:
            scenario_redis(database_url, "down")
        if "5" in args.only:
            scenario_redis(database_url, "unreachable")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_cluster:
            pg_cluster_drop()
    say(f"(whole run {time.monotonic() - started:.0f} s; worker and server logs in {LOG_DIR})")
    if args.record:
        text = RESULTS.read_text()
        heading = "## Reliability under faults — `bench/faults.py`"
        block = "\n".join(line for line in REPORT)
        with RESULTS.open("a") as out:
            out.write(("\n" if text.endswith("\n") else "\n\n") + (heading + "\n" if heading not in text else "")
                      + "\n" + block + "\n")


if __name__ == "__main__":
    main()
