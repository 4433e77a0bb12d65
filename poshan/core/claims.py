"""Client ids kept single-use across the months of a partitioned fact table (PostgreSQL).

A partitioned table can be unique only on columns that include its partition key, so `partitions.convert()`
widens `client_uuid` to (client_uuid, <month column>): alone, that would let a retry dated in another month be
saved twice, and finding an id meant reading every month's index (a cost that grew by a partition each month:
bench/partitions.py). So each such table has a table of claims beside it:

    <table>_claims (client_uuid PRIMARY KEY, id, <month column>)

filled by a trigger on the partitioned table, whatever path a row comes by (the services, a plain save, a bulk
insert, the seed). A second row with a claimed id is refused as a unique constraint refuses it (unique_violation on
`<table>_claims_pkey`); a row whose date is corrected into another month moves partition (PostgreSQL deletes and
inserts it) and keeps its claim, which follows it. So an id is looked for in one index, and the row an id names is
read from its one partition (`row_filter`).

Claims are never deleted: an id once used stays used, like the receipts they stand for. SQLite has no partitions:
its tables are unique on client_uuid by themselves, and nothing here applies there.
"""
from __future__ import annotations

from django.db.models import Q
from django.db.models.expressions import RawSQL

from .prepared import SqlPart

SUFFIX = "_claims"


def table_of(table: str) -> str:
    return table + SUFFIX


def install(schema_editor, table: str, column: str) -> None:
    """The claims table of `table` (partitioned on the date `column`), its trigger, and a claim for every row there
    already (the first of any id found twice)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    claims, function = table_of(table), f"{table}_claim"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {quote(claims)} (client_uuid uuid PRIMARY KEY, id bigint NOT NULL, "
                       f"{quote(column)} date NOT NULL)")
        # A row that moves partition is inserted again with its id: its claim follows it instead of refusing it.
        cursor.execute(f"""
            CREATE FUNCTION {quote(function)}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {quote(claims)} (client_uuid, id, {quote(column)})
                VALUES (NEW.client_uuid, NEW.id, NEW.{quote(column)})
                ON CONFLICT (client_uuid) DO UPDATE SET {quote(column)} = EXCLUDED.{quote(column)}
                WHERE {quote(claims)}.id = EXCLUDED.id;
                IF NOT FOUND THEN
                    RAISE unique_violation USING
                        MESSAGE = format('duplicate key value violates unique constraint "%s"', '{claims}_pkey'),
                        DETAIL = format('Key (client_uuid)=(%s) already exists.', NEW.client_uuid),
                        CONSTRAINT = '{claims}_pkey', TABLE = '{table}';
                END IF;
                RETURN NEW;
            END $$""")
        cursor.execute(f"CREATE TRIGGER {quote(function)} BEFORE INSERT ON {quote(table)} FOR EACH ROW "
                       f"WHEN (NEW.client_uuid IS NOT NULL) EXECUTE FUNCTION {quote(function)}()")
        cursor.execute(f"INSERT INTO {quote(claims)} (client_uuid, id, {quote(column)}) "
                       f"SELECT client_uuid, id, {quote(column)} FROM {quote(table)} WHERE client_uuid IS NOT NULL "
                       f"ORDER BY id ON CONFLICT DO NOTHING")
        cursor.execute(f"ANALYZE {quote(claims)}")


def remove(schema_editor, table: str, column: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    function = f"{table}_claim"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {quote(function)} ON {quote(table)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {quote(function)}()")
        cursor.execute(f"DROP TABLE IF EXISTS {quote(table_of(table))}")


def migration_operation(table: str, column: str):
    """An app migration's operation, after its table's partitioning: claims for `table`'s client ids."""
    from django.db import migrations

    return migrations.RunPython(lambda _apps, schema_editor: install(schema_editor, table, column),
                                lambda _apps, schema_editor: remove(schema_editor, table, column))


def unclaimed(connection, table: str, client_uuid) -> SqlPart | None:
    """On PostgreSQL, a condition that the id is claimed by no row of `table` (one index probe), for an INSERT that
    does nothing when it is; None elsewhere, where the table's own unique client_uuid does that."""
    if connection.vendor != "postgresql":
        return None
    return SqlPart(f"NOT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table_of(table))} WHERE client_uuid = %s)",
                   [str(client_uuid)], ["uuid"])


def row_filter(model, connection, column: str, client_uuid) -> Q:
    """The rows of `model` carrying this id, narrowed on PostgreSQL to the month its claim names (one partition
    read, not every month's index)."""
    found = Q(client_uuid=client_uuid)
    if connection.vendor != "postgresql":
        return found
    quote = connection.ops.quote_name
    claimed = RawSQL(f"SELECT {quote(column)} FROM {quote(table_of(model._meta.db_table))} WHERE client_uuid = %s",
                     [str(client_uuid)])
    return found & Q(**{column: claimed})
