"""The demo world reads like a real one: no two people of a centre share a name, and the months before this one
are complete, so a newcomer's first dashboard shows trends rather than zeros."""
from io import StringIO

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from beneficiaries.models import Beneficiary, Household
from poshan.core.roles import Level
from poshan.dashboards.models import AreaMonth, NutritionMonth
from poshan.dashboards.selectors import add_months
from poshan.demo import people, world


def test_demo_names_are_unique_within_each_centre(db):
    awcs = world.build_locations()
    people.build_people(awcs)
    twins = (Beneficiary.objects.values("awc", "name").annotate(n=Count("pk")).filter(n__gt=1)
             .values_list("name", flat=True))
    assert list(twins) == []
    heads = Household.objects.values("awc", "head_name").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(heads.values_list("head_name", flat=True)) == []
    assert Beneficiary.objects.count() > 40 * people.FAMILIES_PER_AWC  # mothers and their children


def test_after_seed_demo_the_previous_months_have_real_figures(db):
    call_command("seed_demo", stdout=StringIO())
    this_month = timezone.localdate().replace(day=1)
    district = Beneficiary.objects.first().awc.district
    for back in (1, 2, 3):
        month = add_months(this_month, -back)
        area = AreaMonth.objects.get(month=month, level=Level.DISTRICT, location=district)
        growth = NutritionMonth.objects.get(month=month, level=Level.DISTRICT, location=district, sex="", band="")
        label = month.strftime("%Y-%m")
        assert area.beneficiaries > 200, label
        assert area.pregnant > 10 and area.lactating > 10, label
        assert area.days_open > 20 * 15 and area.attendance_total > 0 and area.preschool > 0, label
        assert area.hcm_21 > 0 and area.hcm_21 <= area.preschool, label
        assert 0 < growth.weighed <= growth.children, label
    now = AreaMonth.objects.get(month=this_month, level=Level.DISTRICT, location=district)
    last = AreaMonth.objects.get(month=add_months(this_month, -1), level=Level.DISTRICT, location=district)
    assert last.beneficiaries >= 0.7 * now.beneficiaries  # a trend, not a jump from nothing
