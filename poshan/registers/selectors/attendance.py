"""The attendance and hot-cooked-meal register: children of 3–6 by day, the days the centre opened."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import pgettext

from anganwadi.models import AwcDay
from beneficiaries.lifestage import Category
from beneficiaries.models import Attendance, Beneficiary
from beneficiaries.selectors import HCM_FULL_MONTH_DAYS

from .common import Sheet, served



@dataclass
class ChildRow:
    label: str
    cells: list[str]
    present: int
    meals: int

    @property
    def full_month_meals(self) -> bool:
        return self.meals >= HCM_FULL_MONTH_DAYS


@dataclass
class AttendanceRegister:
    days: list[date]
    open_days: set[date]
    rows: list[ChildRow]
    per_day: list[int]
    totals: dict[str, int]


def build(sheet: Sheet) -> AttendanceRegister:
    """Rows: the 3–6 year-olds served on the sheet's day, and any other child marked present here this month."""
    present, meal = pgettext("attendance mark", "P"), pgettext("attendance mark: present and fed", "M")
    marks = defaultdict(dict)
    rows = Attendance.objects.filter(awc=sheet.awc, date__gte=sheet.start, date__lte=sheet.end)
    for child_id, day, hcm in rows.values_list("child_id", "date", "hcm"):
        marks[child_id][day] = meal if hcm else present
    enrolled = set(served(sheet).filter(**{f"is_{Category.CHILD_3_6Y}": True}).values_list("pk", flat=True))
    children = Beneficiary.objects.filter(pk__in=enrolled | set(marks)).only("pk", "name", "pseudonym").order_by(
        "name", "pk")
    open_days = set(AwcDay.objects.filter(awc=sheet.awc, opened=True, date__gte=sheet.start, date__lte=sheet.end)
                    .values_list("date", flat=True))
    days = sheet.days
    per_day = [0] * len(days)
    child_rows = []
    for child in children:
        row_marks = marks.get(child.pk, {})
        cells = [row_marks.get(day, "") for day in days]
        for index, cell in enumerate(cells):
            per_day[index] += bool(cell)
        child_rows.append(ChildRow(sheet.person(child), cells, len(row_marks),
                                   sum(1 for cell in cells if cell == meal)))
    total = sum(row.present for row in child_rows)
    days_with_attendance = sum(1 for n in per_day if n)
    totals = {
        "preschool": len(enrolled),
        "days_open": len(open_days),
        "attendance_total": total,
        "attendance_days": max(len(open_days), days_with_attendance),
        "hcm_21": sum(1 for row in child_rows if row.full_month_meals),
        "meals_total": sum(row.meals for row in child_rows),
    }
    return AttendanceRegister(days, open_days, child_rows, per_day, totals)
