"""The log's actor is no longer checked by a foreign key constraint on PostgreSQL.

Every audited write inserts an event, and PostgreSQL checked each event's actor at commit: a query on core_user
that also takes a KEY SHARE lock on the user's row, shared (as a MultiXact) when one user's transactions overlap
(a supervisor's sessions, a phone's queued batch, the system's tasks). The check adds nothing the portal relies
on: Django's PROTECT still refuses to delete a user who has events, and the log should not depend on the rows it
names. Audited receipts at 64 writers: 0.70-0.73 -> 0.77-0.85 of the unaudited writes (bench/audit.py,
bench/RESULTS.md). On SQLite the constraint stays: changing it there would remake the
table, and with it lose the append-only trigger and the B-tree on `at` (see 0006).
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "core_auditevent"
CONSTRAINT = "core_auditevent_actor_id_fk_core_user_id"


def _actor_constraints(connection) -> list[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return [name for name, c in found.items() if c["foreign_key"] and c["columns"] == ["actor_id"]]


def drop_constraint(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for name in _actor_constraints(connection):
        schema_editor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')


def add_constraint(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or _actor_constraints(connection):
        return
    user = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    schema_editor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{CONSTRAINT}" FOREIGN KEY (actor_id) '
                          f'REFERENCES "{user}" (id) DEFERRABLE INITIALLY DEFERRED')


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_lighter_indexes"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AlterField(
                model_name="auditevent", name="actor",
                field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                        on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                        to=settings.AUTH_USER_MODEL))],
            database_operations=[migrations.RunPython(drop_constraint, add_constraint)],
        ),
    ]
