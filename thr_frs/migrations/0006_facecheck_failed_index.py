"""The failed face matches of a centre and month in an index of their own (the rollups count them per chunk).

A plain CREATE INDEX: on a large live table it holds off writes to the face checks while it is built (a partial
index, so it reads the table once and writes only the failures).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('anganwadi', '0005_additional_charge'),
        ('beneficiaries', '0007_attendance_read_by_child'),
        ('thr_frs', '0005_thrdistribution_client_claims'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='facecheck',
            index=models.Index(condition=models.Q(('purpose', 'match'), models.Q(('status', 'failed'), models.Q(('matched', False), ('status', 'done')), _connector='OR')), fields=['awc', 'month'], name='facecheck_failed_awc_month'),
        ),
    ]
