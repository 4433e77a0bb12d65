"""Monthly range partitions of the fact tables (PostgreSQL only; SQLite keeps ordinary tables).

The models stay ordinary Django models. Each app's migration converts its fact table with
`convert()` into a table PARTITIONED BY RANGE on its month or date column:

    <table>_old        FROM (MINVALUE) TO (first month)   rows older than the first monthly partition
    <table>_pYYYY_MM   one per month, from the first month to `MONTHS_AHEAD` months ahead
    <table>_default    DEFAULT                             rows beyond the last month (normally none)

A query for one month touches one partition. The `_old` partition (rather than letting old rows
fall into the default one) keeps the default partition out of every plan that is bounded above
by a date already covered — so "the latest measurement of a child on or before D" scans the
partitions newest first and stops at the first hit (PostgreSQL's ordered Append), instead of
merging every partition.

PostgreSQL wants the partition key in every primary key and unique constraint, so `convert()`
makes the primary key (id, <column>) and widens each unique constraint that lacks the column
(`client_uuid` → (client_uuid, <column>), a one-to-one `face_check_id` → (face_check_id, month)); a client id
stays single-use across the months by its table's claims (poshan/core/claims.py, a migration after this one's).
Each widened constraint carries a comment naming its original columns, which `unconvert()` reads to
restore it. Foreign keys *to* a partitioned table cannot point at `id` alone: such fields are
declared with `db_constraint=False`. Row triggers (the audit log's append-only guard) are
re-created on the partitioned parent and apply to every partition.

`ensure_partitions()` (a Celery beat task, daily) creates the months ahead, and months back when a
caller needs them (the benchmark seed): idempotent, it only adds what is missing. It finds the
partitioned tables in the database catalogue, so this module knows no app.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from .dates import add_months

logger = logging.getLogger(__name__)

MONTHS_AHEAD = 3  # months of empty partitions kept ready; the beat task runs daily
HISTORY_MONTHS = 36  # at conversion, older rows go to <table>_old instead of monthly partitions
LOCK_TIMEOUT = "10s"  # adding a partition locks the parent briefly; give up (and retry tomorrow) rather than queue
WIDENED_MARK = "poshan-partitions: widened from "


@dataclass(frozen=True)
class Partitioned:
    table: str
    column: str
    timestamp: bool  # timestamptz key: months start at local midnight (settings.TIME_ZONE)


def month_name(table: str, month: date) -> str:
    return f"{table}_p{month.year:04d}_{month.month:02d}"


def _bound(spec: Partitioned, month: date) -> str:
    if spec.timestamp:
        start = datetime.combine(month, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
        return f"'{start.isoformat()}'"
    return f"'{month.isoformat()}'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


# --- what the catalogue says ---------------------------------------------------------------------

def partitioned_tables(connection) -> list[Partitioned]:
    """Every range-partitioned table (single key column) of the current schema."""
    if not _is_postgres(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_partitioned_table p
            JOIN pg_class c ON c.oid = p.partrelid
            JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
            WHERE p.partstrat = 'r' AND p.partnatts = 1 AND pg_table_is_visible(c.oid)
            ORDER BY c.relname
        """)
        return [Partitioned(table, column, kind.startswith("timestamp")) for table, column, kind in cursor.fetchall()]


def is_partitioned(connection, table: str) -> bool:
    return any(p.table == table for p in partitioned_tables(connection))


