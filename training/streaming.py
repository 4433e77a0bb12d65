"""Serve a stored file with HTTP range requests (RFC 9110 §14), so a phone's player can seek.

One byte range per request (what media players send); a request for several ranges
or in another unit gets the whole file (200), which the RFC allows. A malformed or
unsatisfiable byte range gets 416 with `Content-Range: bytes */<size>`.
"""
from __future__ import annotations

import hashlib
import re

from django.http import HttpResponse, StreamingHttpResponse

CHUNK_BYTES = 64 * 1024
CACHE_CONTROL = "private, max-age=86400"  # the files never change in place: a new upload gets a new name
_SPEC = re.compile(r"(\d*)-(\d*)", re.ASCII)


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte, inclusive; None to serve the whole file; RangeNotSatisfiable for a bad range."""
    if not header:
        return None
    unit, sep, spec = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    spec = spec.strip()
    if "," in spec:
        return None
    match = _SPEC.fullmatch(spec.replace(" ", "")) if sep else None
    if match is None or match.group(1) == match.group(2) == "":
        raise RangeNotSatisfiable(header)
    first, last = match.groups()
    if first == "":  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable(header)
    return start, min(end, size - 1)


def _read(storage, name: str, start: int, length: int):
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def etag_for(name: str, size: int) -> str:
    return f'"{hashlib.sha256(name.encode()).hexdigest()[:16]}-{size:x}"'


def ranged_response(request, field_file, content_type: str) -> HttpResponse:
    storage, name = field_file.storage, field_file.name
    size = storage.size(name)
    etag = etag_for(name, size)
    header = request.headers.get("Range")
    if header and request.headers.get("If-Range", etag).strip() != etag:
        header = None  # the client's copy is of another version: send it all
    try:
        byte_range = parse_range(header, size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = byte_range if byte_range else (0, size - 1)
    length = max(end - start + 1, 0)
    body = iter(()) if request.method == "HEAD" else _read(storage, name, start, length)
    response = StreamingHttpResponse(body, status=206 if byte_range else 200, content_type=content_type)
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Disposition"] = "inline"
    return response
