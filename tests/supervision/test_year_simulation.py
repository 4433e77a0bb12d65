"""A year of the month running itself: three centres driven through twelve simulated months by the real services
and the real beat and nightly tasks, every claim checked against what the facts give by hand.

The world's habits (what its people do) are written below as plain rules; the simulation keeps its own ledger of
every fact it records, so each claim is compared with a count made from that ledger, never from the code under test:
- every child reaching 6 leaves once (and the other life stages move once, on their dates);
- the worker's due list on four days equals a table worked out by hand from the dates;
- each worker's monthly incentive report equals the counts made from the ledger;
- the supervisor's visits round-trip with their action list (the page shows what the last visit left open);
- each alert opens once when its condition starts to hold and clears when it stops.
"""
from __future__ import annotations

import calendar
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from anganwadi.services import awc_day_open
from beneficiaries import lifestage
from beneficiaries import services as people
from beneficiaries.models import Beneficiary, LifeStageChange, Pregnancy
from beneficiaries.selectors import due_list
from beneficiaries.tasks import life_stage_nightly
from growth.services import measurement_record
from poshan.core.dates import first_of_month, last_of_month
from poshan.core.models import AuditEvent
from poshan.dashboards.incentive import selectors as incentive
from poshan.dashboards.rollups.refresh import refresh_month
from poshan.supervision import rules
from poshan.supervision.models import ActionItem, Alert, Visit
from poshan.supervision.selectors import open_actions, sector_rows, supervised_awcs
from poshan.supervision.services import NewAction, vhsnd_record, visit_record
from poshan.supervision.tasks import alerts_evaluate
from tests.factories import make_household, make_person
from tests.supervision.test_visits import visit_post

IST = ZoneInfo("Asia/Kolkata")
START, END = date(2026, 1, 1), date(2026, 12, 31)
REGISTERED = date(2025, 12, 15)
OPEN_WEEKDAYS = (0, 2, 4)  # the centres open Monday, Wednesday and Friday and send the day's sheet
WEIGHING_DAY, VISIT_DAY, SUPERVISOR_DAY, VHSND_DAY = 3, 5, 12, 20
SILENT = (date(2026, 3, 9), date(2026, 4, 19))  # the second centre records nothing in these days
SKIPPED_WEIGHINGS = {("Kiran", 5), ("Kiran", 6)}  # (child, month) the first centre does not weigh
# Median-ish weight (kg) and length/height (cm) by age in months, so no malnutrition case opens.
BODY = ((0, 3.3, 49.9), (3, 6.4, 61.4), (6, 7.9, 67.6), (12, 9.6, 75.7), (24, 12.2, 87.1), (36, 14.3, 96.1),
        (48, 16.3, 103.3), (60, 18.3, 110.0))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=IST)


def body(dob: date, on: date) -> tuple[Decimal, Decimal]:
    months = (on - dob).days / 30.4375
    for (m0, w0, h0), (m1, w1, h1) in itertools.pairwise(BODY):
        if months <= m1:
            share = (months - m0) / (m1 - m0)
            return Decimal(f"{w0 + share * (w1 - w0):.1f}"), Decimal(f"{h0 + share * (h1 - h0):.1f}")
    return Decimal("18.3"), Decimal("110.0")


@dataclass
class Person:
    row: Beneficiary
    lmp: date | None = None
    pregnancy_known: date | None = None  # the day the pregnancy was recorded
    delivery: date | None = None  # recorded on the day itself
    baby: tuple[str, str] | None = None  # (name, sex) of the child the delivery brings

    @property
    def name(self) -> str:
        return self.row.name


@dataclass
class Ledger:
    """Every fact the simulation recorded, kept apart from the database."""

    people: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))  # awc id → people
    visits: list[tuple[int, int, date]] = field(default_factory=list)  # (awc, person, day)
    weighings: list[tuple[int, int, date]] = field(default_factory=list)
    opened: list[tuple[int, date]] = field(default_factory=list)
    sheets: list[tuple[int, date, date]] = field(default_factory=list)  # (awc, day, sent on)
    vhsnd: dict[int, date] = field(default_factory=dict)  # awc → last
    last_fact: dict[int, date] = field(default_factory=dict)  # awc → last day with a submission of any kind

    def fact(self, awc_id: int, day: date) -> None:
        self.last_fact[awc_id] = max(day, self.last_fact.get(awc_id, day))

    def pregnant(self, p: Person, on: date) -> bool:
        return (p.lmp is not None and p.pregnancy_known <= on and p.lmp <= on
                and (on - p.lmp).days < lifestage.MAX_LMP_AGE_DAYS and not (p.delivery and p.delivery <= on))

    @staticmethod
    def lactating(p: Person, on: date) -> bool:
        return p.delivery is not None and 0 <= (on - p.delivery).days < lifestage.LACTATION_DAYS

    def women(self, awc_id: int, on: date) -> list[Person]:
        return [p for p in self.people[awc_id] if self.pregnant(p, on) or self.lactating(p, on)]

    def children(self, awc_id: int, on: date, years: int) -> list[Person]:
        return [p for p in self.people[awc_id]
                if p.row.dob <= on < lifestage.birthday(p.row.dob, years)]


