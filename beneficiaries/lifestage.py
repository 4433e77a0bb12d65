"""Who is which kind of beneficiary on a given day — derived from dates only (no database).

Children: 0–6 months while younger than 183 days, 6 months–3 years until the 3rd
birthday, 3–6 years until the 6th birthday, when they leave the programme.
Women: pregnant from the LMP until delivery (EDD = LMP + 280 days); lactating for
the first 183 days after delivery (days 0–182). Adolescent girls: aged 14 to 18 — from the 14th birthday
until the 19th, when they leave — only where the AWC is in an aspirational district or the North-East.
"""
from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

SIX_MONTHS_DAYS = 183  # a child of 182 days is 0–6 months; of 183 days, 6 months–3 years
LACTATION_DAYS = 183   # lactating on days 0..182 after delivery
GESTATION_DAYS = 280   # EDD = LMP + 280
MAX_LMP_AGE_DAYS = 300  # an LMP older than this cannot be a current pregnancy
CHILD_EXIT_YEARS = 6
ADOLESCENT_FROM, ADOLESCENT_UNTIL = 14, 19  # "14–18 years": an 18-year-old is still in the scheme


class Category(models.TextChoices):
    PREGNANT = "pregnant", _("Pregnant woman")
    LACTATING = "lactating", _("Lactating mother")
    CHILD_0_6M = "child_0_6m", _("Child 0–6 months")
    CHILD_6M_3Y = "child_6m_3y", _("Child 6 months–3 years")
    CHILD_3_6Y = "child_3_6y", _("Child 3–6 years")
    ADOLESCENT = "adolescent", _("Adolescent girl 14–18")


CHILD_CATEGORIES = (Category.CHILD_0_6M, Category.CHILD_6M_3Y, Category.CHILD_3_6Y)


def birthday(dob: date, years: int) -> date:
    """The date of the `years`-th birthday (29 February → 1 March in common years)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return date(dob.year + years, 3, 1)


def years_before(on: date, years: int) -> date:
    """The latest date of birth that makes someone `years` old on `on`."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return date(on.year - years, 2, 28)


def age_in_years(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def age_in_months(dob: date, on: date) -> int:
    """Whole calendar months from `dob` to `on` (11 on the day before the first birthday)."""
    return (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)


AGE_MONTHS_UNTIL_YEARS = 2   # "20 months" until the second birthday
AGE_WITH_MONTHS_UNTIL_YEARS = CHILD_EXIT_YEARS  # "3 years, 4 months" while a child of the programme; then years


def age_text(dob: date, on: date) -> str:
    """A person's age in words of the active language, as every page shows it: days for a baby under a month,
    months until two years, years and months until six, then years ("28 years")."""
    if on < dob:
        return ""
    months = age_in_months(dob, on)
    if months < 1:
        days = (on - dob).days
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if months < AGE_MONTHS_UNTIL_YEARS * 12:
        return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    years, months = divmod(months, 12)
    in_years = ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    if years >= AGE_WITH_MONTHS_UNTIL_YEARS or not months:
        return in_years
    in_months = ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    return _("%(years)s, %(months)s") % {"years": in_years, "months": in_months}


def child_band(dob: date, on: date) -> str | None:
    """The child's age band on `on`, or None before birth and from the 6th birthday."""
    if on < dob or on >= birthday(dob, CHILD_EXIT_YEARS):
        return None
    if (on - dob).days < SIX_MONTHS_DAYS:
        return Category.CHILD_0_6M
    if on < birthday(dob, 3):
        return Category.CHILD_6M_3Y
    return Category.CHILD_3_6Y


def is_adolescent(dob: date, sex: str, on: date, *, awc_eligible: bool) -> bool:
    return (
        awc_eligible and sex == "F"
        and birthday(dob, ADOLESCENT_FROM) <= on < birthday(dob, ADOLESCENT_UNTIL)
    )


def edd(lmp: date) -> date:
    return lmp + timedelta(days=GESTATION_DAYS)


def trimester(lmp: date, on: date) -> int:
    """1, 2 or 3 by completed weeks since the LMP (<13, 13–27, ≥28 weeks)."""
    weeks = (on - lmp).days // 7
    return 1 if weeks < 13 else 2 if weeks < 28 else 3


def is_lactating(delivery_date: date, on: date) -> bool:
    return 0 <= (on - delivery_date).days < LACTATION_DAYS


def categories(*, dob: date | None, sex: str, on: date, awc_eligible: bool,
               pregnant: bool = False, last_delivery: date | None = None) -> list[str]:
    """Every category a person is in on `on` (a mother can be lactating and pregnant again)."""
    found = []
    if pregnant:
        found.append(Category.PREGNANT)
    if last_delivery is not None and is_lactating(last_delivery, on):
        found.append(Category.LACTATING)
    if dob is not None:
        band = child_band(dob, on)
        if band:
            found.append(band)
        if is_adolescent(dob, sex, on, awc_eligible=awc_eligible):
            found.append(Category.ADOLESCENT)
    return found
