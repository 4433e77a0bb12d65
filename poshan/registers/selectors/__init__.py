"""One selector per register: each builds, for one AWC and month, the rows the worker used to write by hand."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import attendance, growth, pregnancy, progress, survey, thr, visits
from .common import Sheet, month_of, sheet_for


@dataclass(frozen=True)
class Register:
    key: str
    label: str
    build: Callable[[Sheet], object]
    template: str
    landscape: bool = False


REGISTERS: dict[str, Register] = {r.key: r for r in (
    Register("survey", _("Survey / household register"), survey.build, "registers/survey.html"),
    Register("attendance", _("Attendance and hot cooked meal register"), attendance.build,
             "registers/attendance.html", landscape=True),
    Register("thr", _("Take-home ration register"), thr.build, "registers/thr.html"),
    Register("growth", _("Growth-monitoring register"), growth.build, "registers/growth.html", landscape=True),
    Register("visits", _("Home-visit register"), visits.build, "registers/visits.html"),
    Register("pregnancy", _("Pregnancy and delivery register"), pregnancy.build, "registers/pregnancy.html"),
    Register("progress", _("Monthly progress report"), progress.build, "registers/progress.html"),
)}

__all__ = ["REGISTERS", "Register", "Sheet", "month_of", "sheet_for"]