class Year:
    """The world and its habits; `run()` drives it day by day through the real services and tasks."""

    def __init__(self, world, users, make_user, login):
        self.world, self.users, self.login = world, users, login
        world.awc5.is_aspirational = True
        world.awc5.save(update_fields=["is_aspirational"])
        self.awcs = [world.awc1, world.awc2, world.awc5]  # two districts; the world's other places are closed
        for place in (world.awc3, world.awc4, world.awc6, world.district3):
            place.is_active = False
            place.save(update_fields=["is_active"])
        self.workers = {world.awc1.pk: users.aww, world.awc2.pk: make_user("aww", world.awc2),
                        world.awc5.pk: make_user("aww", world.awc5)}
        self.ledger = Ledger()
        self.due_lists: dict[date, object] = {}
        self.reports: dict[date, list] = {}
        self.shown_actions: list[tuple[int, date, list[str]]] = []  # (awc, visit day, open actions shown)
        self.sector: list[tuple[date, dict[int, int]]] = []
        self.holding: dict[date, dict[int, set[str]]] = {}  # the alert conditions by hand, day by day

    # ---- the people ---------------------------------------------------------------------------------------------
    def register(self):
        w, ledger = self.world, self.ledger

        def add(awc, name, sex, dob, **extra):
            home = make_household(awc, actor=self.workers[awc.pk], head_name=f"Head of {name}")
            enrol = extra.pop("enrol_as", "child" if dob.year >= 2020 else "member")
            row = make_person(home, actor=self.workers[awc.pk], name=name, sex=sex, dob=dob, enrol_as=enrol,
                              **{k: v for k, v in extra.items() if k in ("lmp", "delivery_date")})
            person = Person(row, lmp=extra.get("lmp"), pregnancy_known=REGISTERED if extra.get("lmp") else None,
                            delivery=extra.get("delivery_date"), baby=extra.get("baby"))
            ledger.people[awc.pk].append(person)
            return person

        with time_machine.travel(at(REGISTERED, 9), tick=False):
            add(w.awc1, "Kiran", "M", date(2024, 3, 10))
            add(w.awc1, "Chotu", "M", date(2020, 8, 15))  # 6 on 15 August
            sita = add(w.awc1, "Sita", "F", date(1998, 3, 3), enrol_as="pregnant", lmp=date(2025, 9, 1))
            sita.delivery, sita.baby = date(2026, 6, 1), ("Baby of Sita", "F")
            add(w.awc2, "Munni", "F", date(2022, 5, 5))
            add(w.awc2, "Raju", "M", date(2020, 11, 30))  # 6 on 30 November
            add(w.awc2, "Gita", "F", date(1995, 7, 7), enrol_as="pregnant", lmp=date(2025, 11, 1))  # never delivers
            add(w.awc2, "Lata", "F", date(1996, 1, 1), enrol_as="lactating", delivery_date=date(2025, 10, 1))
            add(w.awc5, "Rani", "F", date(2007, 7, 1), enrol_as="adolescent")  # 19 on 1 July
            add(w.awc5, "Pinky", "F", date(2010, 2, 2), enrol_as="adolescent")
            add(w.awc5, "Bablu", "M", date(2025, 6, 15))
            add(w.awc5, "Meena", "F", date(2021, 9, 9))  # 5 on 9 September: no more monthly weighing
            asha = add(w.awc5, "Asha", "F", date(1999, 9, 9))
        asha.lmp, asha.pregnancy_known = date(2026, 2, 1), date(2026, 3, 1)  # told in March
        asha.delivery, asha.baby = date(2026, 11, 1), ("Baby of Asha", "M")

    # ---- one day ------------------------------------------------------------------------------------------------
    def silent(self, awc, day: date) -> bool:
        return awc.pk == self.world.awc2.pk and SILENT[0] <= day <= SILENT[1]

    def births_and_pregnancies(self, awc, day: date) -> None:
        for person in list(self.ledger.people[awc.pk]):
            actor = self.workers[awc.pk]
            if person.pregnancy_known == day and day != REGISTERED:
                people.pregnancy_register(actor=actor, woman=person.row, lmp=person.lmp)
            if person.delivery == day:
                pregnancy = Pregnancy.objects.get(woman=person.row, delivery_date__isnull=True)
                (child,) = people.delivery_record(actor=actor, pregnancy=pregnancy, delivery_date=day,
                                                  outcome=Pregnancy.Outcome.LIVE_BIRTH,
                                                  newborns=[people.NewbornInput(*person.baby, Decimal("3.0"))])
                self.ledger.people[awc.pk].append(Person(child))

    def record(self, awc, kind: str, person: Person, day: date) -> None:
        actor, ledger = self.workers[awc.pk], self.ledger
        if kind == "weigh":
            weight, height = body(person.row.dob, day)
            months = lifestage.age_in_months(person.row.dob, day)
            measured = months % 3 == 0 if person.row.dob.year == 2026 else day.month % 3 == 1
            measurement_record(actor=actor, child=person.row, date=day, weight_kg=weight,
                               lenhei_cm=height if measured else None,
                               measure=("l" if months < 24 else "h") if measured else "")
            ledger.weighings.append((awc.pk, person.row.pk, day))
        else:
            people.home_visit_record(actor=actor, awc=awc, beneficiary=person.row, day=day, purpose=kind)
            ledger.visits.append((awc.pk, person.row.pk, day))
        ledger.fact(awc.pk, day)

    def worker_day(self, awc, day: date) -> None:
        """What the centre's worker records on `day` (09:00), by the habits above."""
        if self.silent(awc, day):
            return
        actor, ledger = self.workers[awc.pk], self.ledger
        self.births_and_pregnancies(awc, day)
        if day.day == WEIGHING_DAY:
            for child in ledger.children(awc.pk, day, 5):
                skipped = (child.name, day.month) in SKIPPED_WEIGHINGS or (awc == self.world.awc5 and day.month % 2 == 0)
                if not skipped:
                    self.record(awc, "weigh", child, day)
        if day.day == VISIT_DAY:
            for woman in ledger.women(awc.pk, day):
                self.record(awc, "pregnancy" if ledger.pregnant(woman, day) else "newborn", woman, day)
        for baby in ledger.people[awc.pk]:
            if baby.row.dob == day - timedelta(days=3):  # the newborn's day-3 home visit
                self.record(awc, "newborn", baby, day)
        if day.weekday() in OPEN_WEEKDAYS:
            awc_day_open(actor=actor, awc=awc, day=day, opened_at=time(9, 0))
            ledger.opened.append((awc.pk, day))
            ledger.fact(awc.pk, day)
            if not (day.weekday() == 4 and day.day <= 7):  # the first Friday's sheet goes the next day
                people.attendance_record(actor=actor, awc=awc, day=day, present=[], hcm=[])
                ledger.sheets.append((awc.pk, day, day))
        yesterday = day - timedelta(days=1)
        if yesterday.weekday() == 4 and yesterday.day <= 7 and not self.silent(awc, yesterday):
            people.attendance_record(actor=actor, awc=awc, day=yesterday, present=[], hcm=[],
                                     backdate_reason="No network on Friday")
            ledger.sheets.append((awc.pk, yesterday, day))

    def supervisor_day(self, day: date) -> None:
        """The sector's supervisor visits both her centres on the 12th; VHSNDs on the 20th (awc2 every other month,
        awc5 never)."""
        supervisor = self.users.supervisor
        if day.day == VHSND_DAY:
            for awc in (self.world.awc1, self.world.awc2):
                if awc == self.world.awc1 or day.month % 2:
                    vhsnd_record(actor=supervisor, awc=awc, on=day, services=["immunisation", "growth_monitoring"],
                                 children_referred=day.month % 3)
                    self.ledger.vhsnd[awc.pk] = day
        if day.day == SUPERVISOR_DAY - 1:
            self.sector.append((day, {r.awc.pk: r.visits_short for r in sector_rows(
                list(supervised_awcs(supervisor)), day)}))
        if day.day != SUPERVISOR_DAY:
            return
        done = day.month % 2 == 0  # even months' visits find the open actions done; odd months' carry them on
        new = [(f"Repair the scale ({day:%B})", "aww", (day + timedelta(days=10)).isoformat())]
        client = self.login(supervisor)  # the first centre through its page, the second through the service
        url = reverse("supervision:visit_new", args=[self.world.awc1.pk])
        shown = list(client.get(url).context["form"].open_actions)
        self.shown_actions.append((self.world.awc1.pk, day, sorted(a.text for a in shown)))
        response = client.post(url, visit_post(day, actions={a.pk: "done" if done else "not_done" for a in shown},
                                               new=new))
        assert response.status_code == 302, response.content.decode()[:2000]
        shown = open_actions(self.world.awc2)
        self.shown_actions.append((self.world.awc2.pk, day, sorted(a.text for a in shown)))
        visit_record(actor=supervisor, awc=self.world.awc2, on=day, findings="Registers checked.",
                     checks={item: (True, "") for item in rules.CHECKLIST},
                     closing={a.pk: done for a in shown},
                     actions=[NewAction(new[0][0], "aww", day + timedelta(days=10))])
        self.sector.append((day, {r.awc.pk: r.visits_short for r in sector_rows(
            list(supervised_awcs(supervisor)), day)}))

    def run(self) -> None:
        with time_machine.travel(at(START, 8), tick=False) as clock:
            day = START
            while day <= END + timedelta(days=1):
                if day.day == 1 and day > START:  # the previous month counted before the day's facts
                    clock.move_to(at(day, 8))
                    month = first_of_month(day - timedelta(days=1))
                    refresh_month(month, trigger="admin", today=day)
                    self.reports[month] = incentive.worker_months(self.awcs, month)
                if day > END:
                    break
                clock.move_to(at(day, 9))
                for awc in self.awcs:
                    self.worker_day(awc, day)
                self.supervisor_day(day)
                if day in DUE_LIST_DAYS:
                    clock.move_to(at(day, 9, 30))
                    self.due_lists[day] = due_list(user=self.users.aww)
                clock.move_to(at(day, 10))
                self.holding[day] = {awc.pk: hand_conditions(self.ledger, awc.pk, day) for awc in self.awcs}
                alerts_evaluate.delay()
                clock.move_to(at(day, 22))
                life_stage_nightly.delay()
                day += timedelta(days=1)


