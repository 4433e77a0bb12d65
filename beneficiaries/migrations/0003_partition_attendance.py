"""Attendance (with the hot cooked meal) partitioned by month on PostgreSQL; nothing changes on SQLite.

See poshan/core/partitions.py: primary key (id, date), unique constraints widened with date,
monthly partitions from the oldest row to three months ahead, an _old and a default partition.
First the two single-column indexes that (awc, date) and the unique (child, date) make redundant go.
"""
import django.db.models.deletion
from django.db import migrations, models

from poshan.core import partitions

class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_attendance_attendancesubmission_homevisit")]

    operations = [
        migrations.AlterField(
            model_name="attendance",
            name="awc",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="anganwadi.location"),
        ),
        migrations.AlterField(
            model_name="attendance",
            name="child",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="attendance", to="beneficiaries.beneficiary"),
        ),
        partitions.migration_operation("beneficiaries_attendance", "date"),
    ]
