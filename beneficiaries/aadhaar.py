"""Aadhaar and mobile number checks (pure: no Django).

Aadhaar numbers are 12 digits, never start with 0 or 1, and end with a Verhoeff
check digit. Mobile numbers are Indian 10-digit numbers starting 6–9.
"""
from __future__ import annotations

import re
import unicodedata


def gettext_noop(message: str) -> str:
    """Marks a message for translation without importing Django; views translate it."""
    return message


# Verhoeff tables: multiplication in the dihedral group D5, permutation, inverse.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

AADHAAR_LENGTH = 12
_SEPARATORS = re.compile(r"[\s-]")
_MOBILE = re.compile(r"^[6-9][0-9]{9}$")


def _digits(raw: str) -> str:
    """Separators dropped and decimal digits of any script (a Hindi keyboard's ९८७) made ASCII; a character
    that only looks like a digit (a superscript ², which str.isdigit() accepts) is kept, so it is refused."""
    return "".join(str(d) if (d := unicodedata.decimal(ch, None)) is not None else ch
                   for ch in _SEPARATORS.sub("", raw or ""))


def verhoeff_valid(digits: str) -> bool:
    """True when the last digit is the Verhoeff check digit of the others."""
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(char)]]
    return check == 0


def verhoeff_check_digit(digits: str) -> str:
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _D[check][_P[(position + 1) % 8][int(char)]]
    return str(_INV[check])


class InvalidNumber(ValueError):
    """The number is malformed; the message says how, in plain words."""


def normalize_aadhaar(raw: str) -> str:
    """Return the 12 digits, or raise InvalidNumber with a worker-friendly message."""
    digits = _digits(raw)
    if not (digits.isascii() and digits.isdigit()) or len(digits) != AADHAAR_LENGTH:
        raise InvalidNumber(gettext_noop("An Aadhaar number has exactly 12 digits."))
    if digits[0] in "01":
        raise InvalidNumber(gettext_noop("An Aadhaar number never starts with 0 or 1."))
    if not verhoeff_valid(digits):
        raise InvalidNumber(gettext_noop("This Aadhaar number is not valid: please check each digit again."))
    return digits


def normalize_mobile(raw: str) -> str:
    """Return the 10-digit mobile number (dropping +91 / 0 prefixes) or raise InvalidNumber."""
    digits = _digits(raw)
    if digits.startswith("+91"):
        digits = digits[3:]
    elif digits.startswith("91") and len(digits) == 12:
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 11:
        digits = digits[1:]
    if not _MOBILE.match(digits):
        raise InvalidNumber(gettext_noop("A mobile number has 10 digits and starts with 6, 7, 8 or 9."))
    return digits
