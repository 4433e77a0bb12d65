"""Shared set-up for the benches: a fresh PostgreSQL database and Django pointed at it."""
from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    """The DATABASE_URL of the bench database `name` on the BENCH_PG server (made or not)."""
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def fresh_database(name: str, template: str | None = None) -> str:
    """Drop and create `name` (a copy of the database `template`, when given: nobody may be connected to it);
    return its DATABASE_URL."""
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    conn.close()
    return database_url(name)


def django_setup(database_url: str, settings: str = "poshan.settings.local", migrate: bool = True) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


@contextlib.contextmanager
def gunicorn(database_url: str, *, port: int, workers: int, ready_path: str) -> Iterator[subprocess.Popen]:
    """gunicorn (sync workers, bench_settings) on 127.0.0.1:`port` against `database_url`, from the moment it answers
    `ready_path` (20 s at most) until the block ends."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench_settings",
           "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "poshan.wsgi:application", "-b", f"127.0.0.1:{port}",
                               "-w", str(workers), "-k", "sync", "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", ready_path)
                break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.wait()


def in_threads(work, count: int, *, seconds: float | None = None) -> float:
    """Run ``work`` in ``count`` threads at once; the wall time in seconds until the last one ends.

    With ``seconds``: each thread runs ``work(n, stop)`` (n: its number), which loops until ``stop`` (a
    threading.Event) is set, ``seconds`` after the start."""
    stop = threading.Event()
    threads = [threading.Thread(target=work, args=() if seconds is None else (n, stop)) for n in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if seconds is not None:
        time.sleep(seconds)
        stop.set()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_mib() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
