"""Ids read from query strings and forms."""
from __future__ import annotations

MAX_ID = 2**63 - 1  # PostgreSQL's bigint (and SQLite's INTEGER)


def parse_id(raw) -> int | None:
    """A positive database id written in plain digits, else None.

    Not str.isdigit() alone: it accepts "²", which int() refuses, and a number past the
    database's integer range would make the query itself fail.
    """
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
