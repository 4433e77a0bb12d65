"""What is due for a person and when, from her dates (pure: no database, no Django): the rules are data.

A schedule is a list of occurrences, each a window [due_on, due_by] in which one thing done (a home visit, a
weighing, a height, a THR handover) counts. For one day the worker's list holds:
- "today": the occurrence whose window holds today and is not done yet, or, when the last window passed
  without it, the missed one rolled over (with `missed`, how many windows in a row went by since the last
  time it was done: they are counted, and one visit now clears the roll-over);
- "this week": occurrences that open in the next WEEK_DAYS - 1 days.
Immunisation reminders are counselling prompts (the vaccines are the ANM's records): shown in their week,
never counted as missed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from poshan.core.dates import add_months, first_of_month, last_of_month

from . import lifestage

WEEK_DAYS = 7

# Home visits in pregnancy, by days since the LMP: one per trimester and more in the last (weeks 28–31,
# 32–35 and 36 until delivery).
PREGNANCY_VISIT_WINDOWS = ((0, 13 * 7 - 1), (13 * 7, 28 * 7 - 1), (28 * 7, 32 * 7 - 1), (32 * 7, 36 * 7 - 1),
                           (36 * 7, lifestage.GESTATION_DAYS + 14))
# Home-based newborn care: visits on these days after birth (day of birth = 0); each window lasts until the
# day before the next visit, the last one LAST_HBNC_WINDOW_DAYS.
HBNC_DAYS = (1, 3, 7, 14, 21, 28, 42)
LAST_HBNC_WINDOW_DAYS = 7
WEIGHING_UNDER_YEARS = 5
HEIGHT_EVERY_MONTHS = 3
# Immunisation reminders by age (days after birth): birth doses, 6, 10 and 14 weeks, 9 months, 16–24 months
# (first booster) and 5 years (DPT booster).
IMMUNISATION_AGES = (("birth", 0), ("6_weeks", 42), ("10_weeks", 70), ("14_weeks", 98), ("9_months", 270),
                     ("16_months", 487), ("5_years", 1826))
IMMUNISATION_PROMPT_DAYS = 7
THR_CATEGORIES = (lifestage.Category.PREGNANT, lifestage.Category.LACTATING, lifestage.Category.CHILD_6M_3Y,
                  lifestage.Category.ADOLESCENT)

PREGNANCY_VISIT, NEWBORN_VISIT, WEIGHING, HEIGHT, THR, IMMUNISATION = (
    "pregnancy_visit", "newborn_visit", "weighing", "height", "thr", "immunisation")
FACE_REFRESH = "face_refresh"  # a new photo of an enrolled young face (asked through signals.face_refreshes_due)


@dataclass(frozen=True)
class Occurrence:
    kind: str
    due_on: date
    due_by: date
    step: str = ""  # which one: the trimester window, the HBNC day, the vaccine age


@dataclass(frozen=True)
class Due:
    person_id: int
    kind: str
    due_on: date
    due_by: date
    step: str = ""
    missed: int = 0  # windows gone by without it since it was last done (rolled over into this one)


@dataclass(frozen=True)
class PersonDates:
    id: int
    dob: date
    sex: str = "F"
    awc_eligible: bool = False
    lmp: date | None = None  # the ongoing pregnancy
    last_delivery: date | None = None
    visits: tuple[date, ...] = ()  # home visits done
    weighings: tuple[date, ...] = ()
    heights: tuple[date, ...] | None = ()  # None: not known here (no height item)
    thr_this_month: bool | None = False  # None: not known here (no THR item)
    registered_on: date | None = None  # windows that closed before it are not counted as missed


@dataclass
class DueList:
    today: list[Due] = field(default_factory=list)
    week: list[Due] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(item.missed for item in self.today)


def pregnancy_visits(lmp: date) -> list[Occurrence]:
    return [Occurrence(PREGNANCY_VISIT, lmp + timedelta(days=a), lmp + timedelta(days=b), f"window_{n}")
            for n, (a, b) in enumerate(PREGNANCY_VISIT_WINDOWS, 1)]


def newborn_visits(birth: date) -> list[Occurrence]:
    ends = [d - 1 for d in HBNC_DAYS[1:]] + [HBNC_DAYS[-1] + LAST_HBNC_WINDOW_DAYS - 1]
    return [Occurrence(NEWBORN_VISIT, birth + timedelta(days=d), birth + timedelta(days=end), f"day_{d}")
            for d, end in zip(HBNC_DAYS, ends)]


def monthly_weighings(dob: date, until: date) -> list[Occurrence]:
    """One per calendar month from the month of birth while under 5, up to the month of `until`."""
    last = min(first_of_month(until), first_of_month(lifestage.birthday(dob, WEIGHING_UNDER_YEARS) - timedelta(days=1)))
    found, month = [], first_of_month(dob)
    while month <= last:
        found.append(Occurrence(WEIGHING, max(month, dob), last_of_month(month)))
        month = add_months(month, 1)
    return found


def _done(occurrence: Occurrence, done: tuple[date, ...]) -> bool:
    return any(occurrence.due_on <= d <= occurrence.due_by for d in done)


def _from_windows(person_id: int, occurrences: list[Occurrence], done: tuple[date, ...], on: date,
                  out: DueList, since: date | None = None) -> None:
    """Today's item (open or rolled over, with the misses counted) and this week's new windows."""
    if since is not None:
        occurrences = [o for o in occurrences if o.due_by >= since]
    last_done = max((d for d in done if d <= on), default=None)
    missed = [o for o in occurrences if o.due_by < on and not _done(o, done)
              and (last_done is None or o.due_by > last_done)]
    current = next((o for o in occurrences if o.due_on <= on <= o.due_by), None)
    if current is not None and not _done(current, done):
        out.today.append(Due(person_id, current.kind, current.due_on, current.due_by, current.step, len(missed)))
    elif missed:
        last = missed[-1]
        out.today.append(Due(person_id, last.kind, last.due_on, last.due_by, last.step, len(missed)))
    week_end = on + timedelta(days=WEEK_DAYS - 1)
    for o in occurrences:
        if on < o.due_on <= week_end:
            out.week.append(Due(person_id, o.kind, o.due_on, o.due_by, o.step))


def due(person: PersonDates, on: date, out: DueList | None = None) -> DueList:
    """Everything due for `person` today and this week (added to `out` when given)."""
    out = out if out is not None else DueList()
    if person.lmp is not None and on <= person.lmp + timedelta(days=PREGNANCY_VISIT_WINDOWS[-1][1]):
        _from_windows(person.id, pregnancy_visits(person.lmp), person.visits, on, out, person.registered_on)
    if person.last_delivery is not None and on <= person.last_delivery + timedelta(days=HBNC_DAYS[-1] + 7):
        _from_windows(person.id, newborn_visits(person.last_delivery), person.visits, on, out, person.registered_on)
    if person.dob <= on < lifestage.birthday(person.dob, WEIGHING_UNDER_YEARS):
        if person.dob + timedelta(days=HBNC_DAYS[-1] + 7) >= on and person.dob < on:
            _from_windows(person.id, newborn_visits(person.dob), person.visits, on, out, person.registered_on)
        _from_windows(person.id, monthly_weighings(person.dob, on), person.weighings, on, out, person.registered_on)
        if person.heights is not None:
            last_height = max((d for d in person.heights if d <= on), default=None)
            # in the third month after the last height (the first month of life when never measured)
            next_height = add_months(last_height, HEIGHT_EVERY_MONTHS) if last_height else person.dob
            if next_height <= on:
                out.today.append(Due(person.id, HEIGHT, next_height, on))
            elif next_height <= on + timedelta(days=WEEK_DAYS - 1):
                out.week.append(Due(person.id, HEIGHT, next_height, next_height))
        for step, days in IMMUNISATION_AGES:
            prompt = person.dob + timedelta(days=days)
            if prompt <= on < prompt + timedelta(days=IMMUNISATION_PROMPT_DAYS):
                out.today.append(Due(person.id, IMMUNISATION, prompt, prompt + timedelta(days=6), step))
            elif on < prompt <= on + timedelta(days=WEEK_DAYS - 1):
                out.week.append(Due(person.id, IMMUNISATION, prompt, prompt + timedelta(days=6), step))
    categories = lifestage.categories(dob=person.dob, sex=person.sex, on=on, awc_eligible=person.awc_eligible,
                                      pregnant=person.lmp is not None, last_delivery=person.last_delivery)
    if person.thr_this_month is False and any(c in THR_CATEGORIES for c in categories):
        out.today.append(Due(person.id, THR, first_of_month(on), last_of_month(on)))
    return out


def due_lists(people, on: date) -> DueList:
    out = DueList()
    for person in people:
        due(person, on, out)
    return out
