"""Fast bulk loading for the benchmark world: COPY on PostgreSQL, executemany on SQLite."""
from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection

COPY_PAGE = 50_000
PARALLEL_SESSIONS = max(2, os.cpu_count() or 1)  # INSERT … SELECT batches run side by side, one per core


def reserve_ids(table: str, count: int) -> int:
    """Reserve `count` consecutive primary keys; returns the first. (The benchmark seed runs alone.)"""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1])
    return first


def _csv_value(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return value


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples in column order); returns how many."""
    total = 0
    page: list[Sequence] = []
    for row in rows:
        page.append(row)
        if len(page) >= COPY_PAGE:
            total += _flush(table, columns, page)
            page = []
    if page:
        total += _flush(table, columns, page)
    return total


def _flush(table: str, columns: Sequence[str], page: list[Sequence]) -> int:
    columns = [connection.ops.quote_name(c) for c in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in page:
                writer.writerow([_csv_value(v) for v in row])
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", page)
    return len(page)


@contextmanager
def constraints_deferred(tables: Sequence[str], *, progress: Callable[[str], None] = lambda _: None):
    """Bulk-load without per-row index and foreign-key upkeep (PostgreSQL; the benchmark seed only).

    Drops the tables' secondary indexes, unique and foreign-key constraints (primary keys stay),
    and puts every one back afterwards — indexes built once by sorting, foreign keys checked once by
    a join — instead of maintaining five indexes and two row triggers per inserted row. The rows
    are generated from their parents, so nothing can fail the checks.
    """
    if connection.vendor != "postgresql":
        yield
        return
    from poshan.core.partitions import WIDENED_MARK, table_definitions

    saved: list[tuple[str, str, str, str | None]] = []  # (table, kind, definition, comment)
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction (rows just inserted, e.g. the
        # locations) would forbid the ALTER TABLEs below: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            defs = table_definitions(cursor, table)
            for name, kind, definition, comment in defs["constraints"]:
                if kind in ("u", "f"):
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
                    saved.append((table, f"constraint:{kind}:{name}", definition, comment))
            for name, definition, comment in defs["indexes"]:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                saved.append((table, f"index:{name}", definition.replace(" ON ONLY ", " ON "), comment))
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            # unique constraints and indexes first (sorted builds), then the foreign keys (one join each)
            for table, what, definition, comment in sorted(saved, key=lambda s: s[1].startswith("constraint:f")):
                step = time.perf_counter()
                if what.startswith("index:"):
                    cursor.execute(definition)
                    if comment:
                        cursor.execute(f"COMMENT ON INDEX {connection.ops.quote_name(what[6:])} IS %s", [comment])
                else:
                    name = what.split(":", 2)[2]
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
                    if comment and comment.startswith(WIDENED_MARK):
                        cursor.execute(f"COMMENT ON CONSTRAINT {connection.ops.quote_name(name)} ON {table} IS %s",
                                       [comment])
                if time.perf_counter() - step > 10:
                    progress(f"  {table} {what}: {time.perf_counter() - step:.0f} s")
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        progress(f"indexes and constraints back on {len(tables)} tables in {time.perf_counter() - started:.0f} s")


def run_parallel(jobs: Sequence, work: Callable, *, workers: int = PARALLEL_SESSIONS) -> Iterable:
    """Yield work(job) for every job, run on `workers` threads, each with its own database session.

    The work is SQL that PostgreSQL does (INSERT … SELECT): threads keep every core busy.
    """
    def run(job):
        try:
            return work(job)
        finally:
            connection.close()  # this thread's connection

    # Inside a transaction (a test) other sessions could not see its rows and would wait on its locks.
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield from (work(job) for job in jobs)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run, jobs)