# ---- what the facts say by hand ------------------------------------------------------------------------------------
def expected_life_stages() -> list[tuple[str, str, date]]:
    return sorted([
        ("Chotu", "aged_out", date(2026, 8, 15)), ("Raju", "aged_out", date(2026, 11, 30)),
        ("Lata", "lactation_ended", date(2025, 10, 1) + timedelta(days=183)),  # 2 April
        ("Sita", "lactation_ended", date(2026, 6, 1) + timedelta(days=183)),  # 1 December
        ("Gita", "pregnancy_overdue", date(2025, 11, 1) + timedelta(days=281)),  # the day after her EDD
        ("Rani", "adolescence_ended", date(2026, 7, 1)),  # her 19th birthday
    ])


# The first centre's due list by hand, from the dates (Kiran born 10-03-2024, weighed on the 3rd of each month but
# May and June, height in January, April, July and October; Sita's LMP 01-09-2025, visited on the 5th, delivered on
# 01-06-2026; her baby visited on day 3 only, weighed from birth, height every 3 months; Chotu 6 on 15-08-2026).
# today: (name, kind, step, missed); week: (name, kind, step, due on).
DUE_LIST_DAYS = {
    date(2026, 2, 10): (
        # Kiran weighed on the 3rd, height next in April; Sita's second-trimester visit done on the 5th.
        {("Kiran", "thr", "", 0), ("Sita", "thr", "", 0)},
        set()),
    date(2026, 6, 10): (
        # Kiran not weighed in May (missed, rolled over) nor yet in June; Sita and her baby visited on days 4 and 5
        # after birth: the day-7 newborn visit (8–14 June) is open, the day-14 one opens on the 15th.
        {("Kiran", "weighing", "", 1), ("Kiran", "thr", "", 0), ("Sita", "newborn_visit", "day_7", 0),
         ("Sita", "thr", "", 0), ("Baby of Sita", "newborn_visit", "day_7", 0)},
        {("Sita", "newborn_visit", "day_14", date(2026, 6, 15)),
         ("Baby of Sita", "newborn_visit", "day_14", date(2026, 6, 15))}),
    date(2026, 7, 10): (
        # Sita visited on 5 July, inside the day-28 window (29 June – 12 July); the baby not since day 3: days 7, 14
        # and 21 missed and rolled over into day 28. Next week: the day-42 visits and the 6-week vaccines (13 July).
        {("Kiran", "thr", "", 0), ("Sita", "thr", "", 0), ("Baby of Sita", "newborn_visit", "day_28", 3)},
        {("Sita", "newborn_visit", "day_42", date(2026, 7, 13)),
         ("Baby of Sita", "newborn_visit", "day_42", date(2026, 7, 13)),
         ("Baby of Sita", "immunisation", "6_weeks", date(2026, 7, 13))}),
    date(2026, 12, 10): (
        # Chotu aged out; Sita's lactation ended on 1 December; the baby is 6 months old: her ration is due.
        {("Kiran", "thr", "", 0), ("Baby of Sita", "thr", "", 0)},
        set()),
}


