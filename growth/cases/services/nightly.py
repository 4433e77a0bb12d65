"""The case travels with the child; the nightly job moves the calendar on and opens missed cases."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from anganwadi.models import Location
from growth.models import ChildStatus, Class, Measurement
from poshan.core.dates import add_months

from .. import rules
from ..models import Case, CaseRulesOverride
from ..record import _after, _category_of, _event, _open, _store, _today, case_state, rules_for

# --- the child moves; the nightly job --------------------------------------------------------------------

def child_moved(*, actor, beneficiary_ids, to_awc: Location, on: date, **_kwargs) -> None:
    """The case travels with the child: its centre (and ancestors) become the new centre's.

    Answers beneficiaries.signals.people_moved, inside the transfer's transaction.
    """
    for case in Case.objects.select_for_update().filter(child_id__in=list(beneficiary_ids), is_open=True):
        from_awc = case.awc_id
        case.awc_id, case.sector_id, case.project_id = to_awc.pk, to_awc.sector_id, to_awc.project_id
        case.district_id, case.state_id = to_awc.district_id, to_awc.state_id
        case.save(update_fields=["awc", "sector", "project", "district", "state"])
        _event(actor=actor, case=case, kind=rules.TRANSFERRED, on=on,
               payload={"from_awc": from_awc, "to_awc": to_awc.pk}, audit_fields=["to_awc"])
        _after(case)


def cases_refresh(*, case_ids=None, today: date | None = None, district_id: int | None = None) -> int:
    """Derive the stored state again for open cases (the calendar moves on: overdue steps, default, …).

    Returns how many cases changed. Two queries to read, one update per changed case.
    """
    today = today or _today()
    cases = Case.objects.filter(is_open=True).select_related("child")
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    if district_id is not None:
        cases = cases.filter(district_id=district_id)
    cases = list(cases.prefetch_related("events"))
    overrides = {row.state_id: rules.rules_with(row.overrides) for row in CaseRulesOverride.objects.all()}
    changed: list[Case] = []
    fields: set[str] = set()
    for case in cases:
        events = sorted(case.events.all(), key=lambda e: (e.date, e.id))
        state = case_state(case, today=today, events=events,
                           rule_set=overrides.get(case.state_id, rules.DEFAULT_RULES))
        names = set(_store(case, state, today, save=False)) - {"derived_on"}
        if names:
            changed.append(case)
            fields |= names | {"derived_on"}
    if changed:  # one UPDATE per thousand cases, not one per case (bench/cases.py)
        with transaction.atomic():
            Case.objects.bulk_update(changed, sorted(fields), batch_size=1000)
    return len(changed)


def cases_open_missed(*, measurement_ids, actor=None) -> int:
    """Open the cases the measurements call for that have none (recorded before cases existed, or imported)."""
    opened = 0
    for measurement in Measurement.objects.filter(pk__in=list(measurement_ids)).select_related("child__awc"):
        with transaction.atomic():
            if Case.objects.filter(child_id=measurement.child_id, opened_on__gte=measurement.date).exists():
                continue
            if Case.objects.filter(child_id=measurement.child_id, is_open=True).exists():
                continue
            rule_set = rules_for(measurement.child.awc.state_id)
            category = _category_of(measurement, measurement.child, rule_set)
            if category is None:
                continue
            _open(actor=actor, child=measurement.child, measurement=measurement, category=category,
                  rule_set=rule_set, today=_today())
            opened += 1
    return opened


def cases_missed(*, run_date: date) -> list[int]:
    """The measurements since the first of last month whose status calls for a case that nobody opened."""
    since = add_months(run_date, -1)  # the first of last month
    handled = Case.objects.filter(child_id=OuterRef("child_id")).filter(
        Q(is_open=True) | Q(opened_on__gte=OuterRef("measured_on")) | Q(closed_on__gte=OuterRef("measured_on")))
    missed = (ChildStatus.objects.filter(Q(acute__in=[Class.MODERATE, Class.SEVERE]) | Q(underweight=Class.SEVERE),
                                         measured_on__gte=since, measured_on__lte=run_date,
                                         measurement_id__isnull=False)
              .exclude(Exists(handled)).order_by("measurement_id").values_list("measurement_id", flat=True))
    return list(missed)


def open_case_districts() -> list[int]:
    """The districts with an open case: the nightly derivation goes district by district."""
    return list(Case.objects.filter(is_open=True).values_list("district_id", flat=True).distinct().order_by())


def cases_nightly(*, run_date: date) -> dict:
    """After the nightly flagging, in one process: open the cases its statuses call for that nobody opened, then
    derive every open case again for the day (overdue steps, the SAM alert, default, non-response, age).

    Nothing on the worker's screen waits for this: every measurement opens its case at once. Cases are
    read district by district (two queries each), so memory stays bounded at any scale. The Celery task
    (growth.tasks.cases_nightly) runs the same steps as tasks of bounded size.
    """
    opened = cases_open_missed(measurement_ids=cases_missed(run_date=run_date))
    changed = sum(cases_refresh(district_id=district_id, today=run_date) for district_id in open_case_districts())
    return {"opened": opened, "changed": changed}
