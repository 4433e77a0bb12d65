"""A measurement's client id single-use across the months (PostgreSQL): its claims table and trigger
(poshan/core/claims.py); nothing changes on SQLite."""
from django.db import migrations

from poshan.core import claims


class Migration(migrations.Migration):
    dependencies = [("growth", "0005_childstatus_measured_values")]

    operations = [claims.migration_operation("growth_measurement", "date")]
