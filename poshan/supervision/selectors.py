"""Reads of the supervisor's month, each starting from the user's scope (anganwadi.selectors), each a fixed number
of queries whatever the number of centres.

"A submission" from a centre is any of its daily facts: the centre's day (open, or why not), an attendance
sheet, a weighing, a home visit — dated by the day it records. The alerts are worked out from these facts on
the spot (`centre_facts` + `rules.findings`), so a page is right even if the beat task has not run; the task keeps
the Alert rows (opened once, cleared when the condition stops) and sends the SMS.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from anganwadi.models import AwcDay, Location
from anganwadi.selectors import awcs_visible_to, user_area
from beneficiaries.lifestage import years_before
from beneficiaries.models import AttendanceSubmission, Beneficiary, HomeVisit
from beneficiaries.schedules import WEIGHING_UNDER_YEARS
from beneficiaries.selectors import pregnant_or_lactating_q, present_q
from growth.models import Measurement
from poshan.core.dates import first_of_month

from . import rules
from .models import ActionItem, Alert, AlertRun, Condition, Vhsnd, Visit

SUBMISSION_LOOKBACK_DAYS = rules.NO_SUBMISSION_CDPO_DAYS + 30  # older facts are "none in this many days"
VHSND_LOOKBACK_DAYS = rules.NO_VHSND_DAYS + 30
ALERT_LINES_SHOWN = 20
RECENT_VISITS = 5
RECENT_VHSNDS = 5


def supervised_awcs(user) -> QuerySet[Location]:
    """The active centres of the user's area (a supervisor's sector, a CDPO's project), by name."""
    return awcs_visible_to(user).filter(is_active=True).order_by("name", "pk")


def _latest(model, awcs: QuerySet, since: date, day_field: str = "date") -> dict[int, date]:
    rows = (model.objects.filter(awc_id__in=awcs.values("pk"), **{f"{day_field}__gte": since})
            .values("awc_id").annotate(last=Max(day_field)).order_by())
    return {row["awc_id"]: row["last"] for row in rows}


def _last_submissions(awcs: QuerySet, today: date) -> dict[int, date]:
    since = today - timedelta(days=SUBMISSION_LOOKBACK_DAYS)
    latest: dict[int, date] = {}
    for model in (AwcDay, AttendanceSubmission, Measurement, HomeVisit):
        for awc_id, day in _latest(model, awcs, since).items():
            latest[awc_id] = max(day, latest.get(awc_id, day))
    return latest


def _month_counts(awcs: QuerySet, today: date, who: Q, done_field: str) -> dict[int, tuple[int, int]]:
    """Per centre: (people due this month, of them done since the 1st), people by `who`, done by `done_field`."""
    rows = (Beneficiary.objects.filter(awc_id__in=awcs.values("pk")).filter(present_q(today)).filter(who)
            .values("awc_id").annotate(due=Count("pk"), done=Count("pk", filter=Q(**{
                f"{done_field}__gte": first_of_month(today)}))).order_by())
    return {row["awc_id"]: (row["due"], row["done"]) for row in rows}


def centre_facts(awcs: QuerySet, today: date, *, only: tuple[str, ...] = rules.CONDITIONS) -> dict[int, rules.CentreFacts]:
    """What the daily facts say of each centre of `awcs` on `today` (only the queries `only` needs: 1 to 8)."""
    ids = list(awcs.values_list("pk", flat=True))
    no_submission = {rules.NO_SUBMISSION_7, rules.NO_SUBMISSION_30} & set(only)
    submitted = _last_submissions(awcs, today) if no_submission else {}
    vhsnd = (_latest(Vhsnd, awcs, today - timedelta(days=VHSND_LOOKBACK_DAYS), "on")
             if rules.NO_VHSND in only else {})
    women = pregnant_or_lactating_q(today)
    visits = _month_counts(awcs, today, women, "last_visited_on") if rules.HOME_VISITS_LOW in only else {}
    children = Q(dob__lte=today, dob__gt=years_before(today, WEIGHING_UNDER_YEARS))
    weighed = _month_counts(awcs, today, children, "last_weighed_on") if rules.WEIGHING_LOW in only else {}
    return {pk: rules.CentreFacts(awc_id=pk, last_submission=submitted.get(pk), last_vhsnd=vhsnd.get(pk),
                                  visits_due=visits.get(pk, (0, 0))[0], visits_done=visits.get(pk, (0, 0))[1],
                                  children_due=weighed.get(pk, (0, 0))[0],
                                  children_weighed=weighed.get(pk, (0, 0))[1])
            for pk in ids}


