"""Writing an export: CSV or XLSX, row by row, to any binary file (a response or a file on disk).

Every cell of every export passes through `neutralise` here, the one place that keeps text typed in the field
(a device make, an imported place name) from becoming a live formula in the spreadsheet of whoever opens it.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

PROGRESS_EVERY = 5_000


# OWASP's CSV-injection rule: a cell starting with one of these is read as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value):
    """A text cell that a spreadsheet would evaluate gets a leading single quote; numbers and dates pass as they are.

    Text that is only a number ("-1.25") is left alone: it is not a formula, and stays a number when opened.
    Shared by the CSV and XLSX writers, so both formats follow the same rule (defusedcsv wraps only the csv
    module: the XLSX writer would need a second copy of the rule beside it).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _cells(row: Iterable) -> list:
    return [neutralise(value) for value in row]


def _xlsx_cells(row: Iterable) -> list:
    """As `_cells`, without the control characters an XLSX cell cannot hold (openpyxl would refuse the file)."""
    return [ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in _cells(row)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def header_bytes(headers: Iterable[str]) -> bytes:
    """The file's start: a byte-order mark (so spreadsheets read Hindi names as UTF-8) and the header line."""
    return ("\ufeff" + csv.writer(_Echo()).writerow(_cells(headers))).encode()


def csv_chunks(headers: Iterable[str], rows: Iterable[tuple]) -> Iterator[bytes]:
    """Encoded CSV lines, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    yield header_bytes(headers)
    for row in rows:
        yield writer.writerow(_cells(row)).encode()


def write_csv(target, headers, rows, progress: Callable[[int], None] = lambda n: None) -> int:
    target.write(header_bytes(headers))
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    writer = csv.writer(text)
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow(_cells(row))
        if count % PROGRESS_EVERY == 0:
            progress(count)
    text.flush()
    text.detach()
    return count


def write_xlsx(target, headers, rows, progress: Callable[[int], None] = lambda n: None) -> int:
    """openpyxl's write-only mode keeps memory flat however many rows there are.

    openpyxl stores a string starting with "=" as a formula; after `neutralise` no text cell starts with one.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(_xlsx_cells(headers))
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append(_xlsx_cells(row))
        if count % PROGRESS_EVERY == 0:
            progress(count)
    book.save(target)
    return count