def hand_report(ledger: Ledger, awc_id: int, month: date) -> dict[str, tuple[int, int]]:
    """The incentive report's measures for a centre and month, counted from the ledger."""
    end = last_of_month(month)

    def in_month(day: date) -> bool:
        return month <= day <= end

    women = {p.row.pk for p in ledger.women(awc_id, end)}
    visited = {pk for awc, pk, day in ledger.visits if awc == awc_id and in_month(day)}
    children = {p.row.pk for p in ledger.children(awc_id, end, 5)}  # the monthly weighing is for the under-5s
    weighed = {pk for awc, pk, day in ledger.weighings if awc == awc_id and in_month(day)}
    entitled = [p for p in ledger.people[awc_id] if ledger.pregnant(p, end) or ledger.lactating(p, end)
                or lifestage.child_band(p.row.dob, end) == lifestage.Category.CHILD_6M_3Y
                or lifestage.is_adolescent(p.row.dob, p.row.sex, end, awc_eligible=awc_id in ADOLESCENT_AWCS)]
    sheets = {(day, sent) for awc, day, sent in ledger.sheets if awc == awc_id and in_month(day)}
    return {
        "home_visits": (len(women & visited), len(women)),
        "weighing": (len(children & weighed), len(children)),
        "days_open": (sum(1 for awc, day in ledger.opened if awc == awc_id and in_month(day)), 25),
        "thr": (0, len(entitled)),
        "on_time": (sum(1 for day, sent in sheets if day == sent), len(sheets)),
    }


