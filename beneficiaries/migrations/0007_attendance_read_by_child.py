"""The attendance's AWC index becomes (awc, child, date) carrying hcm: a month's figures for a chunk of AWCs are
read from the index alone, grouped by child as they come (PostgreSQL creates it on every monthly partition).
On a large live table create it on each partition CONCURRENTLY first and attach; here it is built in place."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('anganwadi', '0005_additional_charge'),
        ('beneficiaries', '0006_life_stage_changes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='attendance',
            name='attendance_awc_date',
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['awc', 'child', 'date'], include=('hcm',), name='attendance_awc_child_date'),
        ),
    ]
