"""Bench: face match for THR, from upload to decision, through gunicorn + a real Celery worker.

Run: .venv/bin/python bench/frs.py [--small 30] [--large 15] [--per-user 8] [--users 20]

Builds a fresh PostgreSQL database (poshan_frs_bench), 20 AWCs with one worker each and
12 enrolled pregnant women per AWC, starts gunicorn (2 sync workers) and a Celery worker
(queue `frs`, prefork ×2, on its own Redis database), then measures:
- upload → decision (POST the photo with the face-sized frame taken after the head turned, as the page
  requires, and follow the check until it is decided) for a 640×480 and a 12-megapixel phone photo,
  median and p95, sequentially; the server-side part (check created → decided) from FaceCheck.duration_ms;
- decisions/s with 2 worker processes: one thread per worker-user, all at once;
- memory of one Celery worker process;
and, as the floor, the bare encoding of the same photos in this process (faces.encode_face).
Nothing here skips the real path: session login, CSRF, the in-memory upload handler, the
encrypted photo in Redis, the task, the audit chain, the distribution row.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from _setup import ROOT, django_setup, fresh_database, percentile

DB_NAME = "poshan_frs_bench"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/6")  # not db 0: test workers listen there
FACES = ROOT / "tests" / "fixtures" / "faces"
PEOPLE_PER_AWC = 16  # each worker-user decides a share of the sequential runs, then --per-user under load
PASSWORD = "bench-frs-2026!"
POLL_SECONDS = 0.02  # sequential runs: fine-grained, to see the decision as soon as it is there
PAGE_POLL_SECONDS = 0.4  # under load: as static/js/frs_check.js polls (faster polling steals the workers' CPU)
DECISION_TIMEOUT = 60
START_TIMEOUT = 60
WARMUP = 3
WORKER_LOG = Path("/tmp") / f"bench-frs-worker-{os.getpid()}.log"
TASK_DONE = re.compile(r"thr_frs\.face_check_run\[[^\]]+\] succeeded in ([0-9.]+)s")


def photo_640() -> bytes:
    from PIL import Image

    with Image.open(FACES / "obama_2.jpg") as image:
        portrait = image.convert("RGB")
    portrait.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480), (128, 128, 128))
    canvas.paste(portrait, ((640 - portrait.width) // 2, (480 - portrait.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def photo_face_sized(limit: int = 30 * 1024, name: str = "obama_2.jpg") -> bytes:
    """What static/js/frs_camera.js sends: the face with a margin, at most 400 px, JPEG stepped down to ≤ 30 KB."""
    from PIL import Image

    from thr_frs import faces

    with Image.open(FACES / name) as image:
        portrait = image.convert("RGB")
    left, top, right, bottom = faces.face_boxes((FACES / name).read_bytes(), max_side=max(portrait.size))[0]
    width, centre_x, centre_y = right - left, (left + right) / 2, (top + bottom) / 2
    box = (max(0, centre_x - 1.1 * width), max(0, centre_y - 1.4 * width),
           min(portrait.width, centre_x + 1.1 * width), min(portrait.height, centre_y + 1.3 * width))
    crop = portrait.crop(tuple(round(v) for v in box))
    crop.thumbnail((400, 400))
    for quality in (80, 70, 60, 50, 40):
        out = io.BytesIO()
        crop.save(out, "JPEG", quality=quality)
        if out.tell() <= limit:
            break
    return out.getvalue()


def photo_12mp() -> bytes:
    """The portrait on a 4000×3000 canvas with sensor-like noise: the size of a real phone photo (~4 MB)."""
    from PIL import Image

    with Image.open(FACES / "obama_2.jpg") as image:
        portrait = image.convert("RGB")
    scaled = portrait.resize((round(portrait.width * 3000 / portrait.height), 3000))
    canvas = Image.effect_noise((4000, 3000), 24).convert("RGB")
    canvas.paste(scaled, ((4000 - scaled.width) // 2, 0))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def build_world(n_users: int) -> dict[str, list[int]]:
    """AWCs with one AWW each and enrolled pregnant women; returns username → beneficiary ids."""
    from datetime import timedelta

    from django.utils import timezone

    from anganwadi.services import location_upsert, staff_create
    from beneficiaries.services import (ConsentInput, EnrolAs, HouseholdInput, PersonInput, beneficiary_register,
                                        household_register)
    from thr_frs import faces
    from thr_frs.models import FaceEnrolment
    from thr_frs.services import stock_receive
    from thr_frs.services.face_checks import encoding_to_bytes

    state, _ = location_upsert(actor=None, level="state", code=91, name="Bench State", parent=None)
    district, _ = location_upsert(actor=None, level="district", code=9101, name="Bench District", parent=state)
    project, _ = location_upsert(actor=None, level="project", code=910101, name="Bench Project", parent=district)
    sector, _ = location_upsert(actor=None, level="sector", code=91010101, name="Bench Sector", parent=project)
    encoding = encoding_to_bytes(faces.encode_face((FACES / "obama_1.jpg").read_bytes()))
    today = timezone.localdate()
    consent = ConsentInput(given_by="Bench", purposes=("services", "face"))
    people: dict[str, list[int]] = {}
    for n in range(n_users):
        awc, _ = location_upsert(actor=None, level="awc", code=9101010100 + n, name=f"Bench AWC {n}", parent=sector)
        user = staff_create(actor=None, username=f"aww{n}", password=PASSWORD, role="aww", location=awc)
        stock_receive(actor=user, awc=awc, received_on=today, packets=10_000)
        ids = []
        for k in range(PEOPLE_PER_AWC):
            household = household_register(actor=user, awc=awc, data=HouseholdInput(head_name=f"Head {n}-{k}"),
                                           consent=consent)
            woman = beneficiary_register(actor=user, household=household, consent=consent, person=PersonInput(
                name=f"Woman {n}-{k}", sex="F", age_years=25, enrol_as=EnrolAs.PREGNANT,
                lmp=today - timedelta(days=60)))
            ids.append(woman.pk)
        FaceEnrolment.objects.bulk_create([FaceEnrolment(person_id=pk, awc=awc, encoding=encoding, enrolled_by=user)
                                           for pk in ids])
        people[user.username] = ids
    return people


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mib(pid: int) -> tuple[float, float]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


class Worker:
    """One AWW's browser: a signed-in session that submits photos and follows the check."""

    def __init__(self, base: str, username: str, people: list[int], turned: bytes):
        import requests

        self.base, self.people, self.turned = base, list(people), turned  # the frame after the head turned
        self.session = requests.Session()
        self.session.get(f"{base}/accounts/login/")
        token = self.session.cookies["csrftoken"]
        response = self.session.post(f"{base}/accounts/login/", allow_redirects=False, data={
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        assert response.status_code == 302, f"login failed for {username}"
        self.csrf = self.session.cookies["csrftoken"]

    def decide(self, photo: bytes, poll: float = POLL_SECONDS) -> tuple[float, int]:
        """Seconds from the start of the upload to the decision, and the check id."""
        pk = self.people.pop()
        started = time.perf_counter()
        response = self.session.post(
            f"{self.base}/thr/b/{pk}/match/", allow_redirects=False,
            data={"csrfmiddlewaretoken": self.csrf, "quantity": 4, "client_uuid": str(uuid.uuid4())},
            files={"photo": ("photo.jpg", photo, "image/jpeg"), "turned_photo": ("face.jpg", self.turned, "image/jpeg")})
        assert response.status_code == 302, response.text[:300]
        check_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
        deadline = started + DECISION_TIMEOUT
        while time.perf_counter() < deadline:
            status = self.session.get(f"{self.base}/thr/checks/{check_id}/status/").json()
            if status["status"] != "pending":
                assert status["matched"] is True, status
                return time.perf_counter() - started, check_id
            time.sleep(poll)
        raise RuntimeError(f"check {check_id} not decided within {DECISION_TIMEOUT} s")


def start_stack(env: dict, port: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    bin_dir = Path(sys.executable).parent
    web = subprocess.Popen([str(bin_dir / "gunicorn"), "poshan.wsgi:application", "--bind", f"127.0.0.1:{port}",
                            "--workers", "2", "--worker-class", "sync", "--log-level", "warning"], cwd=ROOT, env=env)
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "poshan", "worker", "-Q", "frs", "-P", "prefork",
                               "--concurrency", "2", "-l", "info", "--without-gossip", "--without-mingle",
                               "--without-heartbeat", "-n", f"bench-frs-{os.getpid()}@%h"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(WORKER_LOG, "w"))
    from poshan.celery import app

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if app.control.ping(timeout=0.5):
                    return web, worker
        except OSError:
            pass
        time.sleep(0.2)
    web.kill()
    worker.kill()
    raise RuntimeError("gunicorn or the Celery worker did not start")


def summary(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"{label:<38} median {statistics.median(ms):7.0f} ms   p95 {percentile(ms, 95):7.0f} ms   (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=30)
    parser.add_argument("--large", type=int, default=15)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--per-user", type=int, default=8)
    args = parser.parse_args()
    sequential = WARMUP + 2 * args.small + args.large  # spread over the users in turn (warm-up from the first ones)
    needed = -(-sequential // args.users) + 1 + args.per_user  # the most any one user decides
    assert needed <= PEOPLE_PER_AWC, "not enough beneficiaries per centre for this many decisions"

    database_url = fresh_database(DB_NAME)
    os.environ["REDIS_URL"] = os.environ["CELERY_BROKER_URL"] = REDIS_URL
    django_setup(database_url)
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False
    from poshan.celery import app

    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    from thr_frs import faces, photostore
    from thr_frs.models import FaceCheck

    print("building the bench world …", flush=True)
    people = build_world(args.users)
    small, large, face = photo_640(), photo_12mp(), photo_face_sized()
    print(f"photos: 640×480 {len(small) / 1024:.0f} KiB, 12 MP {len(large) / 1024 / 1024:.1f} MiB, "
          f"face-sized as the phone now sends it {len(face) / 1024:.0f} KiB")

    bare = {}
    for label, data, runs in (("640", small, args.small), ("12mp", large, args.large), ("face", face, args.small)):
        faces.encode_face(data)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            faces.encode_face(data)
            times.append(time.perf_counter() - started)
        bare[label] = times

    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "DJANGO_DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "poshan.settings.local", "LOG_LEVEL": "WARNING"}
    port = free_port()
    web, worker = start_stack(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        turned = photo_face_sized(name="obama_1.jpg")  # the same person, the head turned: the page needs both frames
        clients = [Worker(base, name, ids, turned) for name, ids in people.items()]
        for i in range(WARMUP):
            clients[i % len(clients)].decide(small)
        results, ids = {}, {}
        for label, data, runs in (("640", small, args.small), ("12mp", large, args.large), ("face", face, args.small)):
            seconds, checks = [], []
            for i in range(runs):
                took, check_id = clients[i % len(clients)].decide(data)
                seconds.append(took)
                checks.append(check_id)
            results[label], ids[label] = seconds, checks
        server = {label: list(FaceCheck.objects.filter(pk__in=ids[label]).values_list("duration_ms", flat=True))
                  for label in ids}

        per_thread: list[list[float]] = [[] for _ in clients]

        def run(index: int) -> None:
            for _ in range(args.per_user):
                per_thread[index].append(clients[index].decide(small, PAGE_POLL_SECONDS)[0])

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
        pool = children_of(worker.pid)
        cpu_before = sum(cpu_seconds(pid) for pid in pool)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        cpu_used = sum(cpu_seconds(pid) for pid in pool) - cpu_before
        decisions = sum(len(t) for t in per_thread)
        concurrent = [s for t in per_thread for s in t]
        load_checks = FaceCheck.objects.exclude(pk__in=ids["640"] + ids["12mp"] + ids["face"]).order_by("-pk")[:decisions]
        load_server = [ms / 1000 for ms in load_checks.values_list("duration_ms", flat=True)]
        memory = [memory_mib(pid) for pid in pool]
        leftover = photostore.waiting_keys()
    finally:
        web.terminate()
        worker.terminate()
        web.wait(timeout=30)
        worker.wait(timeout=30)
    task_runs = [float(m) for m in TASK_DONE.findall(WORKER_LOG.read_text())]
    WORKER_LOG.unlink()
    after_small = WARMUP + args.small
    after_large = after_small + args.large
    sequential_runs = (task_runs[WARMUP:after_small], task_runs[after_small:after_large],
                       task_runs[after_large:after_large + args.small])

    print()
    print(summary("bare encode, 640×480 (this process)", bare["640"]))
    print(summary("bare encode, 12 MP (this process)", bare["12mp"]))
    print(summary("upload → decision, 640×480", results["640"]))
    print(summary("upload → decision, 12 MP", results["12mp"]))
    print(summary("  of which server (check → decided), 640", [ms / 1000 for ms in server["640"]]))
    print(summary("  of which server (check → decided), 12MP", [ms / 1000 for ms in server["12mp"]]))
    print(summary("  of which the Celery task itself, 640", sequential_runs[0]))
    print(summary("  of which the Celery task itself, 12MP", sequential_runs[1]))
    print(summary("bare encode, face-sized ≤ 30 KB (this process)", bare["face"]))
    print(summary("upload → decision, face-sized ≤ 30 KB", results["face"]))
    print(summary("  of which server (check → decided), face", [ms / 1000 for ms in server["face"]]))
    print(summary("  of which the Celery task itself, face", sequential_runs[2]))
    for label in ("640", "12mp", "face"):
        ratio = statistics.median(results[label]) / statistics.median(bare[label])
        print(f"ratio upload→decision / bare encode ({label}): {ratio:.2f}×")
    print(f"throughput: {decisions} decisions by {len(clients)} workers at once in {wall:.1f} s = "
          f"{decisions / wall:.1f} decisions/s with 2 Celery worker processes")
    print(summary("  upload → decision under that load", concurrent))
    print(summary("  of which server, under that load", load_server))
    per_decision = cpu_used / decisions
    print(f"  worker CPU per decision {per_decision * 1000:.0f} ms → capacity of 2 cores "
          f"≈ {2 / per_decision:.1f} decisions/s (load average now {os.getloadavg()[0]:.1f}: others share the cores)")
    for pid, (rss, hwm) in zip(pool, memory):
        print(f"celery worker process {pid}: VmRSS {rss:.0f} MiB, peak VmHWM {hwm:.0f} MiB")
    print(f"photo keys left in Redis: {len(leftover)}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
