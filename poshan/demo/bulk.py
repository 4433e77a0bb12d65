"""Fast bulk loading for the benchmark world: COPY on PostgreSQL, executemany on SQLite."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.db import connection

COPY_PAGE = 50_000


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
