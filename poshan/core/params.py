"""The one strict reader of query parameters, form values and request bodies.

A value that is present but unreadable — not a number, a month past the calendar the programme can run in, a
choice that is not offered, a body of the wrong shape — raises BadParameter. The middleware
(poshan.core.middleware.BadParameterMiddleware) answers it with a 400 page naming the parameter; the API's
exception handler (poshan.core.api) with a 400 JSON body {name: [message]}. Never a 500, never a silent guess.
An absent or empty value gives the caller's default.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # PostgreSQL's bigint (and SQLite's INTEGER)
# The calendar a query may ask about: months and days the programme's records can be in. Far enough back for any
# date of birth of a living mother, far enough ahead for an expected delivery; never the ends of Python's calendar
# (date(9999, 12, 31) + one day overflows; year 1 has no month before it).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
MAX_INT = 2**31 - 1

_DIGITS = re.compile(r"[0-9]+")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
REQUIRED = object()


class BadParameter(Exception):
    """A parameter that was sent but cannot be read; `message` is translated, for the person who sent it."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def _absent(name: str, default):
    if default is REQUIRED:
        raise BadParameter(name, _("“%(name)s” is missing.") % {"name": name})
    return default


def parse_id(raw) -> int | None:
    """A positive database id written in plain digits, else None (for optional filters that ignore junk).

    Not str.isdigit() alone: it accepts "²", which int() refuses, and a number past the database's integer range
    would make the query itself fail.
    """
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def require_id(raw, *, name: str) -> int:
    """A positive database id, else BadParameter (the id a form posts to act on)."""
    value = parse_id(_text(raw))
    if value is None:
        raise BadParameter(name, _("“%(name)s” must be a number.") % {"name": name})
    return value


def parse_int(raw, *, name: str, default=None, min_value: int = 0, max_value: int = MAX_INT):
    """A whole number in [min_value, max_value] written in ASCII digits (an optional leading minus)."""
    text = _text(raw)
    if not text:
        return _absent(name, default)
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not _DIGITS.fullmatch(digits) or len(digits) > 19:
        raise BadParameter(name, _("“%(name)s” must be a number.") % {"name": name})
    value = -int(digits) if negative else int(digits)
    if not min_value <= value <= max_value:
        raise BadParameter(name, _("“%(name)s” must be a number from %(min)s to %(max)s.")
                           % {"name": name, "min": min_value, "max": max_value})
    return value


def _in_range(name: str, value: date, earliest: date, latest: date, shown: str) -> date:
    if not earliest <= value <= latest:
        raise BadParameter(name, _("“%(name)s” must be between %(first)s and %(last)s.")
                           % {"name": name, "first": earliest.strftime(shown), "last": latest.strftime(shown)})
    return value


def month_value(year: int, month: int, *, name: str = "month", earliest: date = FIRST_DAY,
                latest: date = LAST_DAY) -> date:
    """The first day of (year, month), refused outside the calendar the programme runs in."""
    try:
        value = date(year, month, 1)
    except (ValueError, OverflowError):
        raise BadParameter(name, _("“%(name)s” must be a month like 2026-11.") % {"name": name}) from None
    return _in_range(name, value, earliest.replace(day=1), latest, "%Y-%m")


def parse_month(raw, *, name: str = "month", default=None, earliest: date = FIRST_DAY,
                latest: date = LAST_DAY):
    """`YYYY-MM` → the month's first day (a `date` is taken as its month)."""
    if isinstance(raw, date):
        return month_value(raw.year, raw.month, name=name, earliest=earliest, latest=latest)
    text = _text(raw)
    if not text:
        return _absent(name, default)
    match = _MONTH.fullmatch(text)
    if match is None:
        raise BadParameter(name, _("“%(name)s” must be a month like 2026-11.") % {"name": name})
    return month_value(int(match[1]), int(match[2]), name=name, earliest=earliest, latest=latest)


def parse_date(raw, *, name: str = "date", default=None, earliest: date = FIRST_DAY, latest: date = LAST_DAY):
    """`YYYY-MM-DD` → a date in [earliest, latest] (a `date` is only range-checked)."""
    if isinstance(raw, date):
        return _in_range(name, raw, earliest, latest, "%Y-%m-%d")
    text = _text(raw)
    if not text:
        return _absent(name, default)
    match = _DATE.fullmatch(text)
    try:
        value = date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(name, _("“%(name)s” must be a date like 2026-11-09.") % {"name": name})
    return _in_range(name, value, earliest, latest, "%Y-%m-%d")


def parse_choice(raw, *, name: str, choices: Iterable[str], default=""):
    """One of `choices` exactly; empty gives `default`."""
    text = _text(raw)
    if not text:
        return _absent(name, default)
    if text not in set(choices):
        raise BadParameter(name, _("“%(name)s” is not one of the choices offered.") % {"name": name})
    return text


def plausible_day(value: date) -> None:
    """Form-field validator: a date inside the programme's calendar (the same bounds as parse_date)."""
    try:
        parse_date(value, name="date")
    except BadParameter as exc:
        raise ValidationError(_("Give a date between %(first)s and %(last)s.")
                              % {"first": FIRST_DAY.strftime("%d/%m/%Y"), "last": LAST_DAY.strftime("%d/%m/%Y")},
                              code="implausible") from exc


class DayField(forms.DateField):
    """A form's date refused outside the programme's calendar (0001-01-01 once overflowed the pages after it)."""

    default_validators = [plausible_day]


def parse_batch(body) -> list:
    """An offline phone's queue: a list of submission objects, or {"items": [...]}."""
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise BadParameter("items", _("Send a list of submissions, or an object with a list under “items”."))
    return items  # an item that is not an object is answered "rejected" on its own, like any other bad item
