"""A test world runs 20 weeks of malnutrition management through the services: 40 SAM and 80 MAM children across
five centres, each with a drawn trajectory (recovering, through the NRC, not responding, defaulting, dying,
referred and not returned, moving, relapsing). The indicators then equal the counts made directly from the cases'
events, on the indicators page and on the main dashboard of every level (sector, project, district, state, nation)
for every month of the twenty weeks."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from growth import services as growth_services
from growth.cases import indicators, rules, services
from growth.models import Case, CaseEvent
from poshan.core.dates import add_months, last_of_month
from poshan.dashboards import cases as dashboard_cases
from tests.growth.conftest import TODAY

WEEKS = 20
START = TODAY - timedelta(weeks=WEEKS)


def d(day: int):
    return START + timedelta(days=day)


def dec(x: float, places: int = 1) -> Decimal:
    return Decimal(f"{x:.{places}f}")


def plan(kind: str, i: int) -> list[tuple[int, str, dict]]:
    """The actions of one child: (day, action, arguments), from its admission day."""
    o = (i % 4) * 7  # admissions spread over four weeks
    sam = kind.startswith("sam")
    acts: list[tuple[int, str, dict]] = [(o, "measure", {"kg": 8.0 if sam else 9.0, "muac": 11.0 if sam else 12.0})]
    if sam and kind in ("sam_nrc", "sam_not_returned"):
        acts += [(o, "appetite", {"result": rules.FAILED}), (o, "complications", {"signs": []}),
                 (o + 1, "referral", {}), (o + 2, "outcome", {"outcome": rules.ADMITTED})]
    elif sam:
        acts += [(o, "appetite", {"result": rules.PASSED}), (o, "complications", {"signs": []}),
                 (o + 3, "screening", {}), (o + 2, "buddy", {})]
    step = 7 if sam else 14
    if kind in ("sam_recovering", "mam_recovering", "mam_relapsing"):
        base_muac = 11.0 if sam else 12.0
        acts += [(o + step * k, "followup", {"kg": (8.0 if sam else 9.0) + 0.1 * k, "muac": base_muac + 0.3 * k})
                 for k in range(1, 9)]
    if kind == "mam_relapsing":  # recovered on day o + 42; MAM again four weeks later: a relapse, then recovery
        acts += [(o + 70, "measure", {"kg": 9.2, "muac": 12.2}), (o + 84, "followup", {"kg": 9.4, "muac": 12.5}),
                 (o + 98, "followup", {"kg": 9.6, "muac": 12.8})]
    if kind == "sam_nrc":
        acts += [(o + 16, "outcome", {"outcome": rules.RETURNED, "weight_kg": "8.50"})]
        acts += [(o + 16 + 7 * k, "followup", {"kg": 8.5 + 0.1 * k, "muac": 11.5 + 0.3 * k}) for k in range(1, 9)]
    if kind in ("sam_non_responder", "mam_non_responder"):
        acts += [(o + step * k, "followup", {"kg": (8.0 if sam else 9.0) + 0.05 * k, "muac": 11.2 if sam else 12.0})
                 for k in range(1, 20)]
    if kind in ("sam_defaulting", "mam_defaulting"):
        acts += [(o + step * k, "followup", {"kg": (8.0 if sam else 9.0) + 0.1 * k, "muac": 11.3 if sam else 12.1})
                 for k in (1, 2)][: 2 if sam else 1]
    if kind == "sam_died":
        acts += [(o + 7, "followup", {"kg": 7.9, "muac": 11.0}), (o + 10, "exit", {"outcome": rules.DIED})]
    if kind == "sam_not_returned":
        acts += [(o + 56, "exit", {"outcome": rules.REFERRED_NOT_RETURNED})]
    if kind == "sam_moving":
        acts += [(o + 7 * k, "followup", {"kg": 8.0 + 0.1 * k, "muac": 11.2 + 0.1 * k}) for k in (1, 2, 3)]
        acts += [(o + 22, "exit", {"outcome": rules.MOVED})]
    return acts


SAM_KINDS = (["sam_recovering"] * 20 + ["sam_nrc"] * 6 + ["sam_non_responder"] * 4 + ["sam_defaulting"] * 4
             + ["sam_died"] * 2 + ["sam_not_returned"] * 2 + ["sam_moving"] * 2)
MAM_KINDS = ["mam_recovering"] * 60 + ["mam_defaulting"] * 10 + ["mam_non_responder"] * 5 + ["mam_relapsing"] * 5


@pytest.mark.django_db
def test_twenty_weeks_of_cases_and_the_indicators_equal_the_cases(world, make_child, users, login):
    centres = [world.awc1, world.awc2, world.awc3, world.awc4, world.awc5]
    children = []
    schedule: dict[int, list] = defaultdict(list)
    for n, kind in enumerate(SAM_KINDS + MAM_KINDS):
        child = make_child(centres[n % 5], dob=START - timedelta(days=730 + n % 30))
        children.append((child, kind))
        for day, action, args in plan(kind, n):
            schedule[day].append((child, action, args))
    aww = users.aww
    refused = Counter()
    for day in sorted(schedule):
        with time_machine.travel(d(day), tick=False):
            for child, action, args in schedule[day]:
                case = Case.objects.filter(child=child).order_by("-id").first()
                try:
                    if action == "measure":
                        growth_services.measurement_record(actor=aww, child=child, date=d(day), weight_kg=dec(args["kg"], 2),
                                                           muac_cm=dec(args["muac"]))
                    elif action == "followup":
                        services.followup_record(actor=aww, case=case, on=d(day), weight_kg=dec(args["kg"], 2),
                                                 muac_cm=dec(args["muac"]), appetite=rules.PASSED)
                    elif action == "appetite":
                        services.appetite_test_record(actor=aww, case=case, on=d(day), **args)
                    elif action == "complications":
                        services.complications_record(actor=aww, case=case, on=d(day), **args)
                    elif action == "screening":
                        services.screening_record(actor=aww, case=case, on=d(day), medicines=["amoxicillin"])
                    elif action == "buddy":
                        services.buddy_mother_assign(actor=aww, case=case, on=d(day), name="Buddy")
                    elif action == "referral":
                        services.referral_record(actor=aww, case=case, on=d(day), facility="District NRC")
                    elif action == "outcome":
                        services.referral_outcome_record(actor=aww, case=case, on=d(day), **args)
                    elif action == "exit":
                        services.case_exit(actor=aww, case=case, on=d(day), **args)
                except ValidationError:
                    refused[action] += 1  # a closed case takes no more steps: the trajectory ended
    with time_machine.travel(TODAY, tick=False):
        services.cases_nightly(run_date=TODAY)

    # Directly from the cases' events.
    cases = list(Case.objects.select_related("child").order_by("id"))
    states = {c.pk: services.case_state(c, today=TODAY) for c in cases}
    outcomes = Counter(s.outcome for s in states.values() if not s.is_open)
    counted = sum(n for o, n in outcomes.items() if o not in (rules.MOVED, rules.AGED_OUT))
    recovered = [(c, states[c.pk]) for c in cases if states[c.pk].outcome == rules.RECOVERED]
    events = list(CaseEvent.objects.all())
    direct = {
        "admissions": len(cases),
        "relapses": sum(1 for c in cases if c.relapse_of_id),
        "open": sum(1 for s in states.values() if s.is_open),
        "recovered_rate": round(100 * outcomes[rules.RECOVERED] / counted, 1),
        "died_rate": round(100 * outcomes[rules.DIED] / counted, 1),
        "defaulted_rate": round(100 * outcomes[rules.DEFAULTED] / counted, 1),
        "los": round(sum((s.closed_on - c.opened_on).days for c, s in recovered) / len(recovered), 1),
        "gain": round(sum(s.weight_gain_g_kg_day for _c, s in recovered) / len(recovered), 1),
        "referrals": sum(1 for e in events if e.kind == rules.REFERRED),
        "nrc": sum(1 for e in events if e.kind == rules.REFERRAL_OUTCOME and e.payload["outcome"] == rules.ADMITTED),
        "returns": sum(1 for e in events if e.kind == rules.REFERRAL_OUTCOME and e.payload["outcome"] == rules.RETURNED),
    }
    got = indicators.indicators(Case.objects.all(), start=START, end=TODAY)
    assert {
        "admissions": got.admissions, "relapses": got.relapses, "open": got.open,
        "recovered_rate": got.recovered_rate, "died_rate": got.died_rate, "defaulted_rate": got.defaulted_rate,
        "los": got.avg_length_of_stay_days, "gain": got.avg_weight_gain_g_kg_day, "referrals": got.nrc_referrals,
        "nrc": got.nrc_admissions, "returns": got.nrc_returns,
    } == direct
    assert got.exits == {o: outcomes[o] for o in rules.OUTCOMES}
    # Every trajectory reached its end: the world holds every outcome, and the figures are the drawn ones.
    assert (got.admissions, got.relapses) == (125, 5)
    assert got.exits == {rules.RECOVERED: 20 + 6 + 60 + 5 + 5, rules.NON_RESPONDER: 4 + 5, rules.DEFAULTED: 4 + 10,
                         rules.DIED: 2, rules.REFERRED_NOT_RETURNED: 2, rules.MOVED: 2, rules.AGED_OUT: 0}
    assert (got.nrc_referrals, got.nrc_admissions, got.nrc_returns) == (8, 8, 6)
    assert got.bands == {"recovered": "ok", "died": "ok", "defaulted": "ok"}
    assert got.open == 0 and got.relapse_rate == round(100 * 5 / 125, 1)

    # The main dashboard of every level shows, for every month, what the place's cases say directly.
    events_of = defaultdict(list)
    for event in events:
        events_of[event.case_id].append(event)
    awcs = {c.pk: c.child.awc for c in cases}
    places = [(users.supervisor, world.sector1), (users.cdpo, world.project1), (users.dpo, world.district1),
              (users.state, world.state1), (users.ministry, None)]
    months = [add_months(START.replace(day=1), n) for n in range(5)]
    assert months[-1] == TODAY.replace(day=1)
    with time_machine.travel(TODAY, tick=False):
        for user, place in places:
            level = place.level if place else "nation"
            inside = [c for c in cases if place is None or getattr(awcs[c.pk], f"{level}_id") == place.pk]
            assert inside
            for month in months:
                end = min(last_of_month(month), TODAY)
                shown = dashboard_cases.section(user=user, place=(level, place), month=month)
                assert figures_of(shown.figures) == direct_figures(inside, states, events_of, month, end), (level, month)
            page = login(user).get(reverse("dashboards:home"), {"month": TODAY.strftime("%Y-%m")}).content.decode()
            assert card(page, "admissions") == str(shown.figures.admissions)
            assert card(page, "open") == str(shown.figures.open)
            if shown.figures.recovered_rate is not None:
                assert card(page, "recovered") == f"{shown.figures.recovered_rate}%"


def figures_of(f: indicators.Indicators) -> dict:
    return {"admissions": f.admissions, "relapses": f.relapses, "open": f.open, "exits": f.exits,
            "recovered_rate": f.recovered_rate, "died_rate": f.died_rate, "defaulted_rate": f.defaulted_rate,
            "los": f.avg_length_of_stay_days, "gain": f.avg_weight_gain_g_kg_day, "referrals": f.nrc_referrals,
            "nrc": f.nrc_admissions, "returns": f.nrc_returns, "relapse_rate": f.relapse_rate}


def direct_figures(cases, states, events_of, start, end) -> dict:
    """The month's figures counted one case at a time from the derived states and the events."""
    opened = [c for c in cases if start <= c.opened_on <= end]
    closed = [(c, states[c.pk]) for c in cases
              if not states[c.pk].is_open and start <= states[c.pk].closed_on <= end]
    exits = Counter(s.outcome for _c, s in closed)
    counted = sum(n for o, n in exits.items() if o not in (rules.MOVED, rules.AGED_OUT))
    recovered = [(c, s) for c, s in closed if s.outcome == rules.RECOVERED]
    gains = [s.weight_gain_g_kg_day for _c, s in recovered if s.weight_gain_g_kg_day is not None]
    outcomes = [e.payload["outcome"] for c in opened for e in events_of[c.pk] if e.kind == rules.REFERRAL_OUTCOME]

    def rate(n, whole):
        return round(100 * n / whole, 1) if whole else None

    return {
        "admissions": len(opened), "relapses": sum(1 for c in opened if c.relapse_of_id),
        "open": sum(1 for c in cases if c.opened_on <= end
                    and (states[c.pk].is_open or states[c.pk].closed_on > end)),
        "exits": {o: exits[o] for o in rules.OUTCOMES},
        "recovered_rate": rate(exits[rules.RECOVERED], counted), "died_rate": rate(exits[rules.DIED], counted),
        "defaulted_rate": rate(exits[rules.DEFAULTED], counted),
        "los": round(sum((s.closed_on - c.opened_on).days for c, s in recovered) / len(recovered), 1)
        if recovered else None,
        "gain": round(sum(gains) / len(gains), 1) if gains else None,
        "referrals": sum(1 for c in opened for e in events_of[c.pk] if e.kind == rules.REFERRED),
        "nrc": outcomes.count(rules.ADMITTED), "returns": outcomes.count(rules.RETURNED),
        "relapse_rate": rate(sum(1 for c in opened if c.relapse_of_id), len(opened)),
    }


def card(page: str, name: str) -> str:
    """The value a card of the dashboard's cases section shows."""
    found = re.search(rf'id="cases-{name}">.*?<div class="ind-value">(.*?)</div>', page, re.DOTALL)
    assert found, name
    return found.group(1).strip()