def partitions_of(connection, table: str) -> list[str]:
    """Names of the table's partitions (empty for an ordinary table or on SQLite)."""
    if not _is_postgres(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = %s::regclass ORDER BY c.relname
        """, [table])
        return [row[0] for row in cursor.fetchall()]


def _months(connection, table: str) -> list[date]:
    pattern = re.compile(rf"^{re.escape(table)}_p(\d{{4}})_(\d{{2}})$")
    found = [pattern.match(name) for name in partitions_of(connection, table)]
    return sorted(date(int(m[1]), int(m[2]), 1) for m in found if m)


def _has_rows(cursor, relation: str, spec: Partitioned, start: date, end: date) -> bool:
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_q(relation)} WHERE {_q(spec.column)} >= {_bound(spec, start)} "
                   f"AND {_q(spec.column)} < {_bound(spec, end)})")
    return cursor.fetchone()[0]


def _create_month(cursor, spec: Partitioned, month: date) -> str:
    name = month_name(spec.table, month)
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {_q(name)} PARTITION OF {_q(spec.table)} "
                   f"FOR VALUES FROM ({_bound(spec, month)}) TO ({_bound(spec, add_months(month, 1))})")
    return name


# --- creating partitions ---------------------------------------------------------------------------

def _extend_forward(cursor, spec: Partitioned, months: list[date]) -> None:
    """Months after the last monthly partition; rows already in the default partition move into them."""
    default = f"{spec.table}_default"
    if not _has_rows(cursor, default, spec, months[0], add_months(months[-1], 1)):
        for month in months:
            _create_month(cursor, spec, month)
        return
    cursor.execute(f"ALTER TABLE {_q(spec.table)} DETACH PARTITION {_q(default)}")
    for month in months:
        _create_month(cursor, spec, month)
    where = (f"{_q(spec.column)} >= {_bound(spec, months[0])} "
             f"AND {_q(spec.column)} < {_bound(spec, add_months(months[-1], 1))}")
    # Detached, the partition has lost the parent's row triggers (the audit guard): the move is a copy + delete.
    cursor.execute(f"INSERT INTO {_q(spec.table)} SELECT * FROM {_q(default)} WHERE {where}")
    cursor.execute(f"DELETE FROM {_q(default)} WHERE {where}")
    cursor.execute(f"ALTER TABLE {_q(spec.table)} ATTACH PARTITION {_q(default)} DEFAULT")


def _extend_backward(cursor, spec: Partitioned, months: list[date]) -> None:
    """Months before the first monthly partition: the `_old` partition gives up that range."""
    old = f"{spec.table}_old"
    first = months[0]
    cursor.execute(f"ALTER TABLE {_q(spec.table)} DETACH PARTITION {_q(old)}")
    for month in months:
        _create_month(cursor, spec, month)
    if _has_rows(cursor, old, spec, first, add_months(months[-1], 1)):
        where = f"{_q(spec.column)} >= {_bound(spec, first)}"
        cursor.execute(f"INSERT INTO {_q(spec.table)} SELECT * FROM {_q(old)} WHERE {where}")
        cursor.execute(f"DELETE FROM {_q(old)} WHERE {where}")
    cursor.execute(f"ALTER TABLE {_q(spec.table)} ATTACH PARTITION {_q(old)} "
                   f"FOR VALUES FROM (MINVALUE) TO ({_bound(spec, first)})")


def ensure_partitions(months_ahead: int = MONTHS_AHEAD, *, first_month: date | None = None,
                      today: date | None = None, using: str = "default") -> list[str]:
    """Create the missing monthly partitions of every partitioned table, up to `months_ahead` months
    after this one (and back to `first_month` when given). Idempotent; returns the partitions created."""
    connection = connections[using]
    if not _is_postgres(connection):
        return []
    this_month = (today or timezone.localdate()).replace(day=1)
    last_wanted = add_months(this_month, months_ahead)
    created: list[str] = []
    for spec in partitioned_tables(connection):
        existing = _months(connection, spec.table)
        if not existing:  # not one of ours (no monthly partitions to extend)
            continue
        forward = []
        month = add_months(existing[-1], 1)
        while month <= last_wanted:
            forward.append(month)
            month = add_months(month, 1)
        backward = []
        if first_month is not None:
            month = first_month.replace(day=1)
            while month < existing[0]:
                backward.append(month)
                month = add_months(month, 1)
        if not forward and not backward:
            continue
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            if forward:
                _extend_forward(cursor, spec, forward)
            if backward:
                _extend_backward(cursor, spec, backward)
        made = [month_name(spec.table, m) for m in backward + forward]
        logger.info("partitions created for %s: %s", spec.table, ", ".join(made))
        created += made
    return created


# --- converting a table (migrations) ---------------------------------------------------------------

def table_definitions(cursor, table: str) -> dict:
    """Primary key, unique and foreign-key constraints, other indexes and row triggers of `table`."""
    cursor.execute("""
        SELECT conname, contype, pg_get_constraintdef(oid), obj_description(oid, 'pg_constraint')
        FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname
    """, [table])
    constraints = cursor.fetchall()
    cursor.execute("""
        SELECT c.relname, pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
        ORDER BY c.relname
    """, [table])
    indexes = cursor.fetchall()
    cursor.execute("""
        SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
        WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname
    """, [table])
    triggers = cursor.fetchall()
    return {"constraints": constraints, "indexes": indexes, "triggers": triggers}


def _columns_of(definition: str) -> list[str]:
    """'UNIQUE (a, b)' or 'CREATE UNIQUE INDEX … (a, b)' → ['a', 'b'] (plain column lists only)."""
    inner = definition[definition.index("(") + 1:definition.rindex(")")]
    return [c.strip().strip('"') for c in inner.split(",")]


def _with_column(definition: str, column: str) -> str:
    close = definition.rindex(")")
    return f"{definition[:close]}, {_q(column)}{definition[close:]}"


def _sequence(cursor, table: str) -> tuple[str | None, int | None, bool]:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    seq = cursor.fetchone()[0]
    if seq is None:
        return None, None, False
    cursor.execute(f"SELECT last_value, is_called FROM {seq}")
    last, called = cursor.fetchone()
    return seq, last, called


def convert(schema_editor, table: str, column: str, *, months_ahead: int = MONTHS_AHEAD) -> None:
    """Turn an ordinary table into one partitioned by month on `column` (a migration's RunPython).

    Copies the rows, keeps the id sequence, constraint and index names, foreign keys and row
    triggers. Runs inside the migration's transaction. No-op on SQLite or when already partitioned.
    """
    connection = schema_editor.connection
    if not _is_postgres(connection) or is_partitioned(connection, table):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                       "WHERE attrelid = %s::regclass AND attname = %s", [table, column])
        spec = Partitioned(table, column, cursor.fetchone()[0].startswith("timestamp"))
        defs = table_definitions(cursor, table)
        seq, last_value, is_called = _sequence(cursor, table)
        local = f"AT TIME ZONE '{settings.TIME_ZONE}'" if spec.timestamp else ""
        cursor.execute(f"SELECT min({_q(column)} {local})::date FROM {_q(table)}")
        oldest = cursor.fetchone()[0]
        this_month = timezone.localdate().replace(day=1)
        first = min(oldest.replace(day=1), this_month) if oldest else this_month
        first = max(first, add_months(this_month, -HISTORY_MONTHS))
        building = f"{table}__partitioned"
        cursor.execute(f"CREATE TABLE {_q(building)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                       f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({_q(column)})")
        cursor.execute(f"CREATE TABLE {_q(table + '_old')} PARTITION OF {_q(building)} "
                       f"FOR VALUES FROM (MINVALUE) TO ({_bound(spec, first)})")
        month = first
        while month <= add_months(this_month, months_ahead):
            cursor.execute(f"CREATE TABLE {_q(month_name(table, month))} PARTITION OF {_q(building)} "
                           f"FOR VALUES FROM ({_bound(spec, month)}) TO ({_bound(spec, add_months(month, 1))})")
            month = add_months(month, 1)
        cursor.execute(f"CREATE TABLE {_q(table + '_default')} PARTITION OF {_q(building)} DEFAULT")
        cursor.execute(f"INSERT INTO {_q(building)} SELECT * FROM {_q(table)}")
        cursor.execute(f"DROP TABLE {_q(table)}")
        cursor.execute(f"ALTER TABLE {_q(building)} RENAME TO {_q(table)}")
        if seq is not None:  # the identity column's sequence went with the old table: a plain owned one instead
            seq_name = f"{table}_id_seq"
            cursor.execute(f"CREATE SEQUENCE {_q(seq_name)} AS bigint")
            cursor.execute("SELECT setval(%s, %s, %s)", [seq_name, last_value, is_called])
            cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN id SET DEFAULT nextval('{seq_name}')")
            cursor.execute(f"ALTER SEQUENCE {_q(seq_name)} OWNED BY {_q(table)}.id")
        for name, kind, definition, _comment in defs["constraints"]:
            if kind == "p":
                definition = f"PRIMARY KEY (id, {_q(column)})"
            elif kind == "u" and column not in _columns_of(definition):
                widened = _with_column(definition, column)
                cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {widened}")
                cursor.execute(f"COMMENT ON CONSTRAINT {_q(name)} ON {_q(table)} IS %s", [WIDENED_MARK + definition])
                continue
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        for name, definition, _comment in defs["indexes"]:
            if definition.startswith("CREATE UNIQUE INDEX") and column not in _columns_of(definition):
                cursor.execute(_with_column(definition, column))
                cursor.execute(f"COMMENT ON INDEX {_q(name)} IS %s", [WIDENED_MARK + definition])
                continue
            cursor.execute(definition)
        for _name, definition in defs["triggers"]:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {_q(table)}")


def migration_operation(table: str, column: str):
    """An app migration's operation: partition `table` by month on `column` (reversed by unconvert)."""
    from django.db import migrations

    return migrations.RunPython(lambda _apps, schema_editor: convert(schema_editor, table, column),
                                lambda _apps, schema_editor: unconvert(schema_editor, table, column))


def unconvert(schema_editor, table: str, column: str) -> None:
    """The reverse of `convert()`: an ordinary table with an identity id and the original constraints."""
    connection = schema_editor.connection
    if not _is_postgres(connection) or not is_partitioned(connection, table):
        return
    with connection.cursor() as cursor:
        defs = table_definitions(cursor, table)
        seq, last_value, is_called = _sequence(cursor, table)
        building = f"{table}__plain"
        cursor.execute(f"CREATE TABLE {_q(building)} (LIKE {_q(table)} INCLUDING CONSTRAINTS INCLUDING STORAGE "
                       f"INCLUDING COMMENTS)")
        cursor.execute(f"INSERT INTO {_q(building)} SELECT * FROM {_q(table)}")
        cursor.execute(f"DROP TABLE {_q(table)}")  # its partitions and its sequence go with it
        cursor.execute(f"ALTER TABLE {_q(building)} RENAME TO {_q(table)}")
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        if seq is not None:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [table, last_value, is_called])
        for name, kind, definition, comment in defs["constraints"]:
            if kind == "p":
                definition = "PRIMARY KEY (id)"
            elif comment and comment.startswith(WIDENED_MARK):
                definition = comment.removeprefix(WIDENED_MARK)
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        for _name, definition, comment in defs["indexes"]:
            cursor.execute(comment.removeprefix(WIDENED_MARK) if comment and comment.startswith(WIDENED_MARK)
                           else definition.replace(" ON ONLY ", " ON "))
        for _name, definition in defs["triggers"]:
            cursor.execute(definition)
