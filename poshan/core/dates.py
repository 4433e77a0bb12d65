"""Dates every app shares: which days a daily entry may be made for (today, or a few days back with a reason),
and month arithmetic."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def check_service_date(day: date, *, backdate_reason: str = "", field: str = "date") -> None:
    """Refuse future days and days beyond the back-dating window; a late entry needs its reason."""
    today = timezone.localdate()
    window = settings.BACKDATE_DAYS
    if day > today:
        raise ValidationError({field: _("This date is in the future.")})
    if day < today - timedelta(days=window):
        raise ValidationError({field: _("Entries more than %(n)s days old cannot be made; ask your supervisor.")
                               % {"n": window}})
    if day < today and not backdate_reason.strip():
        raise ValidationError({"backdate_reason": _("Say why this is entered late.")})


def day_start(on: date) -> datetime:
    """The first instant of a day in the portal's time zone (aware): `at >= day_start(d)` compares stored times
    as they are, so an index on them serves it (a local-date cast of every row does not)."""
    return timezone.make_aware(datetime.combine(on, time.min))


def first_of_month(on: date) -> date:
    return on.replace(day=1)


def last_of_month(on: date) -> date:
    nxt = (on.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def add_months(month: date, delta: int) -> date:
    """The first of the month `delta` months after (or before, if negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)
