"""Seed the routing table: which desk gets which category, and the SLA in hours (admins edit it later)."""
from django.db import migrations

DEFAULT_ROUTES = [
    # category, desk role, SLA hours
    ("app", "cdpo", 72),          # technical problems: the block coordinator
    ("device", "cdpo", 120),      # phones: the block coordinator
    ("internet", "dpo", 240),     # internet reimbursement: the district
    ("payment", "dpo", 240),      # honorarium and payments: the district
    ("supplies", "cdpo", 72),     # THR and supplies stock: the CDPO
    ("other", "supervisor", 120),
]


def seed(apps, schema_editor):
    RoutingRule = apps.get_model("grievances", "RoutingRule")
    for category, desk_role, sla_hours in DEFAULT_ROUTES:
        RoutingRule.objects.get_or_create(category=category, defaults={"desk_role": desk_role, "sla_hours": sla_hours})


def unseed(apps, schema_editor):
    apps.get_model("grievances", "RoutingRule").objects.filter(category__in=[c for c, _d, _h in DEFAULT_ROUTES]).delete()


class Migration(migrations.Migration):
    dependencies = [("grievances", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
