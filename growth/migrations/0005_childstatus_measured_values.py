"""Each child's status keeps its measurement's weight, length/height and MUAC beside the z-scores made from them.

The nightly flagging job writes them from now on; this fills them in for the statuses already there, from the
measurement each one names (on its partition key too, so each probe reads one monthly partition). On a large live
table the backfill can be left to the next nightly run instead: a status whose stored values differ from the ones
the run computes is rewritten.
"""
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

VALUES = ("weight_kg", "lenhei_cm", "muac_cm")


def copy_measured_values(apps, schema_editor):
    ChildStatus = apps.get_model("growth", "ChildStatus")
    Measurement = apps.get_model("growth", "Measurement")
    measured = Measurement.objects.filter(pk=OuterRef("measurement_id"), date=OuterRef("measured_on"))
    ChildStatus.objects.filter(measurement_id__isnull=False).update(
        **{name: Subquery(measured.values(name)[:1]) for name in VALUES})


class Migration(migrations.Migration):

    dependencies = [
        ('growth', '0004_caseevent_buddy_visit'),
    ]

    operations = [
        migrations.AddField(
            model_name='childstatus',
            name='lenhei_cm',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True),
        ),
        migrations.AddField(
            model_name='childstatus',
            name='muac_cm',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True),
        ),
        migrations.AddField(
            model_name='childstatus',
            name='weight_kg',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True),
        ),
        migrations.RunPython(copy_measured_values, migrations.RunPython.noop, elidable=True),
    ]
