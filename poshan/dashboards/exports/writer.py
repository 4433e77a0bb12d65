"""Writing an export: CSV or XLSX, row by row, to any binary file (a response or a file on disk)."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator

from openpyxl import Workbook

PROGRESS_EVERY = 5_000


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(headers: Iterable[str], rows: Iterable[tuple]) -> Iterator[bytes]:
    """Encoded CSV lines, for a StreamingHttpResponse (UTF-8 with BOM so spreadsheets read Hindi names)."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(list(headers))).encode()
    for row in rows:
        yield writer.writerow(row).encode()


def write_csv(target, headers, rows, progress: Callable[[int], None] = lambda n: None) -> int:
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % PROGRESS_EVERY == 0:
            progress(count)
    text.flush()
    text.detach()
    return count


def write_xlsx(target, headers, rows, progress: Callable[[int], None] = lambda n: None) -> int:
    """openpyxl's write-only mode keeps memory flat however many rows there are."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(list(headers))
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append(list(row))
        if count % PROGRESS_EVERY == 0:
            progress(count)
    book.save(target)
    return count
