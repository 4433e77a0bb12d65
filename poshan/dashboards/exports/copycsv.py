"""CSV exports written by PostgreSQL: `COPY (SELECT …) TO STDOUT WITH CSV`, every cell formatted in SQL.

One definition of what is exported: a kind's ordered `values_list` queryset (kinds.py), the same one the Python
path iterates, is compiled by Django with its scope and wrapped in a SELECT that formats each column exactly as
the Python path writes it (`writer.neutralise`, ISO dates, India's time zone, two-decimal z-scores, empty cells for
NULLs), then streamed through psycopg2's `copy_expert` to the file in fixed-size chunks: memory stays flat and no
row becomes a Python object. The output is byte for byte the Python writer's (tests/dashboards/test_export_copy.py).
SQLite, XLSX and the kinds without a SQL form (a masked Aadhaar or IMEI needs the key the database never holds)
keep the Python path.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet

from .writer import _PLAIN_NUMBER, FORMULA_STARTS, PROGRESS_EVERY, header_bytes

CHUNK_BYTES = 1 << 16  # the file is written in pieces of this size


@dataclass(frozen=True)
class SqlForm:
    """How PostgreSQL writes an export: the rows' queryset and one SQL expression per column over {0}, {1}, …"""

    values: Callable  # Scope -> QuerySet: the ordered values_list the Python rows come from
    columns: tuple[str, ...]
    planner: tuple[str, ...] = ()  # planner settings for this statement only (SET LOCAL)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@cache
def _digit_class() -> str:
    """Python's `\\d` in a str pattern (every Unicode decimal digit), as a PostgreSQL bracket expression:
    PostgreSQL's own `\\d` follows the server's locale, which may know only 0-9."""
    ranges, start, prev = [], None, None
    for code in range(sys.maxunicode + 1):
        if chr(code).isdecimal():
            if start is None:
                start = code
            elif code != prev + 1:
                ranges.append((start, prev))
                start = code
            prev = code
    ranges.append((start, prev))
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


def neutralised(expr: str, choices: tuple[str, ...] = ()) -> str:
    """`writer.neutralise` on a text expression, then '' as NULL (COPY quotes an empty string; csv does not).

    `choices`: the values a choice field holds, none of them needing the quote; they pass through a plain CASE,
    which costs a fraction of the test (any other value the column may hold still gets the test)."""
    starts = ", ".join(literal(s) for s in FORMULA_STARTS)
    number = literal("^(?:" + _PLAIN_NUMBER.pattern.replace(r"\d", _digit_class()) + ")$")
    test = (f"NULLIF(CASE WHEN left({expr}, 1) IN ({starts}) AND {expr} !~ {number} THEN '''' || {expr} "
            f"ELSE {expr} END, '')")
    if not choices:
        return test
    if not all(choice and not choice.startswith(FORMULA_STARTS) for choice in choices):
        raise ValueError(f"choices passed untested must be non-empty texts no spreadsheet evaluates: {choices}")
    return f"CASE WHEN {expr} IN ({', '.join(literal(c) for c in choices)}) THEN {expr} ELSE {test} END"


def two_decimals(expr: str) -> str:
    """A float as Python's f"{x:.2f}" writes it.

    to_char prints a float8 with C's printf, rounding the same way, but costs ~0.3 µs a cell. The z-scores are
    stored already rounded to two decimals (`growth.zscores.round_z`). For such a float x (the double nearest to
    k / 100), k = round(x * 100) and k / 100 gives x back, IEEE division being correctly rounded; below 1e12 a
    double's spacing is under 0.01, so x lies within 0.005 of k / 100 and printf writes k / 100, which k × 0.01 (a
    numeric of scale 2) prints exactly, at about half the cost. Every other float goes to to_char: zero (printf
    keeps the sign of -0.0, a numeric has none), NaN and the infinities (not below 1e12), and the rest."""
    return (f"CASE WHEN abs({expr}) < 1e12 AND {expr} <> 0 AND round({expr} * 100) / 100 = {expr} "
            f"THEN (round({expr} * 100)::int8 * 0.01)::text ELSE to_char({expr}, 'FM9999999999990.00') END")


def local_date(expr: str) -> str:
    return f"to_char(({expr}) AT TIME ZONE {literal(settings.TIME_ZONE)}, 'YYYY-MM-DD')"


def yes_no(expr: str) -> str:
    return f"CASE WHEN {expr} THEN 'yes' ELSE 'no' END"


def usable(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def copy_statement(form: SqlForm, scope) -> tuple[str, str]:
    """The database alias and the COPY statement (parameters inlined by psycopg2) for the scoped rows."""
    queryset = form.values(scope)
    alias = queryset.db
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    names = [f"c{i}" for i in range(compiler.col_count)]
    select = ", ".join(column.format(*names) for column in form.columns)
    wrapped = f"SELECT {select} FROM ({sql}) AS q({', '.join(names)})"
    connection = connections[alias]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        inlined = cursor.mogrify(wrapped, params).decode()
    return alias, f"COPY ({inlined}) TO STDOUT WITH (FORMAT csv)"


class _Sink:
    """What psycopg2 writes COPY's output to, one row per call (libpq hands rows over one at a time).

    Rows end in CRLF, as Python's csv writes them (COPY ends them in LF; a newline inside a quoted cell is
    kept as it is, as csv keeps it); the file receives pieces of CHUNK_BYTES; progress every PROGRESS_EVERY rows.
    """

    def __init__(self, write: Callable[[bytes], object], progress: Callable[[int], None]):
        self.buffer = bytearray()
        self.rows = 0
        self._next = PROGRESS_EVERY
        self._write, self._progress = write, progress

    def write(self, row: bytes) -> None:
        buffer = self.buffer
        buffer += row
        buffer[-1:] = b"\r\n"
        self.rows += 1
        if len(buffer) >= CHUNK_BYTES:
            self.flush()
            if self.rows >= self._next:
                self._progress(self.rows)
                self._next = self.rows + PROGRESS_EVERY

    def flush(self) -> None:
        if self.buffer:
            self._write(bytes(self.buffer))
            self.buffer.clear()


def run_copy(alias: str, statement: str, planner: tuple[str, ...], sink) -> int:
    """`statement` (a COPY … TO STDOUT) into `sink.write`, with ISO dates (Python's str(date)) and `planner`;
    returns the number of rows."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        for setting in ("datestyle = 'ISO, YMD'", *planner):
            cursor.execute(f"SET LOCAL {setting}")
        cursor.cursor.copy_expert(statement, sink)
        return cursor.cursor.rowcount


def _copy(form: SqlForm, scope, write: Callable[[bytes], object], progress: Callable[[int], None]) -> int:
    alias, statement = copy_statement(form, scope)
    sink = _Sink(write, progress)
    run_copy(alias, statement, form.planner, sink)
    sink.flush()
    return sink.rows


def copy_csv(target, headers, form: SqlForm, scope, progress: Callable[[int], None] = lambda n: None) -> int:
    """`writer.write_csv`'s bytes, written by PostgreSQL; returns the number of rows."""
    target.write(header_bytes(headers))
    return _copy(form, scope, target.write, progress)


def copy_chunks(headers, form: SqlForm, scope) -> Iterator[bytes]:
    """`writer.csv_chunks`'s bytes for a streamed response (a small export: its rows are gathered first)."""
    pieces: list[bytes] = []
    _copy(form, scope, pieces.append, lambda n: None)
    yield header_bytes(headers)
    yield from pieces
