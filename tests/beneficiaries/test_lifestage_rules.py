"""The nightly life-stage rules, table-tested from dates worked out by hand."""
from __future__ import annotations

from datetime import date

import pytest

from beneficiaries import lifestage
from beneficiaries import lifestage_rules as rules
from beneficiaries.lifestage_rules import PersonFacts

ON = date(2026, 11, 27)
UNTIL = lifestage.ADOLESCENT_UNTIL


def person(**kw) -> PersonFacts:
    return PersonFacts(**{"id": 1, "dob": date(1995, 1, 1), "sex": "F", "awc_eligible": False, **kw})


CASES = [
    # (why, facts, expected (kind, effective_on) pairs)
    ("a child who turned 6 a week ago leaves on her birthday",
     person(dob=date(2020, 11, 20)), [(rules.AGED_OUT, date(2026, 11, 20))]),
    ("a child who turns 6 today leaves today", person(dob=date(2020, 11, 27), sex="M"),
     [(rules.AGED_OUT, date(2026, 11, 27))]),
    ("a child who turns 6 tomorrow stays", person(dob=date(2020, 11, 28)), []),
    ("born on 29 February: 6 on 1 March", person(dob=date(2020, 2, 29)), [(rules.AGED_OUT, date(2026, 3, 1))]),
    ("a child who already left at 6 is not moved again", person(dob=date(2020, 11, 20), aged_out=True), []),
    ("someone who left for another reason is left alone", person(dob=date(2020, 11, 20), exited=True), []),
    ("a 10-year-old was never a child of the system", person(dob=date(2016, 11, 1)), []),
    ("pregnancy past its EDD without a delivery", person(ongoing_lmp=date(2026, 1, 1), ongoing_edd=date(2026, 10, 8)),
     [(rules.PREGNANCY_OVERDUE, date(2026, 10, 9))]),
    ("EDD from the LMP when none was written (LMP + 280 = 8 Oct)", person(ongoing_lmp=date(2026, 1, 1)),
     [(rules.PREGNANCY_OVERDUE, date(2026, 10, 9))]),
    ("due today is not yet overdue", person(ongoing_edd=ON), []),
    ("a mother 183 days after delivery stops lactating that day", person(last_delivery=date(2026, 5, 28)),
     [(rules.LACTATION_ENDED, date(2026, 11, 27))]),
    ("day 182 after delivery: still lactating", person(last_delivery=date(2026, 5, 29)), []),
    ("a delivery long ago is no news", person(last_delivery=date(2024, 1, 1)), []),
    ("a girl of an eligible centre leaves the adolescent scheme on her birthday",
     person(dob=date(2026 - UNTIL, 11, 25), awc_eligible=True),
     [(rules.ADOLESCENCE_ENDED, date(2026, 11, 25))]),
    ("the same girl in a centre outside the scheme: nothing", person(dob=date(2026 - UNTIL, 11, 25)), []),
    ("a boy: nothing", person(dob=date(2026 - UNTIL, 11, 25), awc_eligible=True, sex="M"), []),
    ("a girl who left the child services at 6 still leaves the adolescent scheme",
     person(dob=date(2026 - UNTIL, 11, 25), awc_eligible=True, aged_out=True),
     [(rules.ADOLESCENCE_ENDED, date(2026, 11, 25))]),
]


@pytest.mark.parametrize("why,facts,expected", CASES, ids=[c[0] for c in CASES])
def test_life_stage_changes_from_dates(why, facts, expected):
    assert [(c.kind, c.effective_on) for c in rules.changes(facts, ON)] == expected


def test_a_missed_night_is_caught_up_but_old_news_is_not():
    mother = person(last_delivery=date(2026, 5, 1))  # lactation ended 31 Oct
    assert [c.kind for c in rules.changes(mother, date(2026, 11, 27))] == [rules.LACTATION_ENDED]
    assert rules.changes(mother, date(2026, 10, 30)) == []
    assert rules.changes(mother, date(2026, 12, 2)) == []  # 32 days later
