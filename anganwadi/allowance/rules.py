"""The internet allowance's rule, in one place (pure: no database).

The programme pays ₹2,000 a year per AWC for internet data (settings.INTERNET_ALLOWANCE_PER_AWC_YEAR).
Each AWC's allowance goes to the one worker (AWW) who carries its phone; supervisors and
block coordinators (CDPO) carry a programme phone of their own and are paid at the same
rate. So the rule, per person:

- whoever is an AWW, a supervisor or a CDPO is entitled to the yearly rate per financial
  year (April–March);
- it is claimed by quarter of the financial year (Apr–Jun, Jul–Sep, Oct–Dec, Jan–Mar),
  pro rata by months: a quarter is 3 of 12 months, ₹500 at ₹2,000 a year;
- a quarter can be claimed once it has begun (data is bought ahead), never before, and for at most a year:
  the current quarter and the three before it (CLAIMABLE_QUARTERS);
- one claim and one payment per person per quarter.
"""
from __future__ import annotations

from datetime import date

from poshan.core.dates import add_months, last_of_month

ELIGIBLE_ROLES: tuple[str, ...] = ("aww", "supervisor", "cdpo")
MONTHS_PER_PERIOD = 3
QUARTER_STARTS = (4, 7, 10, 1)  # Q1..Q4 of the financial year
CLAIMABLE_QUARTERS = 4  # the current quarter and the three before it


def is_eligible(role: str) -> bool:
    return role in ELIGIBLE_ROLES


def entitlement(*, role: str, annual_rate: int, months: int = MONTHS_PER_PERIOD) -> int:
    """Whole rupees a person in `role` may claim for a period of `months` months (0 if not eligible)."""
    if not is_eligible(role) or months <= 0:
        return 0
    return annual_rate * min(months, 12) // 12


def quarter_start(day: date) -> date:
    """The first day of the financial-year quarter holding `day`."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def is_quarter_start(day: date) -> bool:
    return day.day == 1 and day.month in QUARTER_STARTS


def quarter_end(start: date) -> date:
    return last_of_month(add_months(start, 2))


def financial_year(start: date) -> str:
    """'2026-27' for any day from 1 April 2026 to 31 March 2027."""
    first = start.year if start.month >= 4 else start.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def quarter_number(start: date) -> int:
    return QUARTER_STARTS.index(quarter_start(start).month) + 1


def is_future(start: date, today: date) -> bool:
    return start > today


def oldest_claimable(today: date) -> date:
    """The first day of the oldest quarter that can still be claimed on `today`."""
    return previous_quarters(today, CLAIMABLE_QUARTERS)[-1]


def previous_quarters(today: date, count: int) -> list[date]:
    """The current quarter and the `count - 1` before it, newest first."""
    starts, current = [], quarter_start(today)
    for _ in range(count):
        starts.append(current)
        current = add_months(current, -3)
    return starts