ADOLESCENT_AWCS: set[int] = set()


def hand_eligible(counts: dict[str, tuple[int, int]]) -> bool:
    """The default rule: at least 60 % of the home visits due and of the children due for weighing."""
    return all(due == 0 or 100 * done // due >= 60 for done, due in (counts["home_visits"], counts["weighing"]))


def hand_conditions(ledger: Ledger, awc_id: int, day: date) -> set[str]:
    """The alert conditions that hold for a centre on `day`, from the ledger."""
    holding = set()
    last = ledger.last_fact.get(awc_id)
    if last is None or (day - last).days >= 7:
        holding.add(rules.NO_SUBMISSION_7)
    if last is None or (day - last).days >= 30:
        holding.add(rules.NO_SUBMISSION_30)
    vhsnd = ledger.vhsnd.get(awc_id)
    if vhsnd is None or (day - vhsnd).days >= 37:
        holding.add(rules.NO_VHSND)
    start, days_in_month = first_of_month(day), calendar.monthrange(day.year, day.month)[1]

    def short(due: set[int], done_rows) -> bool:
        done = {pk for awc, pk, on in done_rows if awc == awc_id and start <= on <= day} & due
        expected = 0 if day.day <= 7 else len(due) * day.day // days_in_month
        return len(done) < expected

    if short({p.row.pk for p in ledger.women(awc_id, day)}, ledger.visits):
        holding.add(rules.HOME_VISITS_LOW)
    if short({p.row.pk for p in ledger.children(awc_id, day, 5)}, ledger.weighings):
        holding.add(rules.WEIGHING_LOW)
    return holding


def test_a_simulated_year_keeps_every_promise_of_the_month(world, users, make_user, login):
    year = Year(world, users, make_user, login)
    ADOLESCENT_AWCS.clear()
    ADOLESCENT_AWCS.add(world.awc5.pk)
    year.register()
    year.run()
    ledger = year.ledger

    # 1. Every child reaching 6 left once; the other life stages moved once, on their dates, audited as the system's.
    changes = sorted(LifeStageChange.objects.values_list("beneficiary__name", "kind", "effective_on"))
    assert changes == expected_life_stages()
    assert sorted(Beneficiary.objects.filter(exit_reason="aged_out").values_list("name", "exited_on")) == [
        ("Chotu", date(2026, 8, 15)), ("Raju", date(2026, 11, 30))]
    assert AuditEvent.objects.filter(object_type="beneficiaries.lifestagechange", actor=None).count() == len(changes)

    # 2. The due list equals the table worked out by hand.
    for day, (today, week) in DUE_LIST_DAYS.items():
        found = year.due_lists[day]
        assert {(r.beneficiary.name, r.item.kind, r.item.step, r.item.missed) for r in found.today} == today, day
        assert {(r.beneficiary.name, r.item.kind, r.item.step, r.item.due_on) for r in found.week} == week, day
        assert found.missed == sum(missed for *_, missed in today), day

    # 3. Each worker's monthly report equals the counts made from the ledger, and so does her eligibility.
    assert len(year.reports) == 12
    for month, rows in year.reports.items():
        for row in rows:
            counts = hand_report(ledger, row.awc.pk, month)
            assert {k: (c.done, c.due) for k, c in row.counts.items()} == counts, (month, row.awc.name)
            assert row.assessment.eligible is hand_eligible(counts), (month, row.awc.name)
    assert {m.month for m, rows in year.reports.items() for r in rows if not r.assessment.eligible
            and r.awc == world.awc1} == {5, 6}  # Kiran not weighed in May (0 of 1) nor June (1 of 2: the baby)
    assert list(incentive.centres(users.aww)) == [world.awc1]  # a worker sees only her own

    # 4. Every visit was shown what the last one left open: found done in even months, carried on in odd months.
    for awc in (world.awc1, world.awc2):
        shown = [texts for pk, _day, texts in year.shown_actions if pk == awc.pk]
        expected, carried = [], []
        for month in range(1, 13):
            expected.append(sorted(carried + ([f"Repair the scale ({calendar.month_name[month - 1]})"]
                                              if month > 1 else [])))
            carried = expected[-1] if month % 2 else []
        assert shown == expected, awc.name
        visits = list(Visit.objects.filter(awc=awc).order_by("on"))
        assert [v.on for v in visits] == [date(2026, m, SUPERVISOR_DAY) for m in range(1, 13)]
        for item in ActionItem.objects.filter(awc=awc, status=ActionItem.Status.NOT_DONE):
            assert item.carried_to.text == item.text and item.carried_to.raised_in == item.checked_in
    assert all(shorts == {world.awc1.pk: 1, world.awc2.pk: 1} for day, shorts in year.sector
               if day.day == SUPERVISOR_DAY - 1)
    assert all(shorts == {world.awc1.pk: 0, world.awc2.pk: 0} for day, shorts in year.sector
               if day.day == SUPERVISOR_DAY)

    # 5. Each alert opened on the first day its condition held and cleared on the first day it did not.
    expected = hand_episodes(year.holding)
    assert alert_episodes() == expected
    silent = {(c, opened, cleared) for c, pk, opened, cleared in expected if pk == world.awc2.pk}
    assert {(rules.NO_SUBMISSION_7, date(2026, 3, 13), date(2026, 4, 20)),
            (rules.NO_SUBMISSION_30, date(2026, 4, 5), date(2026, 4, 20))} <= silent


def alert_episodes() -> set[tuple[str, int, date, date | None]]:
    return {(a.condition, a.awc_id, a.opened_on, a.cleared_at.astimezone(IST).date() if a.cleared_at else None)
            for a in Alert.objects.all()}


def hand_episodes(holding: dict[date, dict[int, set[str]]]) -> set[tuple[str, int, date, date | None]]:
    """(condition, centre, first day it held, first day it no longer held) from the conditions held each day."""
    episodes, since = set(), {}
    for day in sorted(holding):
        for awc_id, conditions in holding[day].items():
            for condition in rules.CONDITIONS:
                key = (condition, awc_id)
                if condition in conditions and key not in since:
                    since[key] = day
                elif condition not in conditions and key in since:
                    episodes.add((condition, awc_id, since.pop(key), day))
    return episodes | {(condition, awc_id, day, None) for (condition, awc_id), day in since.items()}
