"""The nightly life-stage rules: from a person's dates, which changes are due on a night (pure, no database).

The categories themselves are derived from dates (lifestage.py); these rules name the moments when a person
leaves one, so the night can record each change once, tell the worker, and let a supervisor reverse it:

- aged_out: a child reaching 6 leaves the 3–6 services (the exit is written, reason "aged out");
- pregnancy_overdue: a pregnancy past its expected date without a delivery record: the worker records the
  delivery or the outcome (the flag clears with the record, or a supervisor dismisses it);
- lactation_ended: a mother stops being lactating LACTATION_DAYS (6 months) after delivery;
- adolescence_ended: a girl of an aspirational or North-East centre leaves the adolescent girls' scheme on the
  birthday lifestage.ADOLESCENT_UNTIL.

Each change is keyed by (person, kind, effective date): re-running a night, or the next night, finds the same
key and writes nothing. A change whose date passed more than CATCH_UP_DAYS ago is not announced any more (a
missed night is caught up; a mother who delivered years ago is not news).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import lifestage

AGED_OUT = "aged_out"
PREGNANCY_OVERDUE = "pregnancy_overdue"
LACTATION_ENDED = "lactation_ended"
ADOLESCENCE_ENDED = "adolescence_ended"
KINDS = (AGED_OUT, PREGNANCY_OVERDUE, LACTATION_ENDED, ADOLESCENCE_ENDED)

CATCH_UP_DAYS = 31
AGE_OUT_UPPER_YEARS = 10  # children 6–10 without an exit leave; older people were never children of the system


@dataclass(frozen=True)
class PersonFacts:
    id: int
    dob: date
    sex: str
    awc_eligible: bool  # the centre is in an aspirational district or the North-East
    exited: bool = False  # left the programme for a reason other than reaching 6
    aged_out: bool = False  # already left at 6
    ongoing_lmp: date | None = None  # the pregnancy without a delivery record, if any
    ongoing_edd: date | None = None
    last_delivery: date | None = None


@dataclass(frozen=True)
class Change:
    person_id: int
    kind: str
    effective_on: date


def _recent(day: date, on: date) -> bool:
    return on - timedelta(days=CATCH_UP_DAYS) < day <= on


def expected_date(lmp: date | None, edd: date | None) -> date | None:
    if edd is not None:
        return edd
    return lifestage.edd(lmp) if lmp is not None else None


def changes(person: PersonFacts, on: date) -> list[Change]:
    """The life-stage changes due for `person` on the night of `on` (each with the day it took effect)."""
    if person.exited:
        return []
    found: list[Change] = []
    sixth = lifestage.birthday(person.dob, lifestage.CHILD_EXIT_YEARS)
    if not person.aged_out and sixth <= on < lifestage.birthday(person.dob, AGE_OUT_UPPER_YEARS):
        found.append(Change(person.id, AGED_OUT, sixth))
    expected = expected_date(person.ongoing_lmp, person.ongoing_edd)
    if expected is not None and expected < on:
        found.append(Change(person.id, PREGNANCY_OVERDUE, expected + timedelta(days=1)))
    if person.last_delivery is not None:
        ended = person.last_delivery + timedelta(days=lifestage.LACTATION_DAYS)
        if _recent(ended, on):
            found.append(Change(person.id, LACTATION_ENDED, ended))
    if person.awc_eligible and person.sex == "F":
        left = lifestage.birthday(person.dob, lifestage.ADOLESCENT_UNTIL)
        if _recent(left, on):
            found.append(Change(person.id, ADOLESCENCE_ENDED, left))
    return found


def evaluate(people, on: date) -> list[Change]:
    return [change for person in people for change in changes(person, on)]
