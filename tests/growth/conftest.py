"""Growth fixtures: children at the `world`'s centres and measurements recorded through the service."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine


TODAY = date(2026, 11, 27)  # a Friday after the 16th: "not weighed this month" is checked


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def days_ago(n: int, *, today: date = TODAY) -> date:
    return today - timedelta(days=n)


@pytest.fixture
def make_child(db):
    """A child registered at `awc`, born `age_days` before TODAY (or on `dob`)."""
    from beneficiaries.models import Beneficiary, Household

    counter = iter(range(1, 10_000))

    def make(awc, *, age_days: int = 400, dob: date | None = None, sex: str = "F", name: str | None = None,
             **extra) -> Beneficiary:
        n = next(counter)
        household = Household.objects.create(awc=awc, head_name=f"Head {n}")
        return Beneficiary.objects.create(awc=awc, household=household, name=name or f"Child {n}", sex=sex,
                                          dob=dob or days_ago(age_days), **extra)

    return make


@pytest.fixture
def measure(users):
    """Record a measurement as the AWW (keyword arguments as the service's)."""

    from growth import services

    def record(child, *, on: date, weight: str | float, lenhei: str | float | None = None,
               how: str = "", muac: str | float | None = None, oedema: bool = False, actor=None, **extra):
        measurement, _created = services.measurement_record(
            actor=actor or users.aww, child=child, date=on, weight_kg=Decimal(str(weight)),
            lenhei_cm=None if lenhei is None else Decimal(str(lenhei)),
            measure=how or ("" if lenhei is None else "l"), muac_cm=None if muac is None else Decimal(str(muac)),
            oedema=oedema, **extra,
        )
        return measurement

    return record
