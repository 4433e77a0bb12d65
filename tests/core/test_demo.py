"""seed_demo builds the documented world once and prints the logins."""
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from anganwadi.models import Location
from poshan.core.models import User
from poshan.demo.world import DEMO_PASSWORD

DEMO_USERS = ["aww_demo", "awh_demo", "supervisor_demo", "cdpo_demo", "dpo_demo", "state_demo",
              "ministry_demo", "helpline_demo", "admin_demo"]


def test_seed_demo_builds_world_and_prints_logins(db):
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Location.objects.filter(level="awc").count() == 40
    assert Location.objects.filter(level="district").count() == 2
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in DEMO_USERS:
        assert username in text
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="aww_demo", password=DEMO_PASSWORD).role == "aww"


def test_seed_demo_if_empty_runs_once(db):
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already present" in out.getvalue()
    assert User.objects.filter(username__endswith="_demo").count() == len(DEMO_USERS)


def test_seed_demo_scale_builds_the_requested_awcs(db):
    call_command("seed_demo", "--scale", "--awcs", "120", stdout=StringIO())
    awcs = Location.objects.filter(level="awc")
    assert awcs.count() == 120
    assert not awcs.filter(state__isnull=True).exists()
    assert not awcs.filter(sector__isnull=True).exists()


def test_seed_demo_scale_builds_people_with_categories(db):
    from beneficiaries.models import Beneficiary, Pregnancy

    call_command("seed_demo", "--scale", "--awcs", "30", "--children-per-awc", "20", "--women-per-awc", "5",
                 stdout=StringIO())
    assert Beneficiary.objects.count() == 30 * 25
    assert Beneficiary.objects.filter(sex="F", relation_to_head="spouse").count() == 30 * 5
    assert Pregnancy.objects.count() > 0
    seeded = Beneficiary.objects.exclude(aadhaar_index=None).first()
    assert len(seeded.aadhaar) == 12  # decrypts
