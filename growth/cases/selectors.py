"""Reads of malnutrition cases for pages, the API, the take-home ration and the dashboards."""
from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, prefetch_related_objects

from anganwadi.selectors import scope_q
from poshan.core.roles import Level

from . import rules
from .models import Case, CaseEvent
from .record import case_state, rules_for

AUGMENTED_RATION_CATEGORIES = (rules.SAM, rules.MAM, rules.SUW)


def children_under_treatment(*, beneficiary_ids, on: date, **_kwargs) -> set[int]:
    """Children with a SAM, MAM or severely underweight case open on ``on`` (augmented take-home ration).

    Answers beneficiaries.signals.under_treatment_asked. One query.
    """
    return set(Case.objects.filter(child_id__in=list(beneficiary_ids), category__in=AUGMENTED_RATION_CATEGORIES,
                                   opened_on__lte=on).exclude(closed_on__lt=on)
               .values_list("child_id", flat=True))


# --- pages -----------------------------------------------------------------------------------------------

def cases_q(user) -> Q:
    """Cases in the user's area (and what she holds on additional charge today), through the case's own
    ancestor columns: one indexed filter, no join."""
    return scope_q(user, ancestors_on_row=True)


def scoped_cases(user):
    return Case.objects.filter(cases_q(user))


def place_cases(*, user, level: str, location_id: int | None):
    """The user's cases inside one place of her area (a dashboard's place; None: all she sees), through the
    case's own ancestor columns."""
    cases = scoped_cases(user)
    if location_id is None:
        return cases
    return cases.filter(**{"awc_id" if level == Level.AWC else f"{level}_id": location_id})


def with_states(cases, *, today: date) -> list[tuple[Case, rules.CaseState]]:
    """Each case with its state derived for today (events read in one query for all)."""
    cases = list(cases)
    if not cases:
        return []
    prefetch_related_objects(cases, Prefetch("events", queryset=CaseEvent.objects.order_by("date", "id")))
    rule_sets: dict = {}
    rows = []
    for case in cases:
        if case.state_id not in rule_sets:
            rule_sets[case.state_id] = rules_for(case.state_id)
        rows.append((case, case_state(case, today=today, events=list(case.events.all()),
                                      rule_set=rule_sets[case.state_id])))
    return rows


def worker_cases(*, user, today: date):
    """The children under treatment in the user's area, what is due first: open cases and the recovered
    still watched monthly, newest state derived now (the nightly job is not needed for this list)."""
    watch_from = today - timedelta(days=rules.DEFAULT_RULES.relapse_window_days)
    cases = (scoped_cases(user).filter(Q(is_open=True) | Q(outcome=rules.RECOVERED, closed_on__gte=watch_from))
             .select_related("child", "awc").order_by("next_due", "id"))
    rows = with_states(cases, today=today)
    rows = [(c, s) for c, s in rows if s.is_open or s.due]
    rows.sort(key=lambda row: (row[1].next_step.on if row[1].next_step else date.max, row[0].pk))
    return rows


def overview(*, user) -> dict:
    """Open cases by status, overdue steps, referrals without outcome, SAM children without follow-up for 10
    days: counts from the stored state (one query)."""
    open_ = scoped_cases(user).filter(is_open=True)
    counts = open_.aggregate(
        total=Count("id"),
        **{f"status_{s}": Count("id", filter=Q(status=s)) for s in rules.OPEN_STATUSES},
        **{f"cat_{c}": Count("id", filter=Q(category=c)) for c in rules.CATEGORIES},
        overdue=Count("id", filter=~Q(overdue_steps="")),
        referrals=Count("id", filter=Q(referral_open_since__isnull=False)),
        alerts=Count("id", filter=Q(sam_no_followup_alert=True)),
    )
    return counts


def sam_alert_count(*, user) -> int:
    """SAM children of the user's area without a follow-up for 10 days (the stored alert; one query)."""
    return scoped_cases(user).filter(is_open=True, sam_no_followup_alert=True).count()


def attention_cases(*, user, show: str):
    """Open cases needing the supervisor: overdue, referrals without an outcome, or the 10-day SAM alert."""
    filters = {"overdue": ~Q(overdue_steps=""), "referrals": Q(referral_open_since__isnull=False),
               "alerts": Q(sam_no_followup_alert=True)}
    wanted = filters.get(show, filters["overdue"] | filters["referrals"] | filters["alerts"])
    return (scoped_cases(user).filter(wanted, is_open=True).select_related("child", "awc")
            .order_by("next_due", "id"))
