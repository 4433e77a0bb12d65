"""Keys known before their row is inserted: taken from the table's own sequence on PostgreSQL, a block at a time.

A write that sends its row and the rows that refer to it in one statement (poshan.core.idempotency.insert_together:
a registration's person, membership, consent and audit event) needs the row's key first: the audit event's hash
covers it, and the hash is made here, with a key the database never sees. One `nextval` a row would be a round trip
a row, the very thing that statement saves; a block of BLOCK keys per database session costs one round trip per
BLOCK rows.

The keys are the sequence's own, so nothing else (an INSERT taking the column's default, another session's block)
is ever given one of them. A block left unused when its session ends leaves a gap, as a rolled-back INSERT does; and
keys handed out by blocks are not in the order of their rows' commits (neither are a sequence's across concurrent
transactions). A key whose row met a conflict is not used again: the next attempt takes a new one.
"""
from __future__ import annotations

from django.db import connections, models, router

BLOCK = 32


def reserved_key(model: type[models.Model]) -> int:
    """A key for a new row of `model` (an auto-incremented key, on PostgreSQL), nobody else's."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        raise ValueError("keys are reserved from PostgreSQL's sequences only")
    connection.ensure_connection()
    session = connection.connection
    kept = getattr(connection, "_reserved_keys", None)
    if kept is None or kept[0] is not session:  # a new session: a sequence's block is the session's, not the process's
        kept = connection._reserved_keys = (session, {})
    opts = model._meta
    block = kept[1].setdefault(opts.db_table, [])
    if not block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [connection.ops.quote_name(opts.db_table), opts.pk.column, BLOCK])
            block.extend(sorted((row[0] for row in cursor.fetchall()), reverse=True))
    return block.pop()
