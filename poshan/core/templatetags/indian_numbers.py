"""Figures for people: grouped the Indian way (12,34,567) and, where they are big, in lakh and crore.

`{{ n|indian }}` groups by the language's format (poshan/formats/india.py: NUMBER_GROUPING = (3, 2, 0));
`{{ n|lakh_crore }}` reads 12.3 lakh / 1.2 crore in the reader's language and leaves figures below a lakh as
they are (grouped). Neither is for what a machine reads: form inputs, exports and the API keep plain numbers.
"""
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

register = template.Library()

LAKH = 100_000
CRORE = 10_000_000
NONE = "—"


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _trimmed(value: float) -> str:
    """One decimal, grouped, without a trailing ".0" (5 lakh, 12.3 lakh)."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, decimal_pos=1, force_grouping=True)


@register.filter
def indian(value):
    """1234567 → 12,34,567 (in every language of the portal); None → —."""
    number = _number(value)
    if number is None:
        return NONE if value in (None, "") else value
    if isinstance(number, float) and number == int(number):
        number = int(number)  # a count kept as a float (the dashboard's values): 12,34,567, not 12,34,567.0
    return number_format(number, force_grouping=True)


@register.filter
def lakh_crore(value):
    """1234567 → 12.3 lakh, 12345678 → 1.2 crore (translated); below a lakh, the figure grouped."""
    number = _number(value)
    if number is None:
        return NONE if value in (None, "") else value
    size = abs(float(number))
    if size >= CRORE or round(size / LAKH, 1) >= 100:
        return gettext("%(number)s crore") % {"number": _trimmed(float(number) / CRORE)}
    if size >= LAKH:
        return gettext("%(number)s lakh") % {"number": _trimmed(float(number) / LAKH)}
    if isinstance(number, float) and number == int(number):
        number = int(number)
    return number_format(number, force_grouping=True)
