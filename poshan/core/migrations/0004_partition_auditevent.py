"""The audit log partitioned by month on PostgreSQL; nothing changes on SQLite.

The append-only trigger is re-created on the partitioned parent and applies to every partition.

See poshan/core/partitions.py: primary key (id, at), unique constraints widened with at,
monthly partitions from the oldest row to three months ahead, an _old and a default partition.
First the actor index that audit_actor_at (actor, at) makes redundant goes.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from poshan.core import partitions

SQLITE_GUARD = """
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: UPDATE refused'); END;
"""


def sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # SQLite rebuilt the table for the AlterField above, losing its triggers: the guard of 0002 again.
        schema_editor.execute(SQLITE_GUARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_submissionreceipt"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(sqlite_guard, migrations.RunPython.noop),
        partitions.migration_operation("core_auditevent", "at"),
    ]
