"""What is due, today and this week, table-tested against dates worked out by hand (ON is Friday 27 Nov 2026)."""
from __future__ import annotations

from datetime import date

import pytest

from beneficiaries import schedules as s
from beneficiaries.schedules import PersonDates

ON = date(2026, 11, 27)
D = date

CASES = [
    # (why, person, today's items (kind, due_on, step, missed), this week's (kind, due_on, step))
    ("2nd trimester (day 179 since LMP 1 Jun), no visit yet: the 1st trimester's window was missed",
     PersonDates(1, D(1998, 1, 1), lmp=D(2026, 6, 1)),
     [(s.PREGNANCY_VISIT, D(2026, 8, 31), "window_2", 1), (s.THR, D(2026, 11, 1), "", 0)], []),
    ("same, visited in the 1st trimester: nothing missed",
     PersonDates(1, D(1998, 1, 1), lmp=D(2026, 6, 1), visits=(D(2026, 7, 10),)),
     [(s.PREGNANCY_VISIT, D(2026, 8, 31), "window_2", 0), (s.THR, D(2026, 11, 1), "", 0)], []),
    ("same, visited in this window and THR taken: nothing due",
     PersonDates(1, D(1998, 1, 1), lmp=D(2026, 6, 1), visits=(D(2026, 9, 15),), thr_this_month=True), [], []),
    ("last trimester (day 271): weeks 32–35 were missed after visits in each earlier window",
     PersonDates(2, D(1999, 2, 2), lmp=D(2026, 3, 1), visits=(D(2026, 4, 10), D(2026, 7, 1), D(2026, 9, 20)),
                 thr_this_month=True),
     [(s.PREGNANCY_VISIT, D(2026, 11, 8), "window_5", 1)], []),
    ("mother delivered 20 Nov, visited on day 1 only: day 3 missed, day 7 open (27 Nov–3 Dec)",
     PersonDates(3, D(1997, 4, 4), last_delivery=D(2026, 11, 20), visits=(D(2026, 11, 21),)),
     [(s.NEWBORN_VISIT, D(2026, 11, 27), "day_7", 1), (s.THR, D(2026, 11, 1), "", 0)], []),
    ("mother visited on days 1, 4 and 7: nothing for the newborn care this week",
     PersonDates(3, D(1997, 4, 4), last_delivery=D(2026, 11, 20), visits=(D(2026, 11, 21), D(2026, 11, 24),
                                                                          D(2026, 11, 27)), thr_this_month=True),
     [], []),
    ("newborn of 25 Nov: day-1 visit (26–27 Nov) today, days 3 and 7 this week, weighing, height, birth doses",
     PersonDates(4, D(2026, 11, 25), sex="M"),
     [(s.NEWBORN_VISIT, D(2026, 11, 26), "day_1", 0), (s.WEIGHING, D(2026, 11, 25), "", 0),
      (s.HEIGHT, D(2026, 11, 25), "", 0), (s.IMMUNISATION, D(2026, 11, 25), "birth", 0)],
     [(s.NEWBORN_VISIT, D(2026, 11, 28), "day_3"), (s.NEWBORN_VISIT, D(2026, 12, 2), "day_7")]),
    ("child of 2 weighed this month, height in August: height due since 1 Nov, THR due",
     PersonDates(5, D(2024, 11, 20), weighings=(D(2026, 10, 5), D(2026, 11, 2)), heights=(D(2026, 8, 15),)),
     [(s.HEIGHT, D(2026, 11, 1), "", 0), (s.THR, D(2026, 11, 1), "", 0)], []),
    ("same child, height in September and THR taken: height comes up on 1 Dec, this week",
     PersonDates(5, D(2024, 11, 20), weighings=(D(2026, 11, 2),), heights=(D(2026, 9, 2),), thr_this_month=True),
     [], [(s.HEIGHT, D(2026, 12, 1), "")]),
    ("child weighed last in August: September and October missed, rolled into November's weighing",
     PersonDates(6, D(2024, 3, 10), weighings=(D(2026, 8, 3),), heights=(D(2026, 10, 1),), thr_this_month=True),
     [(s.WEIGHING, D(2026, 11, 1), "", 2)], []),
    ("registered on 15 Oct, never weighed: only October counts as missed",
     PersonDates(7, D(2023, 5, 10), heights=(D(2026, 10, 15),), registered_on=D(2026, 10, 15)),
     [(s.WEIGHING, D(2026, 11, 1), "", 1)], []),
    ("a child who turned 5 on 20 Nov (and had the 5-year prompt until 26 Nov): nothing",
     PersonDates(8, D(2021, 11, 20), sex="M"), [], []),
    ("a child turning 9 months next Tuesday: the measles-rubella prompt this week",
     PersonDates(9, D(2026, 3, 6), weighings=(D(2026, 11, 3),), heights=(D(2026, 11, 3),), thr_this_month=True),
     [], [(s.IMMUNISATION, D(2026, 12, 1), "9_months")]),
    ("an adolescent girl of an eligible centre: THR this month",
     PersonDates(10, D(2011, 5, 5), awc_eligible=True), [(s.THR, D(2026, 11, 1), "", 0)], []),
    ("the same girl where the scheme does not run: nothing", PersonDates(10, D(2011, 5, 5)), [], []),
    ("heights and THR not known to the caller: no item for them",
     PersonDates(5, D(2024, 11, 20), weighings=(D(2026, 11, 2),), heights=None, thr_this_month=None), [], []),
]


@pytest.mark.parametrize("why,person,today,week", CASES, ids=[c[0] for c in CASES])
def test_what_is_due_from_dates(why, person, today, week):
    found = s.due(person, ON)
    assert [(d.kind, d.due_on, d.step, d.missed) for d in found.today] == today
    assert [(d.kind, d.due_on, d.step) for d in found.week] == week


def test_one_list_adds_up_everyone_and_counts_what_was_missed():
    people = [c[1] for c in CASES]
    found = s.due_lists(people, ON)
    assert len(found.today) == sum(len(c[2]) for c in CASES)
    assert found.missed == 1 + 1 + 1 + 2 + 1  # window 1, window 4, day 3, two months, October


def test_newborn_care_days_follow_the_rule_table():
    visits = s.newborn_visits(D(2026, 1, 1))
    assert [(v.due_on.day, v.due_by.day) for v in visits] == [(2, 3), (4, 7), (8, 14), (15, 21), (22, 28),
                                                              (29, 11), (12, 18)]
    assert [v.step for v in visits] == ["day_1", "day_3", "day_7", "day_14", "day_21", "day_28", "day_42"]
