"""Programme-quality indicators of malnutrition management, for any area and period (read only).

Counted from the cases' stored state (written by the services after every event and by the nightly step), in
a fixed number of queries whatever the area:

* admissions — cases opened in the period (of which relapses: linked to an earlier recovered case);
* open — cases open at the end of the period (opened by then, not closed by then);
* exits in the period by outcome; the rates of recovered, died and defaulted are shares of the exits that count
  for the standard (moved away and reached 5 years are left out, as transfers are in Sphere);
* Sphere's minimum standards as bands: recovered > 75 %, died < 10 %, defaulted < 15 %;
* average length of stay (days, opened → recovered) and average weight gain (g/kg/day) of the recovered;
* NRC referrals made in cases opened in the period, the admissions that followed, and the returns;
* relapse rate — admissions that are relapses, as a share of admissions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, DurationField, F, Q, Sum

from . import rules
from .models import CaseEvent

SPHERE = {  # indicator: (comparison, threshold %)
    "recovered": (">", 75.0),
    "died": ("<", 10.0),
    "defaulted": ("<", 15.0),
}
NOT_COUNTED_EXITS = (rules.MOVED, rules.AGED_OUT)


def band(name: str, rate: float | None) -> str:
    """'ok' when the rate meets Sphere's standard, 'bad' when not, '' without exits."""
    if rate is None:
        return ""
    op, limit = SPHERE[name]
    return "ok" if (rate > limit if op == ">" else rate < limit) else "bad"


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Indicators:
    admissions: int = 0
    admissions_by_category: dict = field(default_factory=dict)
    relapses: int = 0
    open: int = 0
    exits: dict = field(default_factory=dict)
    counted_exits: int = 0
    recovered_rate: float | None = None
    died_rate: float | None = None
    defaulted_rate: float | None = None
    non_responder_rate: float | None = None
    avg_length_of_stay_days: float | None = None
    avg_weight_gain_g_kg_day: float | None = None
    nrc_referrals: int = 0
    nrc_admissions: int = 0
    nrc_returns: int = 0
    nrc_completion_rate: float | None = None
    relapse_rate: float | None = None

    @property
    def bands(self) -> dict[str, str]:
        return {"recovered": band("recovered", self.recovered_rate), "died": band("died", self.died_rate),
                "defaulted": band("defaulted", self.defaulted_rate)}


def indicators(cases, *, start: date, end: date) -> Indicators:
    """The indicators of ``cases`` (a scoped Case queryset) for the days ``start``..``end``. Three queries."""
    out = Indicators()
    opened = cases.filter(opened_on__gte=start, opened_on__lte=end)
    a = opened.aggregate(n=Count("id"), relapses=Count("id", filter=Q(relapse_of__isnull=False)),
                         referrals=Sum("nrc_referrals"), nrc=Sum("nrc_admissions"),
                         **{f"c_{c}": Count("id", filter=Q(category=c)) for c in rules.CATEGORIES})
    out.admissions, out.relapses = a["n"], a["relapses"]
    out.admissions_by_category = {c: a[f"c_{c}"] for c in rules.CATEGORIES}
    out.nrc_referrals, out.nrc_admissions = a["referrals"] or 0, a["nrc"] or 0
    closed = Q(is_open=False, closed_on__gte=start, closed_on__lte=end)
    recovered = closed & Q(outcome=rules.RECOVERED)
    b = cases.aggregate(
        open=Count("id", filter=Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))),
        **{f"x_{o}": Count("id", filter=closed & Q(outcome=o)) for o in rules.OUTCOMES},
        stay=Sum(F("closed_on") - F("opened_on"), filter=recovered, output_field=DurationField()),
        gain=Avg("weight_gain_g_kg_day", filter=recovered))
    out.open = b["open"]
    out.exits = {o: b[f"x_{o}"] for o in rules.OUTCOMES}
    out.counted_exits = sum(n for o, n in out.exits.items() if o not in NOT_COUNTED_EXITS)
    out.recovered_rate = _pct(out.exits[rules.RECOVERED], out.counted_exits)
    out.died_rate = _pct(out.exits[rules.DIED], out.counted_exits)
    out.defaulted_rate = _pct(out.exits[rules.DEFAULTED], out.counted_exits)
    out.non_responder_rate = _pct(out.exits[rules.NON_RESPONDER], out.counted_exits)
    if out.exits[rules.RECOVERED]:
        out.avg_length_of_stay_days = round(b["stay"] / timedelta(days=1) / out.exits[rules.RECOVERED], 1)
        out.avg_weight_gain_g_kg_day = None if b["gain"] is None else round(b["gain"], 1)
    out.nrc_returns = CaseEvent.objects.filter(case__in=opened, kind=rules.REFERRAL_OUTCOME,
                                               payload__outcome=rules.RETURNED).count()
    out.nrc_completion_rate = _pct(out.nrc_returns, out.nrc_admissions)
    out.relapse_rate = _pct(out.relapses, out.admissions)
    return out


EXPORT_COLUMNS = ("case_id", "child_pseudonym", "awc_code", "category", "opened_on", "relapse_of", "status",
                  "level", "outcome", "closed_on", "length_of_stay_days", "weight_gain_g_kg_day", "nrc_referrals",
                  "nrc_admissions", "rules_version")


def export_rows(cases, *, start: date, end: date):
    """One row per case opened or closed in the period, with a pseudonymous child id (never a name)."""
    rows = (cases.filter(Q(opened_on__gte=start, opened_on__lte=end) | Q(closed_on__gte=start, closed_on__lte=end))
            .order_by("opened_on", "id")
            .values_list("id", "child__pseudonym", "awc__code", "category", "opened_on", "relapse_of_id", "status",
                         "level", "outcome", "closed_on", "weight_gain_g_kg_day", "nrc_referrals", "nrc_admissions",
                         "rules_version"))
    for (pk, pseudonym, awc_code, category, opened_on, relapse_of, status, level, outcome, closed_on, gain, refs,
         nrc, version) in rows.iterator(chunk_size=2000):
        stay = (closed_on - opened_on).days if closed_on else ""
        yield (pk, str(pseudonym), awc_code, category, opened_on.isoformat(), relapse_of or "", status, level,
               outcome, closed_on.isoformat() if closed_on else "", stay, "" if gain is None else gain, refs, nrc,
               version)