# ---- the alerts on the home page ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AlertLine:
    awc: Location
    condition: str
    label: str
    figure: int | None
    since: date | None  # the day the beat task opened its alert (None: not yet seen by a run)


@dataclass
class AlertBoard:
    lines: list[AlertLine] = field(default_factory=list)
    more: int = 0
    last_run: datetime | None = None


def alerts_for(user, today: date | None = None) -> AlertBoard:
    """The conditions that hold today at the centres of the user's area and concern her role (9 queries at most)."""
    only = rules.conditions_for(getattr(user, "role", ""))
    area = user_area(user)
    if not only or area is None or area.location is None:
        return AlertBoard()
    today = today or timezone.localdate()
    awcs = supervised_awcs(user)
    names = {awc.pk: awc for awc in awcs.only("pk", "name", "code")}
    facts = centre_facts(awcs, today, only=only)
    opened = {(a.condition, a.awc_id): a.opened_on for a in
              Alert.objects.filter(awc_id__in=awcs.values("pk"), state=Alert.State.OPEN, condition__in=only)
              .only("condition", "awc_id", "opened_on")}
    labels = dict(Condition.choices)
    lines = [AlertLine(names[pk], f.condition, labels[f.condition], f.figure, opened.get((f.condition, pk)))
             for pk, centre in facts.items() for f in rules.findings(centre, today, only=only)]
    run = AlertRun.objects.filter(district_id=area.location.district_id).order_by("-finished_at").first()
    return AlertBoard(lines=lines[:ALERT_LINES_SHOWN], more=max(0, len(lines) - ALERT_LINES_SHOWN),
                      last_run=run.finished_at if run else None)


# ---- the sector view and one centre's page ------------------------------------------------------------------------
@dataclass(frozen=True)
class SectorRow:
    awc: Location
    visits_this_month: int
    visits_short: int
    last_visit: date | None
    open_actions: int
    last_vhsnd: date | None


def sector_rows(awcs: list[Location], month: date) -> list[SectorRow]:
    """Visits due and done this month, open actions and the last VHSND, for a page of centres (3 queries)."""
    ids = [awc.pk for awc in awcs]
    start = first_of_month(month)
    visits = {r["awc_id"]: r for r in Visit.objects.filter(awc_id__in=ids).values("awc_id").annotate(
        month=Count("pk", filter=Q(on__gte=start, on__lte=month)), last=Max("on")).order_by()}
    actions = dict(ActionItem.objects.filter(awc_id__in=ids, status=ActionItem.Status.OPEN).values("awc_id")
                   .annotate(n=Count("pk")).order_by().values_list("awc_id", "n"))
    vhsnd = dict(Vhsnd.objects.filter(awc_id__in=ids).values("awc_id").annotate(last=Max("on")).order_by()
                 .values_list("awc_id", "last"))
    rows = []
    for awc in awcs:
        done = visits.get(awc.pk, {}).get("month", 0)
        rows.append(SectorRow(awc, done, rules.visits_short(done), visits.get(awc.pk, {}).get("last"),
                              actions.get(awc.pk, 0), vhsnd.get(awc.pk)))
    return rows


def open_actions(awc: Location) -> list[ActionItem]:
    return list(ActionItem.objects.filter(awc=awc, status=ActionItem.Status.OPEN).select_related("raised_in")
                .order_by("due_on", "pk"))


def recent_visits(awc: Location) -> list[Visit]:
    return list(Visit.objects.filter(awc=awc).select_related("supervisor").prefetch_related("checks", "actions")
                .order_by("-on", "-pk")[:RECENT_VISITS])


def recent_vhsnds(awc: Location) -> list[Vhsnd]:
    return list(Vhsnd.objects.filter(awc=awc).order_by("-on", "-pk")[:RECENT_VHSNDS])
