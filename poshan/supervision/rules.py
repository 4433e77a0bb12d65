"""The supervisor's month and the alerts that nudge, as data (pure: no Django, no database).

Every norm, threshold and quiet hour is a named value here; the pages, the home panel and the beat task all
decide through the functions below, so a table test of this module is a test of what everyone sees.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time

# ---- the supervisor's month ---------------------------------------------------------------------------------------
VISITS_PER_AWC_PER_MONTH = 1  # the norm: each AWC visited at least once a month by its supervisor

# The visit's checklist, in the order the form asks (each answered yes/no, with a note).
CHECKLIST = ("open_on_time", "records_up_to_date", "growth_devices_working", "weighing_observed", "hcm_served",
             "thr_stock_adequate")
ACTION_OWNERS = ("aww", "awh", "supervisor", "cdpo", "anm")
NEW_ACTIONS_PER_VISIT = 3  # blank action rows the visit form offers

# Services a Village Health Sanitation and Nutrition Day may give (multi-choice on its form).
VHSND_SERVICES = ("immunisation", "anc_checkup", "growth_monitoring", "thr", "counselling", "ifa_deworming",
                  "family_planning", "referral")

# ---- the alerts ---------------------------------------------------------------------------------------------------
NO_SUBMISSION_SUPERVISOR_DAYS = 7  # nothing submitted by a centre for this many days: its supervisor is told
NO_SUBMISSION_CDPO_DAYS = 30  # ... for this many: the CDPO of its project
NO_VHSND_DAYS = 37  # no VHSND recorded at a centre for this many days
NORM_GRACE_DAYS = 7  # the month's home visits and weighing are not judged in its first week
HOME_VISIT_NORM_SHARE = 1.0  # of the women due a visit this month, the share visited by the month's end
WEIGHING_NORM_SHARE = 1.0  # of the children under 5, the share weighed by the month's end
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)  # no SMS between these (local time, India)
SMS_PER_CONDITION_PER_DAY = 1  # per person

NO_SUBMISSION_7, NO_SUBMISSION_30, NO_VHSND, HOME_VISITS_LOW, WEIGHING_LOW = (
    "no_submission_7", "no_submission_30", "no_vhsnd", "home_visits_low", "weighing_low")
# Whom each condition is for: the supervisor of the centre's sector, or the CDPO of its project.
AUDIENCE = {NO_SUBMISSION_7: "supervisor", NO_SUBMISSION_30: "cdpo", NO_VHSND: "supervisor",
            HOME_VISITS_LOW: "supervisor", WEIGHING_LOW: "supervisor"}
CONDITIONS = tuple(AUDIENCE)


def conditions_for(role: str) -> tuple[str, ...]:
    return tuple(c for c in CONDITIONS if AUDIENCE[c] == role)


@dataclass(frozen=True)
class CentreFacts:
    """What the daily facts say about one centre on a day (None: never)."""

    awc_id: int
    last_submission: date | None = None
    last_vhsnd: date | None = None
    visits_due: int = 0  # women due a home visit this month
    visits_done: int = 0  # of them, visited so far this month
    children_due: int = 0  # children under 5, to be weighed this month
    children_weighed: int = 0  # of them, weighed so far this month


@dataclass(frozen=True)
class Finding:
    condition: str
    figure: int | None  # days since (None: never), or how many are missing against the norm so far


def days_since(day: date | None, today: date) -> int | None:
    return None if day is None else (today - day).days


def expected_so_far(due: int, share: float, today: date) -> int:
    """How many of `due` the norm expects done by `today`: pro rata over the month, nothing in its first week."""
    if today.day <= NORM_GRACE_DAYS or due <= 0:
        return 0
    return int(due * share * today.day / calendar.monthrange(today.year, today.month)[1])


def _stale(day: date | None, today: date, limit: int) -> bool:
    return day is None or (today - day).days >= limit


def findings(facts: CentreFacts, today: date, *, only: tuple[str, ...] = CONDITIONS) -> list[Finding]:
    """The conditions that hold for a centre on `today` (those in `only`), each with its figure."""
    found = []
    since = days_since(facts.last_submission, today)
    if NO_SUBMISSION_7 in only and _stale(facts.last_submission, today, NO_SUBMISSION_SUPERVISOR_DAYS):
        found.append(Finding(NO_SUBMISSION_7, since))
    if NO_SUBMISSION_30 in only and _stale(facts.last_submission, today, NO_SUBMISSION_CDPO_DAYS):
        found.append(Finding(NO_SUBMISSION_30, since))
    if NO_VHSND in only and _stale(facts.last_vhsnd, today, NO_VHSND_DAYS):
        found.append(Finding(NO_VHSND, days_since(facts.last_vhsnd, today)))
    visits = expected_so_far(facts.visits_due, HOME_VISIT_NORM_SHARE, today)
    if HOME_VISITS_LOW in only and facts.visits_done < visits:
        found.append(Finding(HOME_VISITS_LOW, visits - facts.visits_done))
    weighed = expected_so_far(facts.children_due, WEIGHING_NORM_SHARE, today)
    if WEIGHING_LOW in only and facts.children_weighed < weighed:
        found.append(Finding(WEIGHING_LOW, weighed - facts.children_weighed))
    return found


def transitions(open_now: set[tuple[str, int]], holding: set[tuple[str, int]]) -> tuple[set, set]:
    """(condition, centre) pairs to open (hold now, no open alert) and to clear (open alert, no longer holds)."""
    return holding - open_now, open_now - holding


def in_quiet_hours(at: time) -> bool:
    return at >= QUIET_FROM or at < QUIET_UNTIL


def may_send_sms(at: time, sent_today: int) -> bool:
    """One SMS per condition per person per day, never in quiet hours."""
    return not in_quiet_hours(at) and sent_today < SMS_PER_CONDITION_PER_DAY


def visits_short(visits_this_month: int) -> int:
    """Visits still due this month at a centre under the norm (0: the month's visit is done)."""
    return max(0, VISITS_PER_AWC_PER_MONTH - visits_this_month)
