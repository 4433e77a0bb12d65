"""Batch WHO z-scores for a CSV file (pure Python + NumPy, no Django).

IN needs a header with the columns ``sex`` (1/2), ``age_days``, ``weight_kg``,
``lenhei_cm``, ``measure`` (l/h/L/H), ``oedema`` (y/n/Y/N) and ``muac_cm``, in
any order, among any others; an empty cell means unknown (oedema: no). OUT
repeats every input column as given, then ``OUTPUT_COLUMNS``: z-scores with
exactly 2 decimals, flags 0/1, empty where not computed. Unreadable rows are
reported as (line number, message), written with empty results, and do not
stop the others from being scored.
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

import numpy as np

from growth.zscores import (
    FLAG_NAMES,
    FLAG_NOT_COMPUTED,
    MEASURE_LYING,
    MEASURE_STANDING,
    MEASURE_UNKNOWN,
    ZSCORE_NAMES,
    score,
)

MISSING_MARKERS = frozenset({"NA", "."})
INPUT_COLUMNS = ("sex", "age_days", "weight_kg", "lenhei_cm", "measure", "oedema", "muac_cm")
OUTPUT_COLUMNS = (
    "clenhei",
    "waz",
    "haz",
    "whz",
    "baz",
    "acz",
    "fwei",
    "flen",
    "fwfl",
    "fbmi",
    "fac",
    "c9mo",
)
SEX_CODES = {"1": 1, "2": 2}
MEASURE_CODES = {"": MEASURE_UNKNOWN, "l": MEASURE_LYING, "h": MEASURE_STANDING}
OEDEMA_CODES = {"": False, "n": False, "y": True}
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
UNKNOWN_SEX = 0
LENGTH_DECIMALS = 6

PathOrFile = str | os.PathLike[str] | TextIO
ParsedRow = tuple[int, float, float, float, int, bool, float]
BLANK_ROW: ParsedRow = (UNKNOWN_SEX, math.nan, math.nan, math.nan, MEASURE_UNKNOWN, False, math.nan)


class RowError(ValueError):
    """A row that cannot be read; the message says why."""


@contextlib.contextmanager
def _opened(target: PathOrFile, mode: str) -> Iterator[TextIO]:
    """Yield an open text file for a path, or the given file object as is."""
    if hasattr(target, "read") or hasattr(target, "write"):
        yield target  # type: ignore[misc]
        return
    encoding = "utf-8-sig" if mode == "r" else "utf-8"
    with open(target, mode, newline="", encoding=encoding) as handle:  # type: ignore[arg-type]
        yield handle


def _number(text: str) -> float:
    if text == "":
        return math.nan
    if not NUMBER.fullmatch(text) or not math.isfinite(value := float(text)):
        raise RowError(f"not a number: {text!r}")
    return value


def _age(text: str) -> float:
    age = _number(text)
    if age < 0:
        raise RowError(f"negative: {text!r}")
    return age


def _sex(text: str) -> int:
    if text == "":
        return UNKNOWN_SEX
    if text not in SEX_CODES:
        raise RowError(f"must be 1 or 2, got {text!r}")
    return SEX_CODES[text]


def _measure(text: str) -> int:
    if text.lower() not in MEASURE_CODES:
        raise RowError(f"must be l, h or empty, got {text!r}")
    return MEASURE_CODES[text.lower()]


def _oedema(text: str) -> bool:
    if text.lower() not in OEDEMA_CODES:
        raise RowError(f"must be y, n or empty, got {text!r}")
    return OEDEMA_CODES[text.lower()]


CELL_PARSERS: dict[str, Callable[[str], float | int | bool]] = {
    "sex": _sex,
    "age_days": _age,
    "weight_kg": _number,
    "lenhei_cm": _number,
    "measure": _measure,
    "oedema": _oedema,
    "muac_cm": _number,
}


def parse_row(fields: Sequence[str], positions: dict[str, int], width: int) -> ParsedRow:
    """Read the scoring inputs of one row; raise RowError listing its problems."""
    if len(fields) != width:
        raise RowError(f"expected {width} fields, found {len(fields)}")
    values: list[float | int | bool] = []
    problems: list[str] = []
    for name in INPUT_COLUMNS:
        cell = fields[positions[name]].strip()
        if cell.upper() in MISSING_MARKERS:  # R and WHO Anthro write NA for unknown
            cell = ""
        try:
            values.append(CELL_PARSERS[name](cell))
        except RowError as error:
            problems.append(f"{name}: {error}")
    if problems:
        raise RowError("; ".join(problems))
    return tuple(values)  # type: ignore[return-value]


def _format_length(value: float) -> str:
    """Adjusted length as R prints it: 84.8, 85.2, 67 (empty if unknown)."""
    if math.isnan(value):
        return ""
    return f"{value + 0.0:.{LENGTH_DECIMALS}f}".rstrip("0").rstrip(".")


def _format_z(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.2f}"


def _format_flag(value: int) -> str:
    return "" if value == FLAG_NOT_COMPUTED else str(value)


def _formatted_results(results: dict[str, np.ndarray]) -> list[tuple[str, ...]]:
    """One tuple of OUTPUT_COLUMNS strings per row."""
    columns = [[_format_length(value) for value in results["clenhei"].tolist()]]
    columns += [[_format_z(value) for value in results[name].tolist()] for name in ZSCORE_NAMES]
    columns += [
        [_format_flag(value) for value in results[name].tolist()] for name in (*FLAG_NAMES, "c9mo")
    ]
    return list(zip(*columns, strict=True))


def _header_positions(header: Sequence[str]) -> dict[str, int]:
    names = [name.strip() for name in header]
    missing = [name for name in INPUT_COLUMNS if name not in names]
    if missing:
        raise RowError(f"missing column(s): {', '.join(missing)}")
    return {name: names.index(name) for name in INPUT_COLUMNS}


def score_csv(in_file: PathOrFile, out_file: PathOrFile) -> list[tuple[int, str]]:
    """Score every row of IN into OUT; return the unreadable rows' (line, message).

    Line numbers are those of the file (the header is line 1). A header
    without the required columns is reported as line 1 and nothing is written.
    """
    with _opened(in_file, "r") as source:
        reader = csv.reader(source)
        header = next(reader, None)
        if header is None:
            return [(1, "empty file: no header")]
        try:
            positions = _header_positions(header)
        except RowError as error:
            return [(1, str(error))]
        rows, parsed, errors = _read_rows(reader, positions, len(header))

    inputs = [np.array(column) for column in zip(*parsed, strict=True)] if parsed else []
    formatted = _formatted_results(score(*inputs)) if parsed else []
    empty = ("",) * len(OUTPUT_COLUMNS)
    with _opened(out_file, "w") as target:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow([*header, *OUTPUT_COLUMNS])
        for (fields, readable), cells in zip(rows, formatted, strict=True):
            padded = (fields + [""] * len(header))[: len(header)]
            writer.writerow([*padded, *(cells if readable else empty)])
    return errors


def _read_rows(
    reader: Any, positions: dict[str, int], width: int
) -> tuple[list[tuple[list[str], bool]], list[ParsedRow], list[tuple[int, str]]]:
    """Non-blank rows (fields, readable), their inputs, and (first line, message) errors."""
    rows: list[tuple[list[str], bool]] = []
    parsed: list[ParsedRow] = []
    errors: list[tuple[int, str]] = []
    last_line = reader.line_num
    for fields in reader:
        first_line, last_line = last_line + 1, reader.line_num
        if not any(field.strip() for field in fields):
            continue
        try:
            parsed.append(parse_row(fields, positions, width))
            rows.append((fields, True))
        except RowError as error:
            errors.append((first_line, str(error)))
            parsed.append(BLANK_ROW)
            rows.append((fields, False))
    return rows, parsed, errors
