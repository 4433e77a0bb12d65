"""Words for the due list's items (schedules.py names them by kind and step)."""
from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import schedules

register = template.Library()


def _kinds() -> dict:
    return {
        schedules.PREGNANCY_VISIT: _("Home visit in pregnancy"),
        schedules.NEWBORN_VISIT: _("Newborn care home visit"),
        schedules.WEIGHING: _("Weighing this month"),
        schedules.HEIGHT: _("Height (every 3 months)"),
        schedules.THR: _("Take-home ration this month"),
        schedules.IMMUNISATION: _("Vaccination due: remind the family"),
        schedules.FACE_REFRESH: _("New photo of the face for the ration (a young face changes)"),
    }


def _steps() -> dict:
    return {
        "window_1": _("first trimester"), "window_2": _("second trimester"),
        "window_3": _("weeks 28–31"), "window_4": _("weeks 32–35"), "window_5": _("week 36 to delivery"),
        "birth": _("birth doses"), "6_weeks": _("6 weeks"), "10_weeks": _("10 weeks"), "14_weeks": _("14 weeks"),
        "9_months": _("9 months"), "16_months": _("16–24 months"), "5_years": _("5 years"),
    }


@register.filter
def due_label(item) -> str:
    label = _kinds().get(item.kind, item.kind)
    step = item.step
    if step.startswith("day_"):
        words = _("day %(n)s after birth") % {"n": step[4:]}
    else:
        words = _steps().get(step, "")
    return f"{label} ({words})" if words else label


@register.filter
def missed_text(item) -> str:
    if not item.missed:
        return ""
    return ngettext("%(n)s missed, rolled over", "%(n)s missed, rolled over", item.missed) % {"n": item.missed}
