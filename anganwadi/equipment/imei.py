"""IMEI numbers: 15 digits, the last a Luhn check digit (pure, no Django)."""
from __future__ import annotations

IMEI_LENGTH = 15


def normalise(raw: str | None) -> str:
    """Drop the spaces, dashes and slashes people type between the digit groups."""
    return "".join(ch for ch in (raw or "") if ch not in " -/.")


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body` + digit pass the Luhn check."""
    total = 0
    for position, ch in enumerate(reversed(body)):
        digit = int(ch)
        if position % 2 == 0:  # every second digit from the right of the full number, i.e. these
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    if not (number.isascii() and number.isdigit()) or len(number) < 2:
        return False
    return luhn_check_digit(number[:-1]) == number[-1]


def imei_problem(raw: str | None) -> str | None:
    """None when `raw` is a valid IMEI; otherwise which rule it breaks: "digits", "length" or "check"."""
    number = normalise(raw)
    if not (number.isascii() and number.isdigit()):
        return "digits"
    if len(number) != IMEI_LENGTH:
        return "length"
    if not luhn_valid(number):
        return "check"
    return None


def is_valid_imei(raw: str | None) -> bool:
    return imei_problem(raw) is None
