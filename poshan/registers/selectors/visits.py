"""The home-visit register: each visit of the month, and the women due a visit (pregnant or lactating)."""
from __future__ import annotations

from dataclasses import dataclass

from beneficiaries.lifestage import Category
from beneficiaries.models import Beneficiary, HomeVisit
from beneficiaries.selectors import category_q, pregnant_or_lactating_q, present_q

from .common import Sheet


@dataclass
class VisitRow:
    day: str
    label: str
    purpose: str
    topic: str


@dataclass
class DueRow:
    label: str
    why: str
    visited: bool


@dataclass
class VisitsRegister:
    visits: list[VisitRow]
    due: list[DueRow]
    totals: dict[str, int]


def build(sheet: Sheet) -> VisitsRegister:
    """Due as the dashboards count it: women of this centre pregnant or lactating on the month's last day."""
    visits = list(HomeVisit.objects.filter(awc=sheet.awc, date__gte=sheet.start, date__lte=sheet.end)
                  .select_related("beneficiary").order_by("date", "pk"))
    visited = {v.beneficiary_id for v in visits}
    end = sheet.end
    pregnant = category_q(Category.PREGNANT, end)
    women = (Beneficiary.objects.filter(awc=sheet.awc).filter(present_q(end))
             .filter(pregnant_or_lactating_q(end)).order_by("name", "pk"))
    pregnant_ids = set(women.filter(pregnant).values_list("pk", flat=True))
    due = [DueRow(sheet.person(w), str(Category.PREGNANT.label if w.pk in pregnant_ids else Category.LACTATING.label),
                  w.pk in visited) for w in women]
    rows = [VisitRow(v.date.strftime("%d-%m-%Y"), sheet.person(v.beneficiary), v.get_purpose_display(),
                     v.get_topic_display() if v.topic else "") for v in visits]
    totals = {"home_visits": len(rows), "visits_due": len(due), "visits_done": sum(1 for d in due if d.visited)}
    return VisitsRegister(rows, due, totals)
