"""The pregnancy and delivery register: women pregnant on the sheet's day, and mothers who delivered."""
from __future__ import annotations

from dataclasses import dataclass

from beneficiaries.lifestage import Category, edd, trimester
from beneficiaries.models import Pregnancy

from .common import Sheet, age_text, served


@dataclass
class PregnantRow:
    label: str
    age: str
    lmp: str
    edd: str
    trimester: int
    last_visit: str


@dataclass
class DeliveryRow:
    label: str
    delivered_on: str
    outcome: str
    this_month: bool


@dataclass
class PregnancyRegister:
    pregnant: list[PregnantRow]
    deliveries: list[DeliveryRow]
    totals: dict[str, int]


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def build(sheet: Sheet) -> PregnancyRegister:
    on = sheet.on
    women = list(served(sheet).filter(**{f"is_{Category.PREGNANT}": True}).order_by("name", "pk"))
    mothers = list(served(sheet).filter(**{f"is_{Category.LACTATING}": True}).order_by("name", "pk"))
    ongoing = {p.woman_id: p for p in Pregnancy.objects.filter(woman__in=women, delivery_date__isnull=True,
                                                              lmp__lte=on).order_by("lmp")}
    latest = {}
    for p in Pregnancy.objects.filter(woman__in=mothers, delivery_date__lte=on).order_by("delivery_date", "pk"):
        latest[p.woman_id] = p  # the last delivery wins
    pregnant_rows = []
    for woman in women:
        p = ongoing.get(woman.pk)
        pregnant_rows.append(PregnantRow(
            sheet.person(woman), age_text(woman.dob, on), _date(p.lmp if p else None),
            _date((p.edd or edd(p.lmp)) if p and p.lmp else None), trimester(p.lmp, on) if p and p.lmp else 0,
            _date(woman.last_visited_on)))
    delivery_rows = []
    for mother in mothers:
        p = latest.get(mother.pk)
        delivered = p.delivery_date if p else None
        delivery_rows.append(DeliveryRow(sheet.person(mother), _date(delivered),
                                         p.get_outcome_display() if p else "",
                                         bool(delivered and sheet.start <= delivered <= sheet.end)))
    totals = {"pregnant": len(pregnant_rows), "lactating": len(delivery_rows),
              "deliveries": sum(1 for row in delivery_rows if row.this_month)}
    return PregnancyRegister(pregnant_rows, delivery_rows, totals)
