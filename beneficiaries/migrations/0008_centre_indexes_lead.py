"""Foreign keys to the centre without an index of their own: a composite index leads with them.

Beside a single-column index, PostgreSQL read a rollup chunk's every month from it instead of the month from the
composite one (tests/dashboards/test_rollup_plans.py); dropping an index takes a brief lock and frees its space.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('anganwadi', '0006_centre_indexes_lead'),
        ('beneficiaries', '0007_attendance_read_by_child'),
    ]

    operations = [
        migrations.AlterField(
            model_name='homevisit',
            name='awc',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='anganwadi.location'),
        ),
    ]
