"""Two indexes fewer for every audited write: the log's time index as BRIN, the object index gone.

Every write and every view in the country inserts an audit event; each B-tree on the log is another page to find
and dirty, and its WAL, in that transaction. Events arrive in time order, so on PostgreSQL a BRIN index on `at`
(a few pages of block ranges per partition) serves the half-hourly refresh's "events since" and the audit page's
dates at almost no cost to an insert. SQLite keeps its B-tree (altering the field there would remake the table and
lose its append-only trigger). The (object_type, object_id) index served no query of the portal: an event about a
person carries its centre, and (awc_id, at) finds it.
"""
from django.db import migrations, models
from django.utils import timezone

TABLE = "core_auditevent"
BRIN = "audit_at_brin"


def _btree_on_at(connection) -> list[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return [name for name, c in found.items()
            if c["columns"] == ["at"] and c["index"] and not c["primary_key"] and name != BRIN]


def to_brin(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for name in _btree_on_at(connection):
        schema_editor.execute(f'DROP INDEX "{name}"')  # on the partitioned parent: its partitions' go with it
    schema_editor.execute(f"CREATE INDEX {BRIN} ON {TABLE} USING brin (at)")


def to_btree(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {BRIN}")
    schema_editor.execute(f"CREATE INDEX core_auditevent_at_idx ON {TABLE} (at)")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_merkle_trees")]

    operations = [
        migrations.RemoveIndex(model_name="auditevent", name="audit_object"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AlterField(model_name="auditevent", name="at",
                                                    field=models.DateTimeField(default=timezone.now))],
            database_operations=[migrations.RunPython(to_brin, to_btree)],
        ),
    ]
