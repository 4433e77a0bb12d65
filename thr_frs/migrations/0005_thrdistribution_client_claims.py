"""A hand-over's client id single-use across the months (PostgreSQL): its claims table and trigger
(poshan/core/claims.py); nothing changes on SQLite."""
from django.db import migrations

from poshan.core import claims


class Migration(migrations.Migration):
    dependencies = [("thr_frs", "0004_face_refresh")]

    operations = [claims.migration_operation("thr_frs_thrdistribution", "month")]
