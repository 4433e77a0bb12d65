"""PostgreSQL binary COPY to and from NumPy arrays, for fixed-width rows without NULLs.

Reading: `COPY (SELECT …) TO STDOUT (FORMAT binary)` parsed with one `np.frombuffer`
(1 M rows ≈ 1 s, see shared/PERFORMANCE.md). Writing: the same layout built with one
structured array, copied into a temporary table. Queries replace NULL with a sentinel
(NaN, 0, -1) so every row has the same width; SQL turns the sentinels back into NULL.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
HEADER = SIGNATURE + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
# PostgreSQL type → big-endian wire dtype (binary COPY sends network byte order).
WIRE = {"int8": ">i8", "int4": ">i4", "int2": ">i2", "float8": ">f8", "bool": "u1"}
NATIVE = {"int8": np.int64, "int4": np.int32, "int2": np.int16, "float8": np.float64, "bool": np.bool_}

Columns = Sequence[tuple[str, str]]  # (name, PostgreSQL type)


def _row_dtype(columns: Columns) -> np.dtype:
    fields: list[tuple[str, str]] = [("_count", ">i2")]
    for i, (name, pgtype) in enumerate(columns):
        fields += [(f"_len{i}", ">i4"), (name, WIRE[pgtype])]
    return np.dtype(fields)


def decode(payload: bytes | memoryview, columns: Columns) -> dict[str, NDArray]:
    """Arrays (native byte order) from a binary COPY payload of fixed-width, non-NULL rows."""
    view = memoryview(payload)
    if bytes(view[: len(SIGNATURE)]) != SIGNATURE:
        raise ValueError("not a PostgreSQL binary COPY payload")
    extension = int.from_bytes(view[15:19], "big")
    start = 19 + extension
    body = view[start: len(view) - len(TRAILER)]
    dtype = _row_dtype(columns)
    if len(body) % dtype.itemsize:
        raise ValueError("rows of unexpected width (a NULL slipped through?)")
    rows = np.frombuffer(body, dtype=dtype)
    for i, (name, pgtype) in enumerate(columns):
        if rows.size and not (rows[f"_len{i}"] == np.dtype(WIRE[pgtype]).itemsize).all():
            raise ValueError(f"column {name} has NULLs or another width")
    return {name: rows[name].astype(NATIVE[pgtype]) for name, pgtype in columns}


def encode(columns: Columns, arrays: dict[str, NDArray]) -> bytes:
    """A binary COPY payload for `columns`, values taken from `arrays` (no NULLs)."""
    dtype = _row_dtype(columns)
    n = len(arrays[columns[0][0]]) if columns else 0
    rows = np.empty(n, dtype=dtype)
    rows["_count"] = len(columns)
    for i, (name, pgtype) in enumerate(columns):
        rows[f"_len{i}"] = np.dtype(WIRE[pgtype]).itemsize
        rows[name] = arrays[name]
    return HEADER + rows.tobytes() + TRAILER


def copy_out(cursor, select_sql: str, params, columns: Columns) -> dict[str, NDArray]:
    """Run `select_sql` (psycopg2 placeholders) through binary COPY and decode it.

    `cursor` is a Django cursor on PostgreSQL; its psycopg2 cursor interpolates the params.
    """
    raw = cursor.cursor
    sql = raw.mogrify(select_sql, params).decode()
    buffer = io.BytesIO()
    raw.copy_expert(f"COPY ({sql}) TO STDOUT (FORMAT binary)", buffer)
    return decode(buffer.getbuffer(), columns)


def copy_in(cursor, table: str, columns: Columns, arrays: dict[str, NDArray]) -> None:
    """Binary COPY of the arrays into `table` (a temporary table of the same column types)."""
    names = ", ".join(name for name, _ in columns)
    cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN (FORMAT binary)", io.BytesIO(encode(columns, arrays)))


def temp_table(cursor, table: str, columns: Columns) -> None:
    """A fresh temporary table, dropped at the end of the transaction (or by the next call
    in the same transaction, when several chunks run inside one, as eagerly in tests)."""
    body = ", ".join(f"{name} {pgtype}" for name, pgtype in columns)
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
    cursor.execute(f"CREATE TEMP TABLE {table} ({body}) ON COMMIT DROP")
