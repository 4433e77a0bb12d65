"""Measurements partitioned by month on PostgreSQL; nothing changes on SQLite.

See poshan/core/partitions.py: primary key (id, date), unique constraints widened with date,
monthly partitions from the oldest row to three months ahead, an _old and a default partition.
"""
from django.db import migrations

from poshan.core import partitions

class Migration(migrations.Migration):
    dependencies = [("growth", "0001_initial")]

    operations = [partitions.migration_operation("growth_measurement", "date")]
