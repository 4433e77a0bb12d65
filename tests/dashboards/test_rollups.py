"""Monthly rollups and the dashboard: indicator values on a hand-built month, sums, drill-down, scope."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from anganwadi.services import awc_day_open
from beneficiaries import services as people
from beneficiaries.models import Beneficiary
from growth.services import measurement_record
from poshan.dashboards.models import AREA_COUNTS, NUTRITION_COUNTS, AreaMonth, NutritionMonth, RollupRun
from poshan.dashboards.rollups.refresh import refresh_month
from tests.factories import make_household, make_person, valid_aadhaar

MONTH = date(2026, 11, 1)
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


@pytest.fixture
def month(world, users):
    """awc1: girls A (normal) and B (75 cm at 2 years: severely stunted), boy C (4 years, not measured),
    a pregnant woman with Aadhaar and a lactating mother; open 2 days, C present both days with the meal.
    awc2: girl D, 2 years, 7.0 kg: severely underweight."""
    h1 = make_household(world.awc1)
    a = make_person(h1, name="A", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    b = make_person(h1, name="B", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    c = make_person(h1, name="C", sex="M", dob=date(2022, 10, 1), enrol_as="child")
    make_person(h1, name="P", dob=date(1998, 1, 1), enrol_as="pregnant", lmp=date(2026, 6, 1),
                aadhaar=valid_aadhaar(77))
    make_person(h1, name="L", dob=date(1997, 1, 1), enrol_as="lactating", delivery_date=date(2026, 10, 20))
    d = make_person(make_household(world.awc2), name="D", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    day = date(2026, 11, 25)
    measurement_record(actor=users.aww, child=a, date=day, weight_kg=Decimal("11.5"), lenhei_cm=Decimal("86.0"),
                       measure="l")
    measurement_record(actor=users.aww, child=b, date=day, weight_kg=Decimal("9.5"), lenhei_cm=Decimal("75.0"),
                       measure="l")
    measurement_record(actor=users.aww, child=d, date=day, weight_kg=Decimal("7.0"), lenhei_cm=Decimal("84.0"),
                       measure="l")
    for n in (26, 27):
        awc_day_open(actor=users.aww, awc=world.awc1, day=date(2026, 11, n), opened_at=time(9),
                     backdate_reason="test" if n < 27 else "")
    people.attendance_record(actor=users.aww, awc=world.awc1, day=date(2026, 11, 26), present=[c.pk], hcm=[c.pk],
                             backdate_reason="test")
    people.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=[c.pk], hcm=[c.pk])
    return refresh_month(MONTH, trigger="admin", today=TODAY)


def _area(location):
    return AreaMonth.objects.get(month=MONTH, location=location)


def _nutrition(location, sex="", band=""):
    return NutritionMonth.objects.get(month=MONTH, location=location, sex=sex, band=band)


def test_run_is_recorded_with_progress(month):
    assert month.status == RollupRun.Status.DONE and month.awcs_done == month.awcs_total == 6


def test_awc_service_and_registration_figures(world, month):
    row = _area(world.awc1)
    assert (row.awcs, row.awcs_open_today, row.days_open) == (1, 1, 2)
    assert (row.attendance_total, row.attendance_days) == (2, 2)
    assert (row.pregnant, row.lactating, row.child_6m_3y, row.child_3_6y, row.child_0_6m) == (1, 1, 2, 1, 0)
    assert (row.beneficiaries, row.aadhaar_seeded, row.preschool) == (5, 1, 1)
    assert (row.visits_due, row.visits_done) == (2, 0)


def test_awc_nutrition_figures_and_filters(world, month):
    both = _nutrition(world.awc1)
    assert (both.children, both.weighed, both.height_measured) == (3, 2, 2)
    assert (both.stunting_n, both.stunting_d, both.underweight_n, both.wasting_n) == (1, 2, 0, 0)
    girls = _nutrition(world.awc1, sex="F")
    assert (girls.children, girls.weighed) == (2, 2)
    older = _nutrition(world.awc1, band="3_6y")
    assert (older.children, older.weighed) == (1, 0)


def test_sector_sums_its_centres(world, month):
    sector = _nutrition(world.sector1)
    assert (sector.children, sector.weighed, sector.stunting_n, sector.stunting_d, sector.underweight_n) == (
        4, 3, 1, 3, 1)


@pytest.mark.parametrize("model, counts, keys", [
    (AreaMonth, AREA_COUNTS, ()), (NutritionMonth, NUTRITION_COUNTS, ("sex", "band")),
])
def test_every_level_equals_the_sum_of_the_level_below(world, month, model, counts, keys):
    parents = list(model.objects.filter(month=MONTH).exclude(level="awc"))
    assert parents
    for parent in parents:
        if parent.level == "nation":
            below = model.objects.filter(month=MONTH, level="state")
        else:
            below = model.objects.filter(month=MONTH, parent=parent.location)
        below = below.filter(**{k: getattr(parent, k) for k in keys})
        for name in counts:
            assert getattr(parent, name) == sum(getattr(row, name) for row in below), (parent.level, name)


def test_refresh_twice_gives_the_same_rows(world, month):
    before = sorted(AreaMonth.objects.filter(month=MONTH).values_list("level", "location", "beneficiaries"))
    refresh_month(MONTH, trigger="admin", today=TODAY)
    after = sorted(AreaMonth.objects.filter(month=MONTH).values_list("level", "location", "beneficiaries"))
    assert before == after


def test_a_recount_rewrites_only_the_nutrition_rows_that_changed(world, users, month):
    """A recount keeps the AWC growth rows whose figures did not change (the same rows) and replaces the others."""
    awc_rows = NutritionMonth.objects.filter(month=MONTH, level="awc")
    before = {(loc, sex, band): pk for pk, loc, sex, band in awc_rows.values_list("pk", "location", "sex", "band")}
    c = Beneficiary.objects.get(name="C")  # the boy of 4 at awc1, not weighed yet this month
    measurement_record(actor=users.aww, child=c, date=date(2026, 11, 26), weight_kg=Decimal("16.0"),
                       lenhei_cm=Decimal("102.0"), measure="h")
    refresh_month(MONTH, trigger="admin", today=TODAY)
    after = {(loc, sex, band): pk for pk, loc, sex, band in awc_rows.values_list("pk", "location", "sex", "band")}
    assert after.keys() == before.keys()  # no row lost or doubled
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {(world.awc1.pk, sex, band) for sex in ("M", "") for band in ("3_6y", "")}
    assert (_nutrition(world.awc1).weighed, _nutrition(world.awc1, sex="M", band="3_6y").weighed) == (3, 1)
    assert _nutrition(world.sector1).weighed == 4  # the levels above summed from the new rows


def test_dashboard_shows_hand_computed_percentages(world, users, month, login):
    page = login(users.supervisor).get(reverse("dashboards:place", args=[world.awc1.pk]),
                                       {"month": "2026-11"}).content.decode()
    assert "66.7%" in page  # weighing efficiency: 2 of 3 children
    assert "50.0%" in page  # stunting: 1 of 2 measured
    assert "20.0%" in page  # Aadhaar-seeded: 1 of 5


def test_stunting_band_colour(world, users, month, login):
    page = login(users.supervisor).get(reverse("dashboards:place", args=[world.awc1.pk]),
                                       {"month": "2026-11", "indicator": "stunting"}).content.decode()
    assert 'class="ind bad"' in page  # 50 % stunting is above 38 %


def test_each_user_lands_on_own_area_and_drills_down(world, users, month, login):
    client = login(users.supervisor)
    landing = client.get(reverse("dashboards:home"), {"month": "2026-11"}).content.decode()
    assert world.sector1.name in landing
    assert reverse("dashboards:place", args=[world.awc1.pk]) in landing
    assert client.get(reverse("dashboards:place", args=[world.awc1.pk])).status_code == 200


def test_nobody_goes_above_or_beside_their_area(world, users, month, login):
    client = login(users.supervisor)
    assert client.get(reverse("dashboards:place", args=[world.project1.pk])).status_code == 404
    assert client.get(reverse("dashboards:place", args=[world.sector2.pk])).status_code == 404
    assert login(users.aww).get(reverse("dashboards:place", args=[world.awc2.pk])).status_code == 404
    assert login(users.helpline).get(reverse("dashboards:home")).status_code == 403


def test_ministry_sees_states(world, users, month, login):
    page = login(users.ministry).get(reverse("dashboards:home"), {"month": "2026-11"}).content.decode()
    assert world.state1.name in page and world.state2.name in page


def test_dashboard_query_count_is_bounded(world, users, month, login, django_assert_max_num_queries):
    client = login(users.ministry)
    client.get(reverse("dashboards:home"))
    with django_assert_max_num_queries(12):
        client.get(reverse("dashboards:home"), {"month": "2026-11"})


def test_admin_refresh_page_runs_and_shows_progress(world, users, month, login):
    client = login(users.admin)
    response = client.post(reverse("dashboards:refresh"), {"month": "2026-10"}, follow=True)
    page = response.content.decode()
    assert "October 2026" in page and "done" in page
    assert login(users.dpo).get(reverse("dashboards:refresh")).status_code == 403


def test_a_person_who_moved_counts_once_at_the_centre_that_served_them(world, users, make_user):
    from beneficiaries.models import Transfer

    with time_machine.travel("2026-10-05 04:00:00+00:00", tick=False):
        mover = make_person(make_household(world.awc1), name="Mover", sex="F", dob=date(2024, 6, 1),
                            enrol_as="child")
    other_worker = make_user("aww", world.awc3)
    with time_machine.travel("2026-11-10 04:00:00+00:00", tick=False):
        transfer = people.transfer_request(actor=users.aww, beneficiary=mover, to_awc=world.awc3,
                                           kind=Transfer.Kind.PERMANENT)
        people.transfer_decide(actor=other_worker, transfer=transfer, accept=True, deciding_awc=world.awc3)
    refresh_month(date(2026, 10, 1), trigger="admin", today=TODAY)
    refresh_month(MONTH, trigger="admin", today=TODAY)
    october = {row.location_id: row.child_6m_3y for row in AreaMonth.objects.filter(month=date(2026, 10, 1),
                                                                                    level="awc")}
    november = {row.location_id: row.child_6m_3y for row in AreaMonth.objects.filter(month=MONTH, level="awc")}
    assert (october[world.awc1.pk], october[world.awc3.pk]) == (1, 0)
    assert (november[world.awc1.pk], november[world.awc3.pk]) == (0, 1)
    assert AreaMonth.objects.get(month=MONTH, level="nation").child_6m_3y == 1
