"""The growth-monitoring register: each child's latest measurement of the month here, and who was not weighed.

Counted as the dashboards count: a child once, by the latest measurement of the month at this
AWC, in an age band on the sheet's day; a condition counts when moderate or severe.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, F, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from growth.models import Class, Measurement

from .common import CHILD_BANDS, Sheet, age_text, band_of, child_band_q, served

CLASS_TEXT = {Class.UNKNOWN: "", Class.NORMAL: "", Class.MODERATE: _("MOD"), Class.SEVERE: _("SEV")}
ACUTE_TEXT = {Class.SEVERE: _("SAM"), Class.MODERATE: _("MAM")}


@dataclass
class GrowthRow:
    label: str
    sex: str
    age: str
    measured_on: str
    weight_kg: str
    lenhei_cm: str
    muac_cm: str
    underweight: str
    stunting: str
    wasting: str
    acute: str
    in_band: bool


@dataclass
class GrowthRegister:
    rows: list[GrowthRow]
    not_weighed: list[str]
    totals: dict[str, int]


def _latest(sheet: Sheet):
    ranked = (Measurement.objects.filter(awc=sheet.awc, date__gte=sheet.start, date__lte=sheet.end)
              .annotate(rank=Window(RowNumber(), partition_by=[F("child_id")],
                                    order_by=[F("date").desc(), F("id").desc()])).filter(rank=1))
    bands = child_band_q("child__", sheet.on)
    band = Case(*[When(q, then=Value(name)) for name, q in bands.items()], default=Value(""),
                output_field=CharField())
    return (Measurement.objects.filter(pk__in=ranked.values("pk")).annotate(band=band)
            .select_related("child").order_by("child__name", "child_id"))


def build(sheet: Sheet) -> GrowthRegister:
    rows = []
    totals = dict.fromkeys(("children", "weighed", "height_measured", "underweight_n", "stunting_n", "wasting_n",
                            "sam", "mam"), 0)
    weighed_ids = set()
    for m in _latest(sheet):
        in_band = bool(m.band)
        rows.append(GrowthRow(
            label=sheet.person(m.child), sex=m.child.sex, age=age_text(m.child.dob, m.date),
            measured_on=m.date.strftime("%d-%m"), weight_kg=f"{m.weight_kg}",
            lenhei_cm=f"{m.lenhei_cm}" if m.lenhei_cm is not None else "",
            muac_cm=f"{m.muac_cm}" if m.muac_cm is not None else "",
            underweight=str(CLASS_TEXT[m.underweight]), stunting=str(CLASS_TEXT[m.stunting]),
            wasting=str(CLASS_TEXT[m.wasting]), acute=str(ACUTE_TEXT.get(m.acute, "")), in_band=in_band))
        if not in_band:
            continue
        weighed_ids.add(m.child_id)
        totals["weighed"] += 1
        totals["height_measured"] += m.lenhei_cm is not None
        totals["underweight_n"] += m.underweight >= Class.MODERATE
        totals["stunting_n"] += m.stunting >= Class.MODERATE
        totals["wasting_n"] += m.wasting >= Class.MODERATE
        totals["sam"] += m.acute == Class.SEVERE
        totals["mam"] += m.acute == Class.MODERATE
    not_weighed = []
    for child in served(sheet).order_by("name", "pk"):
        if band_of(child) in CHILD_BANDS:
            totals["children"] += 1
            if child.pk not in weighed_ids:
                not_weighed.append(sheet.person(child))
    return GrowthRegister(rows, not_weighed, totals)
