"""Register totals equal the dashboards' rollups for the same AWC and month (a hand-built month)."""
from __future__ import annotations

import pytest

from poshan.dashboards.models import AreaMonth, NutritionMonth
from poshan.registers.selectors import REGISTERS, sheet_for

from .conftest import MONTH, TODAY

AREA_FIELDS = ("pregnant", "lactating", "child_0_6m", "child_6m_3y", "child_3_6y", "adolescent", "beneficiaries",
               "aadhaar_seeded", "days_open", "preschool", "attendance_total", "attendance_days", "hcm_21",
               "home_visits", "visits_due", "visits_done", "thr_entitled", "thr_distributed", "thr_face", "thr_otp",
               "thr_nominee", "thr_override")
NUTRITION_FIELDS = ("children", "weighed", "height_measured", "underweight_n", "stunting_n", "wasting_n", "sam",
                    "mam")
REGISTER_FIELDS = {
    "survey": ("pregnant", "lactating", "child_0_6m", "child_6m_3y", "child_3_6y", "adolescent", "beneficiaries",
               "aadhaar_seeded"),
    "attendance": ("days_open", "preschool", "attendance_total", "attendance_days", "hcm_21"),
    "thr": ("thr_entitled", "thr_distributed", "thr_face", "thr_otp", "thr_nominee", "thr_override"),
    "growth": NUTRITION_FIELDS,
    "visits": ("home_visits", "visits_due", "visits_done"),
    "pregnancy": ("pregnant", "lactating"),
}


def _build(kind, user, awc):
    return REGISTERS[kind].build(sheet_for(user=user, awc=awc, month=MONTH, today=TODAY))


def _dashboard(awc) -> dict[str, int]:
    area = AreaMonth.objects.get(month=MONTH, level="awc", location=awc)
    nutrition = NutritionMonth.objects.get(month=MONTH, level="awc", location=awc, sex="", band="")
    return {**{f: getattr(area, f) for f in AREA_FIELDS}, **{f: getattr(nutrition, f) for f in NUTRITION_FIELDS}}


@pytest.mark.parametrize("awc_name", ["awc1", "awc2"])
def test_progress_report_equals_the_dashboard(world, users, month, awc_name):
    awc = getattr(world, awc_name)
    report = _build("progress", users.supervisor, awc)
    dashboard = _dashboard(awc)
    assert {key: report.figures[key] for key in dashboard} == dashboard


def test_hand_built_month_has_the_figures_counted_by_hand(world, users, month):
    figures = _build("progress", users.aww, world.awc1).figures
    assert (figures["beneficiaries"], figures["pregnant"], figures["lactating"], figures["aadhaar_seeded"]) == (
        5, 1, 1, 1)
    assert (figures["days_open"], figures["attendance_total"], figures["preschool"]) == (2, 2, 1)
    assert (figures["children"], figures["weighed"], figures["stunting_n"]) == (3, 2, 1)
    assert (figures["home_visits"], figures["visits_due"], figures["visits_done"]) == (1, 2, 1)
    assert (figures["thr_entitled"], figures["thr_distributed"], figures["thr_override"]) == (4, 1, 1)


@pytest.mark.parametrize("kind", sorted(REGISTER_FIELDS))
def test_each_register_adds_up_to_the_dashboard(world, users, month, kind):
    totals = _build(kind, users.aww, world.awc1).totals
    dashboard = _dashboard(world.awc1)
    assert {f: totals[f] for f in REGISTER_FIELDS[kind]} == {f: dashboard[f] for f in REGISTER_FIELDS[kind]}


def test_attendance_grid_rows_add_up_to_its_totals(world, users, month):
    register = _build("attendance", users.aww, world.awc1)
    assert sum(register.per_day) == register.totals["attendance_total"] == sum(r.present for r in register.rows)
    chotu = next(r for r in register.rows if r.label == "Chotu")
    assert chotu.cells[25:27] == ["M", "M"] and chotu.meals == 2


def test_thr_register_lists_every_entitled_person_and_the_hand_over(world, users, month):
    register = _build("thr", users.aww, world.awc1)
    received = [r for r in register.rows if r.packets]
    assert len(register.rows) == 4 and [r.label for r in received] == [month.p.name]
    assert received[0].verified_by == "Supervisor override"


def test_progress_report_costs_a_bounded_number_of_queries(world, users, month, django_assert_max_num_queries):
    sheet = sheet_for(user=users.aww, awc=world.awc1, month=MONTH, today=TODAY)
    with django_assert_max_num_queries(20):
        REGISTERS["progress"].build(sheet)
