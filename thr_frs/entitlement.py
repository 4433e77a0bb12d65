"""Who is entitled to Take-Home Ration, and how many packets a month (pure, no database)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from beneficiaries.lifestage import Category, age_in_years, child_band
from poshan.core.dates import first_of_month, last_of_month

# Packets per month by category (state norms vary: change here). Someone in two
# categories (pregnant again while lactating) gets one ration: the larger.
PACKETS_PREGNANT = 4
PACKETS_LACTATING = 4
PACKETS_CHILD_6M_3Y = 3
PACKETS_ADOLESCENT = 4
PACKETS_PER_MONTH: dict[str, int] = {
    Category.PREGNANT: PACKETS_PREGNANT,
    Category.LACTATING: PACKETS_LACTATING,
    Category.CHILD_6M_3Y: PACKETS_CHILD_6M_3Y,
    Category.ADOLESCENT: PACKETS_ADOLESCENT,
}
ENTITLED_CATEGORIES: tuple[str, ...] = tuple(PACKETS_PER_MONTH)
# Augmented ration: a child 6 months–3 years under treatment for SAM, MAM or severe underweight (an open
# malnutrition case; beneficiaries.signals.under_treatment tells) gets this many packets a month instead.
PACKETS_UNDER_TREATMENT = 6
ADULT_YEARS = 18  # guardians and nominees


def packets_for(categories: Iterable[str], *, under_treatment: bool = False) -> int:
    """Packets this month for someone in `categories` (0: not entitled); more while under treatment."""
    categories = list(categories)
    packets = max((PACKETS_PER_MONTH.get(c, 0) for c in categories), default=0)
    if under_treatment and Category.CHILD_6M_3Y in categories:
        packets = max(packets, PACKETS_UNDER_TREATMENT)
    return packets


def reference_day(month: date, today: date) -> date:
    """The day whose categories decide a month's entitlement: its last day, or today for the current month."""
    return min(last_of_month(month), today)


def needs_guardian_face(dob: date, on: date) -> bool:
    """Children under 6 are verified against a parent's or guardian's face, as the programme does."""
    return child_band(dob, on) is not None


def is_adult(dob: date, on: date) -> bool:
    return age_in_years(dob, on) >= ADULT_YEARS
