"""THR distributions partitioned by month on PostgreSQL; nothing changes on SQLite.

See poshan/core/partitions.py: primary key (id, month), unique constraints widened with month,
monthly partitions from the oldest row to three months ahead, an _old and a default partition.
First the two single-column indexes that (awc, month, verified_by) and the unique (beneficiary, month)
make redundant go.
"""
import django.db.models.deletion
from django.db import migrations, models

from poshan.core import partitions

class Migration(migrations.Migration):
    dependencies = [("thr_frs", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="thrdistribution",
            name="awc",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="anganwadi.location"),
        ),
        migrations.AlterField(
            model_name="thrdistribution",
            name="beneficiary",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="thr_distributions", to="beneficiaries.beneficiary"),
        ),
        partitions.migration_operation("thr_frs_thrdistribution", "month"),
    ]
