"""Five months built by hand, every figure at every level checked against counts made directly from the facts.

Centres awc1 and awc2 (sector1) and awc3 (sector2) in project1; awc4 in project2 (district1, state1). People are
registered in different months, one child leaves, one woman is pregnant, one has just delivered; children are
weighed (one SAM), the centre opens and serves the hot cooked meal 21 days in October. Two children are registered
in December: G, whose past weighings (October, November) were copied from his paper card, so the centre served him
then; and H, with no history, who counts from December only.

The counting rule the test holds the rollups to ("the facts"): a person is on a centre's register on day D if a
membership there is open on D — or, for their first membership, if the centre recorded a service to them (weighing,
attendance, home visit, ration) on or before D; they have not left the programme by D. Stock figures are counted on
the month's last day (today for the current month); a ratio's numerator only counts people in its denominator.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import time_machine

from anganwadi.models import AwcDay, Location
from anganwadi.services import awc_day_open
from beneficiaries import lifestage
from beneficiaries import services as people
from beneficiaries.lifestage import Category
from beneficiaries.models import Attendance, AwcMembership, Beneficiary, HomeVisit, Pregnancy
from growth.models import Class, Measurement
from growth.services import measurement_record
from poshan.core.roles import Level
from poshan.dashboards.models import AreaMonth, NutritionMonth
from poshan.dashboards.rollups.collect import figures_day
from poshan.dashboards.rollups.refresh import refresh_month
from poshan.dashboards.selectors import add_months
from tests.factories import make_household, make_person, valid_aadhaar
from thr_frs.models import ThrDistribution

TODAY = date(2026, 12, 4)
MONTHS = [date(2026, m, 1) for m in (8, 9, 10, 11, 12)]
BANDS = {Category.CHILD_0_6M: "0_6m", Category.CHILD_6M_3Y: "6m_3y", Category.CHILD_3_6Y: "3_6y"}


def at(day: date):
    return time_machine.travel(f"{day.isoformat()} 05:00:00+00:00", tick=False)


def weigh(actor, child, day, kg, cm, muac=None):
    measurement_record(actor=actor, child=child, date=day, weight_kg=Decimal(kg), lenhei_cm=Decimal(cm), measure="l",
                       muac_cm=Decimal(muac) if muac else None)


@pytest.fixture
def facts(world, users, make_user):
    aww1, aww2, aww3 = users.aww, make_user("aww", world.awc2), make_user("aww", world.awc3)
    with at(date(2026, 8, 10)):
        h1 = make_household(world.awc1)
        a = make_person(h1, name="A", sex="F", dob=date(2024, 9, 1), enrol_as="child")
        c = make_person(h1, name="C", sex="M", dob=date(2022, 6, 1), enrol_as="child", aadhaar=valid_aadhaar(11))
        make_person(h1, name="P", dob=date(1999, 1, 1), enrol_as="pregnant", lmp=date(2026, 6, 15),
                    aadhaar=valid_aadhaar(12))
        d = make_person(make_household(world.awc2), name="D", sex="F", dob=date(2024, 11, 1), enrol_as="child")
    with at(date(2026, 8, 20)):
        weigh(aww1, a, date(2026, 8, 20), "10.0", "80.0")
        weigh(aww2, d, date(2026, 8, 20), "8.0", "80.0", muac="11.0")  # MUAC under 11.5 cm: SAM
    with at(date(2026, 9, 20)):
        weigh(aww1, a, date(2026, 9, 20), "10.2", "81.0")
        weigh(aww1, c, date(2026, 9, 20), "14.0", "99.0")
    with at(date(2026, 10, 5)):
        make_person(make_household(world.awc3), name="L", dob=date(2000, 3, 3), enrol_as="lactating",
                    delivery_date=date(2026, 9, 20))
        make_person(make_household(world.awc4), name="K", sex="M", dob=date(2026, 4, 1), enrol_as="child")
    for n in range(1, 22):  # awc1 open 21 days of October; C eats every day, A (2 years) is not a preschooler
        day = date(2026, 10, n)
        with at(day):
            awc_day_open(actor=aww1, awc=world.awc1, day=day, opened_at=time(9))
            people.attendance_record(actor=aww1, awc=world.awc1, day=day, present=[c.pk], hcm=[c.pk])
    with at(date(2026, 10, 10)):
        weigh(aww1, a, date(2026, 10, 10), "10.3", "81.5")  # weighed, then left: not on October's register
    with at(date(2026, 10, 15)):
        people.beneficiary_exit(actor=aww1, beneficiary=a, reason=Beneficiary.ExitReason.MOVED_AWAY,
                                on=date(2026, 10, 15))
    with at(date(2026, 11, 12)):
        weigh(aww2, d, date(2026, 11, 12), "7.4", "85.0")
        weigh(aww1, c, date(2026, 11, 12), "14.3", "100.0")
        awc_day_open(actor=aww2, awc=world.awc2, day=date(2026, 11, 12), opened_at=time(9))
    with at(date(2026, 12, 2)):
        g = make_person(make_household(world.awc2), name="G", sex="M", dob=date(2023, 3, 1), enrol_as="child")
        make_person(make_household(world.awc3), name="H", sex="F", dob=date(2025, 5, 1), enrol_as="child")
        weigh(aww2, g, date(2026, 10, 10), "12.0", "90.0")  # copied from his paper growth card
        weigh(aww2, g, date(2026, 11, 10), "12.2", "91.0")
    with at(date(2026, 12, 3)):
        awc_day_open(actor=aww1, awc=world.awc1, day=date(2026, 12, 3), opened_at=time(9))
        people.attendance_record(actor=aww1, awc=world.awc1, day=date(2026, 12, 3), present=[c.pk], hcm=[])
    with at(TODAY):
        for month in MONTHS:
            refresh_month(month, trigger="admin", today=TODAY)
    return world


# --- the counts, made directly from the fact rows -------------------------------------------------------------

def _served(awc_ids: set[int], on: date, month: date) -> dict[int, set[int]]:
    """awc → people on its register on `on`, by the rule in the module docstring."""
    served: dict[int, set[int]] = defaultdict(set)
    memberships = list(AwcMembership.objects.order_by("start", "pk"))
    first = {}
    for m in memberships:
        first.setdefault(m.beneficiary_id, m.pk)
    facts = set()
    facts |= {(r.awc_id, r.child_id) for r in Measurement.objects.all() if r.date <= on}
    facts |= {(r.awc_id, r.child_id) for r in Attendance.objects.all() if r.date <= on}
    facts |= {(r.awc_id, r.beneficiary_id) for r in HomeVisit.objects.all() if r.date <= on}
    facts |= {(r.awc_id, r.beneficiary_id) for r in ThrDistribution.objects.all() if r.month <= on}
    gone = {b.pk for b in Beneficiary.objects.all()
            if b.exited_on is not None and b.exited_on <= on and b.exit_reason != Beneficiary.ExitReason.AGED_OUT}
    for m in memberships:
        if m.awc_id not in awc_ids or m.beneficiary_id in gone or (m.end is not None and m.end <= on):
            continue
        if m.start <= on or (first[m.beneficiary_id] == m.pk and (m.awc_id, m.beneficiary_id) in facts):
            served[m.awc_id].add(m.beneficiary_id)
    return served


def _categories(person: Beneficiary, on: date, pregnancies) -> set[str]:
    found = set()
    band = lifestage.child_band(person.dob, on) if person.dob and person.dob <= on else None
    if band:
        found.add(str(band))
    for p in pregnancies.get(person.pk, []):
        if p.delivery_date is None and p.lmp <= on < p.lmp + timedelta(days=lifestage.MAX_LMP_AGE_DAYS):
            found.add(str(Category.PREGNANT))
        if p.delivery_date and p.delivery_date <= on < p.delivery_date + timedelta(days=lifestage.LACTATION_DAYS):
            found.add(str(Category.LACTATING))
    awc = person.awc
    if lifestage.is_adolescent(person.dob, person.sex, on, awc_eligible=awc.is_aspirational or awc.is_north_east):
        found.add(str(Category.ADOLESCENT))
    return found


def expected_awc(awc_ids: set[int], month: date) -> tuple[dict[int, dict], dict[tuple[int, str], dict]]:
    on = figures_day(month, TODAY)
    end = add_months(month, 1) - timedelta(days=1)
    served = _served(awc_ids, on, month)
    persons = {b.pk: b for b in Beneficiary.objects.select_related("awc")}
    pregnancies = defaultdict(list)
    for p in Pregnancy.objects.all():
        pregnancies[p.woman_id].append(p)
    area, nutrition = {}, {}
    for awc in awc_ids:
        cats = {pk: _categories(persons[pk], on, pregnancies) for pk in served[awc]}
        enrolled = {pk for pk, c in cats.items() if c}
        count = lambda category: sum(1 for c in cats.values() if str(category) in c)  # noqa: E731
        days = [d for d in AwcDay.objects.filter(awc_id=awc, opened=True) if month <= d.date <= end]
        rows = [r for r in Attendance.objects.filter(awc_id=awc) if month <= r.date <= end]
        meals = defaultdict(int)
        for r in rows:
            meals[r.child_id] += r.hcm
        area[awc] = {
            "beneficiaries": len(enrolled), "pregnant": count(Category.PREGNANT),
            "lactating": count(Category.LACTATING), "child_0_6m": count(Category.CHILD_0_6M),
            "child_6m_3y": count(Category.CHILD_6M_3Y), "child_3_6y": count(Category.CHILD_3_6Y),
            "preschool": count(Category.CHILD_3_6Y), "adolescent": count(Category.ADOLESCENT),
            "aadhaar_seeded": sum(1 for pk in enrolled if persons[pk].aadhaar_index or persons[pk].aadhaar_guardian_id),
            "days_open": len(days), "attendance_total": len(rows),
            "attendance_days": max(len(days), len({r.date for r in rows})),
            "hcm_21": sum(1 for n in meals.values() if n >= 21),
        }
        latest = {}
        for m in Measurement.objects.filter(awc_id=awc).order_by("date", "pk"):
            if month <= m.date <= end:
                latest[m.child_id] = m
        for pk in served[awc]:
            band = BANDS.get(lifestage.child_band(persons[pk].dob, on))
            if band is None:
                continue
            m = latest.get(pk)
            for key in ((awc, band), (awc, "")):
                row = nutrition.setdefault(key, defaultdict(int))
                row["children"] += 1
                if m is None:
                    continue
                row["weighed"] += 1
                row["height_measured"] += m.lenhei_cm is not None
                for name in ("underweight", "stunting", "wasting"):
                    row[f"{name}_n"] += getattr(m, name) >= Class.MODERATE
                    row[f"{name}_d"] += getattr(m, name) >= Class.NORMAL
                row["sam"] += m.acute == Class.SEVERE
                row["mam"] += m.acute == Class.MODERATE
    return area, nutrition


AREA_FIELDS = ("beneficiaries", "pregnant", "lactating", "child_0_6m", "child_6m_3y", "child_3_6y", "preschool",
               "adolescent", "aadhaar_seeded", "days_open", "attendance_total", "attendance_days", "hcm_21")
NUTRITION_FIELDS = ("children", "weighed", "height_measured", "underweight_n", "underweight_d", "stunting_n",
                    "stunting_d", "wasting_n", "wasting_d", "sam", "mam")


def _places(world):
    """(level, location or None, ids of its AWCs) for every place whose figures are checked."""
    awcs = [world.awc1, world.awc2, world.awc3, world.awc4, world.awc5, world.awc6]
    places = [(Level.AWC, a, {a.pk}) for a in awcs]
    for level in (Level.SECTOR, Level.PROJECT, Level.DISTRICT, Level.STATE):
        for loc in Location.objects.filter(level=level):
            places.append((level, loc, {a.pk for a in awcs if getattr(a, f"{level}_id") == loc.pk}))
    places.append((Level.NATION, None, {a.pk for a in awcs}))
    return places


@pytest.mark.parametrize("month", MONTHS, ids=lambda m: m.strftime("%Y-%m"))
def test_every_figure_at_every_level_matches_the_facts(facts, month):
    area, nutrition = expected_awc({a.pk for a in Location.objects.filter(level=Level.AWC)}, month)
    wrong = []
    for level, location, ids in _places(facts):
        row = AreaMonth.objects.get(month=month, level=level, location=location)
        for name in AREA_FIELDS:
            want = sum(area[i][name] for i in ids)
            if getattr(row, name) != want:
                wrong.append(f"{level} {location} {name}: {getattr(row, name)} != {want}")
        for band in ("", *BANDS.values()):
            got = NutritionMonth.objects.filter(month=month, level=level, location=location, sex="", band=band).first()
            for name in NUTRITION_FIELDS:
                want = sum(nutrition.get((i, band), {}).get(name, 0) for i in ids)
                have = getattr(got, name) if got else 0
                if have != want:
                    wrong.append(f"{level} {location} band={band or 'all'} {name}: {have} != {want}")
    assert not wrong, "\n".join(wrong)


def test_the_world_has_figures_worth_checking(facts):
    """The checks above compare real numbers: past months have people, weighings, SAM, meals, a backfilled child."""
    district = {m: AreaMonth.objects.get(month=m, level=Level.DISTRICT, location=facts.district1) for m in MONTHS}
    growth = {m: NutritionMonth.objects.get(month=m, level=Level.DISTRICT, location=facts.district1, sex="", band="")
              for m in MONTHS}
    assert [district[m].beneficiaries for m in MONTHS] == [4, 4, 6, 6, 7]
    assert [district[m].pregnant for m in MONTHS] == [1, 1, 1, 1, 1]
    assert district[MONTHS[2]].hcm_21 == 1 and district[MONTHS[2]].preschool == 2
    assert [growth[m].children for m in MONTHS] == [3, 3, 4, 4, 5]
    assert [growth[m].weighed for m in MONTHS] == [2, 2, 1, 3, 0]
    assert growth[MONTHS[0]].sam == 1
    awc2 = {m: AreaMonth.objects.get(month=m, level=Level.AWC, location=facts.awc2).beneficiaries for m in MONTHS}
    assert awc2 == {MONTHS[0]: 1, MONTHS[1]: 1, MONTHS[2]: 2, MONTHS[3]: 2, MONTHS[4]: 2}  # G from October
