"""The monthly progress report: the totals of every register, section by section.

Each figure is added up from the register it summarises, so the report and its registers
agree; the tests check that both equal the dashboards' rollups for the same AWC and month.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from anganwadi.equipment.models import Condition, DeviceKind
from anganwadi.equipment.selectors import conditions_on

from . import attendance, growth, pregnancy, survey, thr, visits
from .common import Sheet


@dataclass
class Line:
    key: str
    label: str
    value: int | str


@dataclass
class ProgressReport:
    sections: list[tuple[str, list[Line]]]
    figures: dict[str, int]


SECTIONS = (
    (_("Beneficiaries"), (
        ("pregnant", _("Pregnant women")), ("lactating", _("Lactating mothers")),
        ("child_0_6m", _("Children 0–6 months")), ("child_6m_3y", _("Children 6 months–3 years")),
        ("child_3_6y", _("Children 3–6 years")), ("adolescent", _("Adolescent girls 14–18")),
        ("beneficiaries", _("All beneficiaries")), ("aadhaar_seeded", _("Aadhaar-seeded")),
        ("deliveries", _("Deliveries this month")))),
    (_("Centre services"), (
        ("days_open", _("Days the centre opened")), ("preschool", _("Children 3–6 enrolled")),
        ("attendance_total", _("Attendance (child-days)")), ("attendance_days", _("Days with attendance or open")),
        ("hcm_21", _("Children 3–6 with 21+ days of hot cooked meal")), ("meals_total", _("Hot cooked meals served")))),
    (_("Home visits"), (
        ("home_visits", _("Home visits made")), ("visits_due", _("Women due a visit")),
        ("visits_done", _("Women visited")))),
    (_("Take-home ration"), (
        ("thr_entitled", _("Entitled")), ("thr_distributed", _("Received")), ("packets", _("Packets handed over")),
        ("thr_face", _("Verified by face")), ("thr_otp", _("Verified by one-time code")),
        ("thr_nominee", _("Received by a nominee")), ("thr_override", _("By supervisor override")))),
    (_("Growth monitoring"), (
        ("children", _("Children 0–6 years")), ("weighed", _("Weighed")), ("height_measured", _("Height measured")),
        ("underweight_n", _("Underweight (moderate + severe)")), ("stunting_n", _("Stunted (moderate + severe)")),
        ("wasting_n", _("Wasted (moderate + severe)")), ("sam", _("SAM")), ("mam", _("MAM")))),
)


def build(sheet: Sheet) -> ProgressReport:
    figures: dict[str, int] = {}
    for module in (survey, attendance, thr, growth, visits, pregnancy):
        figures.update(module.build(sheet).totals)
    sections = [(str(title), [Line(key, str(label), figures[key]) for key, label in lines])
                for title, lines in SECTIONS]
    devices = conditions_on([sheet.awc.pk], sheet.on).get(sheet.awc.pk, {})
    sections.append((str(_("Equipment")), [
        Line(kind, str(label), str(Condition(devices[kind]).label) if kind in devices else str(_("none recorded")))
        for kind, label in DeviceKind.choices]))
    return ProgressReport(sections, figures)
