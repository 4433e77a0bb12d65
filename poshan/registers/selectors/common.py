"""What every register shares: the AWC and month it is about, who is served, and how a person is named.

A month's registers describe the same day as the dashboards' rollups: the month's last day,
or today for the current month (poshan.dashboards.rollups.collect.figures_day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from anganwadi.models import Location
from beneficiaries.lifestage import Category, age_in_months
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import REGISTER_CATEGORIES, category_q, members_on, present_q
from poshan.core.params import BadParameter, month_value
from poshan.core.roles import NAME_ROLES
from poshan.dashboards.rollups.collect import figures_day, month_end

PSEUDONYM_CHARS = 8
CHILD_BANDS = (Category.CHILD_0_6M, Category.CHILD_6M_3Y, Category.CHILD_3_6Y)
SEEDED = Q(aadhaar_index__isnull=False) | Q(aadhaar_guardian__isnull=False)


@dataclass(frozen=True)
class Sheet:
    """One register's request: which AWC, which month, as of which day, and whether names may be shown."""

    awc: Location
    month: date
    today: date
    show_names: bool

    @property
    def start(self) -> date:
        return self.month.replace(day=1)

    @property
    def end(self) -> date:
        return month_end(self.month)

    @property
    def on(self) -> date:
        return figures_day(self.month, self.today)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def person(self, person: Beneficiary) -> str:
        """The name for the centre and her supervisor; a pseudonymous id further up."""
        if self.show_names:
            return person.name
        return _("ID %(id)s") % {"id": person.pseudonym.hex[:PSEUDONYM_CHARS]}


def sheet_for(*, user, awc: Location, month: date, today: date) -> Sheet:
    return Sheet(awc=awc, month=month.replace(day=1), today=today, show_names=user.role in NAME_ROLES)


def flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def served(sheet: Sheet) -> QuerySet[Beneficiary]:
    """People the AWC served on the sheet's day (their membership then), still in the programme,
    each with a flag per category and whether they are Aadhaar-seeded: the dashboards' own filters."""
    on = sheet.on
    ids = members_on(awc_ids=[sheet.awc.pk], on=on).values("beneficiary_id")
    flags = {f"is_{c}": flag(category_q(c, on)) for c in REGISTER_CATEGORIES}
    return (Beneficiary.objects.filter(pk__in=ids).filter(present_q(on))
            .annotate(**flags, seeded=flag(SEEDED)))


def categories_of(person) -> list[str]:
    """Labels of the categories flagged on a row of `served`."""
    return [str(Category(c).label) for c in REGISTER_CATEGORIES if getattr(person, f"is_{c}", False)]


def band_of(person) -> str:
    for band in CHILD_BANDS:
        if getattr(person, f"is_{band}", False):
            return str(band)
    return ""


def age_text(dob: date, on: date) -> str:
    months = age_in_months(dob, on)
    if months < 0:
        return ""
    if months < 60:
        return _("%(m)s mo") % {"m": months}
    return _("%(y)s y") % {"y": months // 12}


def child_band_q(prefix: str, on: date) -> dict[str, Q]:
    """Band → filter on the date of birth reached through `prefix` (as the dashboards' nutrition rollup)."""
    result = {}
    for band in CHILD_BANDS:
        q = category_q(band, on)
        result[str(band)] = Q(**{f"{prefix}{key}": value for key, value in q.children})
    return result


def month_of(year: int, month: int, today: date) -> date | None:
    """The month asked for, or None when it is not a real month or lies in the future."""
    try:
        chosen = month_value(year, month)
    except BadParameter:
        return None
    return chosen if chosen <= today.replace(day=1) else None
