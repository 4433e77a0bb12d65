"""Management of acute malnutrition, case by case (CMAM) — the protocol's rules, pure Python, no Django.

What lives here:

* :class:`Rules` — every threshold and schedule of the protocol as one table of named values, with
  the protocol version and a source note. The defaults are the MoWCD/MoHFW *Protocol for Management
  of Malnutrition in Children* (2023) where it states a value, and the WHO 2013 guideline on the
  management of severe acute malnutrition where it does not. A state sets its own values without code
  changes: :func:`rules_with` reads a dict of overrides (stored per state as JSON, see
  ``growth.cases.models.CaseRulesOverride``) into a new ``Rules``; unknown names or wrong types are
  refused with a message.
* :func:`classify` — SAM / MAM / SUW / "at risk" (under 6 months) from one measurement.
* :func:`derive` — a case's whole state (status, category, level of care, what is due next and when,
  what is overdue, outcome, weight gain) from its ordered events, the child's date of birth and the day
  asked about. It is the only place the protocol's steps are decided: services, pages, the API, the
  nightly job and the dashboards all read its answer, so they cannot disagree.

Events are (kind, date, data) triples in the order they were recorded (see ``Event``). Nothing here
reads a clock: "today" is an argument, so a state derived for a day is the same on every re-run.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable

# --- the rules -------------------------------------------------------------------------------------

SAM, MAM, SUW, AT_RISK = "sam", "mam", "suw", "at_risk"
CATEGORIES = (SAM, MAM, SUW, AT_RISK)
CATEGORY_RANK = {AT_RISK: 4, SAM: 3, MAM: 2, SUW: 1}  # SAM outranks MAM outranks SUW

DANGER_SIGNS = (
    "not_eating",          # not able to eat or drink / breastfeed
    "vomiting_everything",
    "convulsions",
    "lethargy",            # lethargic or unconscious
    "fever",               # high fever (or hypothermia)
    "diarrhoea_dehydration",
    "breathing_difficulty",  # fast breathing, chest indrawing
    "severe_anaemia",      # severe palmar pallor
    "skin_lesions",        # open skin lesions / infections
    "eye_signs",           # signs of vitamin A deficiency
)

MEDICINES = ("amoxicillin", "vitamin_a", "albendazole", "ifa", "zinc_ors", "other")


@dataclass(frozen=True)
class Rules:
    """The protocol as named values. Change them per state with :func:`rules_with`, never in code."""

    version: str = "CMAM-2023/WHO-2013"
    source: str = ("MoWCD & MoHFW, Protocol for Management of Malnutrition in Children (Oct 2023); "
                   "WHO, Updates on the management of severe acute malnutrition in infants and children "
                   "(2013) where the protocol states no value.")
    # Identification
    sam_whz: float = -3.0            # SAM: WHZ < -3
    mam_whz: float = -2.0            # MAM: -3 <= WHZ < -2
    sam_muac_cm: float = 11.5        # SAM: MUAC < 11.5 cm (6-59 months)
    mam_muac_cm: float = 12.5        # MAM: 11.5 <= MUAC < 12.5 cm
    suw_waz: float = -3.0            # severely underweight: WAZ < -3
    infant_months: int = 6           # under this age: "at risk", referred to a facility
    age_out_months: int = 60         # the programme treats children 6-59 months; a case open at 60 months ends
    # Assessment and level of care
    appetite_test_from_months: int = 6
    danger_signs: tuple[str, ...] = DANGER_SIGNS
    screening_within_days: int = 5   # medical officer's screening within 3-5 days...
    screening_from_days: int = 3     # ... of the decision to manage at the centre
    referral_outcome_days: int = 7   # an NRC referral without an outcome after this many days is overdue
    # Follow-up
    followup_days_sam: int = 7
    followup_days_mam: int = 14
    followup_days_suw: int = 14
    followup_days_at_risk: int = 7
    no_gain_followups: int = 2       # weight falls or does not rise at this many follow-ups in a row: refer
    buddy_mother_within_days: int = 7
    # Exit
    recovered_whz: float = -2.0
    recovered_muac_cm: float = 12.5
    recovered_waz: float = -3.0      # SUW cases recover on weight-for-age
    recovered_followups: int = 2     # on this many consecutive follow-ups
    recovered_no_oedema_days: int = 14
    max_treatment_weeks: int = 16    # not recovered by then: non-responder, referred
    default_missed_followups: int = 3
    post_recovery_followup_days: int = 30
    relapse_window_days: int = 91    # three months after recovery
    # Supervision
    sam_no_followup_alert_days: int = 10

    def followup_days(self, category: str) -> int:
        return {SAM: self.followup_days_sam, MAM: self.followup_days_mam, SUW: self.followup_days_suw,
                AT_RISK: self.followup_days_at_risk}[category]


DEFAULT_RULES = Rules()
_FIELDS = {f.name: f for f in dataclasses.fields(Rules)}


class RulesError(ValueError):
    """An override that cannot be used; the message says which value and why."""


def rules_with(overrides: dict[str, Any] | None, base: Rules = DEFAULT_RULES) -> Rules:
    """``base`` with the values of ``overrides`` (a state's JSON) replaced; checked, never guessed."""
    if not overrides:
        return base
    if not isinstance(overrides, dict):
        raise RulesError("The overrides must be a JSON object of name: value.")
    values: dict[str, Any] = {}
    for name, value in overrides.items():
        if name not in _FIELDS:
            raise RulesError(f"'{name}' is not a rule of the protocol.")
        default = getattr(base, name)
        if isinstance(default, bool) or isinstance(value, bool):
            raise RulesError(f"'{name}' cannot be true or false.")
        if isinstance(default, tuple):
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
                raise RulesError(f"'{name}' must be a list of names.")
            value = tuple(value)
        elif isinstance(default, str):
            if not isinstance(value, str) or not value.strip():
                raise RulesError(f"'{name}' must be a text.")
        elif isinstance(default, int):
            if not isinstance(value, int) or value < 0:
                raise RulesError(f"'{name}' must be a whole number of 0 or more.")
        elif isinstance(default, float):
            if not isinstance(value, (int, float)):
                raise RulesError(f"'{name}' must be a number.")
            value = float(value)
        values[name] = value
    rules = dataclasses.replace(base, **values)
    if rules.sam_whz >= rules.mam_whz or rules.sam_muac_cm >= rules.mam_muac_cm:
        raise RulesError("The SAM thresholds must lie below the MAM thresholds.")
    if rules.screening_from_days > rules.screening_within_days:
        raise RulesError("The screening window must start before it ends.")
    if min(rules.followup_days_sam, rules.followup_days_mam, rules.followup_days_suw,
           rules.followup_days_at_risk, rules.recovered_followups, rules.default_missed_followups) < 1:
        raise RulesError("Follow-up intervals and counts must be at least 1.")
    return rules


# --- identification ----------------------------------------------------------------------------------

def age_in_months(dob: date, on: date) -> int:
    """Completed months of age (the day of the month counts)."""
    months = (on.year - dob.year) * 12 + on.month - dob.month
    return months - (1 if on.day < dob.day else 0)


def add_months(d: date, months: int) -> date:
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _lt(value: float | None, limit: float) -> bool:
    return value is not None and value == value and value < limit  # NaN counts as unknown


def classify(*, age_months: int, whz: float | None = None, waz: float | None = None,
             muac_cm: float | None = None, oedema: bool = False, not_gaining: bool = False,
             rules: Rules = DEFAULT_RULES) -> str | None:
    """The case category one measurement calls for, or None (no case).

    6-59 months: SAM = WHZ < -3, MUAC < 11.5 cm or bilateral pitting oedema; MAM = -3 <= WHZ < -2 or
    11.5 <= MUAC < 12.5 cm; SUW = WAZ < -3 (when neither). Under 6 months: visibly wasted (WHZ < -3),
    oedema, SUW or not gaining weight → "at risk". From the age-out month on: None.
    """
    if age_months >= rules.age_out_months or age_months < 0:
        return None
    if age_months < rules.infant_months:
        if oedema or _lt(whz, rules.sam_whz) or _lt(waz, rules.suw_waz) or not_gaining:
            return AT_RISK
        return None
    if oedema or _lt(whz, rules.sam_whz) or _lt(muac_cm, rules.sam_muac_cm):
        return SAM
    if _lt(whz, rules.mam_whz) or _lt(muac_cm, rules.mam_muac_cm):
        return MAM
    if _lt(waz, rules.suw_waz):
        return SUW
    return None


# --- events and the derived state --------------------------------------------------------------------

# Event kinds (CaseEvent.kind stores the same codes).
IDENTIFIED = "identified"
APPETITE_TEST = "appetite_test"
COMPLICATIONS = "complications"
REFERRED = "referred"
REFERRAL_OUTCOME = "referral_outcome"
SCREENED = "screened"
FOLLOWUP = "followup"
BUDDY_MOTHER = "buddy_mother"
COUNSELLED = "counselled"
TRANSFERRED = "transferred"
EXIT = "exit"
EVENT_KINDS = (IDENTIFIED, APPETITE_TEST, COMPLICATIONS, REFERRED, REFERRAL_OUTCOME, SCREENED, FOLLOWUP,
               BUDDY_MOTHER, COUNSELLED, TRANSFERRED, EXIT)

# Appetite test results
PASSED, FAILED, NOT_DONE = "passed", "failed", "not_done"
# Referral outcomes
ADMITTED, NOT_ADMITTED, RETURNED, REFUSED = "admitted", "not_admitted", "returned", "refused"
REFERRAL_OUTCOMES = (ADMITTED, NOT_ADMITTED, RETURNED, REFUSED)

# Statuses
ASSESSMENT = "assessment"            # SAM: appetite test / complications not yet checked
REFERRAL_PENDING = "referral_pending"  # referred, no outcome recorded yet
AT_NRC = "at_nrc"                    # admitted to the NRC / facility
IN_TREATMENT = "in_treatment"        # managed at the centre / in the community
CLOSED = "closed"
STATUSES = (ASSESSMENT, REFERRAL_PENDING, AT_NRC, IN_TREATMENT, CLOSED)
OPEN_STATUSES = (ASSESSMENT, REFERRAL_PENDING, AT_NRC, IN_TREATMENT)

# Levels of care
CENTRE, NRC = "centre", "nrc"

# Outcomes
RECOVERED = "recovered"
NON_RESPONDER = "non_responder"
DEFAULTED = "defaulted"
REFERRED_NOT_RETURNED = "referred_not_returned"
MOVED = "moved"
DIED = "died"
AGED_OUT = "aged_out"
OUTCOMES = (RECOVERED, NON_RESPONDER, DEFAULTED, REFERRED_NOT_RETURNED, MOVED, DIED, AGED_OUT)
# Outcomes a person records with an exit event; the others follow from the events and the calendar.
RECORDED_OUTCOMES = (DIED, MOVED, REFERRED_NOT_RETURNED, DEFAULTED, NON_RESPONDER)

# Steps (what is due)
STEP_APPETITE_TEST = "appetite_test"
STEP_COMPLICATIONS = "complications"
STEP_REFER = "refer"                 # refer to the NRC / facility now
STEP_REFERRAL_OUTCOME = "referral_outcome"
STEP_SCREENING = "screening"
STEP_FOLLOWUP = "followup"
STEP_BUDDY_MOTHER = "buddy_mother"
STEP_POST_RECOVERY = "post_recovery_followup"
STEPS = (STEP_APPETITE_TEST, STEP_COMPLICATIONS, STEP_REFER, STEP_REFERRAL_OUTCOME, STEP_SCREENING,
         STEP_FOLLOWUP, STEP_BUDDY_MOTHER, STEP_POST_RECOVERY)
STEP_ORDER = {step: i for i, step in enumerate(STEPS)}

# Why a referral is needed
WHY_OEDEMA = "oedema"
WHY_COMPLICATION = "complication"
WHY_APPETITE = "appetite_failed"
WHY_NO_GAIN = "no_weight_gain"
WHY_INFANT = "infant_at_risk"
WHY_NON_RESPONDER = "non_responder"


@dataclass(frozen=True)
class Event:
    kind: str
    on: date
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Due:
    step: str
    on: date


@dataclass
class CaseState:
    status: str
    category: str
    level: str
    opened_on: date
    due: list[Due] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    refer_because: list[str] = field(default_factory=list)
    outcome: str = ""
    closed_on: date | None = None
    appetite: str = ""
    complications: tuple[str, ...] = ()
    treatment_from: date | None = None
    screening_due: date | None = None
    screened_on: date | None = None
    referral_open_since: date | None = None
    referrals: int = 0
    nrc_admissions: int = 0
    nrc_returns: int = 0
    last_followup: date | None = None
    followups: int = 0
    missed_followups: int = 0
    buddy_mother: bool = False
    counselling: int = 0
    admission_weight_kg: float | None = None
    min_weight_kg: float | None = None
    min_weight_on: date | None = None
    last_weight_kg: float | None = None
    last_weight_on: date | None = None
    weight_gain_g_kg_day: float | None = None
    days_since_followup: int | None = None
    sam_no_followup_alert: bool = False
    recovered_on: date | None = None
    post_recovery_until: date | None = None
    transfers: int = 0

    @property
    def is_open(self) -> bool:
        return self.status != CLOSED

    @property
    def next_step(self) -> Due | None:
        return self.due[0] if self.due else None

    @property
    def length_of_stay_days(self) -> int | None:
        return (self.closed_on - self.opened_on).days if self.closed_on else None


def _num(data: dict, key: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def _meets_recovery(category: str, data: dict, rules: Rules) -> bool:
    if data.get("oedema"):
        return False
    whz, muac, waz = _num(data, "whz"), _num(data, "muac_cm"), _num(data, "waz")
    if category == SUW:
        return waz is not None and waz >= rules.recovered_waz
    if whz is None and muac is None:
        return False
    return (whz is None or whz >= rules.recovered_whz) and (muac is None or muac >= rules.recovered_muac_cm)


def gain_g_kg_day(min_kg: float | None, min_on: date | None, last_kg: float | None,
                  last_on: date | None) -> float | None:
    """(last weight − lowest weight) in g per kg of the lowest weight per day since it (WHO/Sphere)."""
    if None in (min_kg, min_on, last_kg, last_on) or not min_kg or last_on <= min_on:
        return None
    return round((last_kg - min_kg) * 1000 / (min_kg * (last_on - min_on).days), 1)


def derive(events: Iterable[Event], *, dob: date, today: date, rules: Rules = DEFAULT_RULES) -> CaseState:
    """The state of one case on ``today`` from its events (the first must be ``identified``).

    The protocol step by step:

    1. ``identified`` opens the case with its category. SAM from 6 months needs an appetite test and the
       danger-sign check; an infant under 6 months "at risk" is referred to a facility at once.
    2./3. Oedema, any complication or a failed appetite test → refer to an NRC (``refer`` due now);
       otherwise management at the centre starts, with the medical screening due within
       ``screening_from_days``–``screening_within_days`` days (SAM who passed, and every SUW child).
    4. A referral waits for its outcome: admitted → at the NRC until ``returned``; returned, not
       admitted or refused → management at the centre continues.
    5. Follow-ups every 7 (SAM) / 14 (MAM, SUW) days. Escalate (refer) when the appetite test fails,
       oedema appears, a complication appears, or the weight falls or does not rise at
       ``no_gain_followups`` follow-ups in a row. Values that meet SAM at a MAM/SUW follow-up make the
       case SAM (appetite test due).
    6. Exit: recovered after ``recovered_followups`` consecutive follow-ups meeting the criteria with no
       oedema for ``recovered_no_oedema_days``; non-responder at ``max_treatment_weeks``; defaulted after
       ``default_missed_followups`` missed follow-ups; aged out at ``age_out_months``; or an ``exit``
       event (died, moved, referred and not returned, …). After recovery a monthly follow-up is due
       until the relapse window ends.
    A ``transferred`` event moves nothing here: the case travels with the child.
    """
    events = list(events)
    if not events or events[0].kind != IDENTIFIED:
        raise ValueError("A case starts with its identification.")
    first = events[0]
    category = first.data.get("category")
    if category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}.")
    state = CaseState(status=IN_TREATMENT, category=category, level=CENTRE, opened_on=first.on)
    age_out_on = add_months(dob, rules.age_out_months)

    needs_assessment = category == SAM and age_in_months(dob, first.on) >= rules.appetite_test_from_months
    appetite_done = complications_done = False
    refer_because: list[str] = []
    last_oedema_on: date | None = first.on if first.data.get("oedema") else None
    meeting_streak = 0
    no_gain_streak = 0
    last_followup_weight: float | None = _num(first.data, "weight_kg")

    def note_weight(kg: float | None, on: date) -> None:
        if kg is None:
            return
        if state.admission_weight_kg is None:
            state.admission_weight_kg = kg
        if state.min_weight_kg is None or kg < state.min_weight_kg:
            state.min_weight_kg, state.min_weight_on = kg, on
        state.last_weight_kg, state.last_weight_on = kg, on

    def start_treatment(on: date) -> None:
        state.status, state.level = IN_TREATMENT, CENTRE
        if state.treatment_from is None:
            state.treatment_from = on

    def close(outcome: str, on: date) -> None:
        state.status, state.outcome, state.closed_on = CLOSED, outcome, on
        if outcome == RECOVERED:
            state.recovered_on = on
            state.post_recovery_until = on + timedelta(days=rules.relapse_window_days)

    note_weight(_num(first.data, "weight_kg"), first.on)
    if category == AT_RISK:
        refer_because.append(WHY_INFANT)
    elif first.data.get("oedema"):
        refer_because.append(WHY_OEDEMA)
    if needs_assessment:
        state.status = ASSESSMENT
    elif not refer_because:
        start_treatment(first.on)
    if category == SUW or (category == SAM and not needs_assessment):
        state.screening_due = first.on + timedelta(days=rules.screening_within_days)

    def decide_after_assessment(on: date) -> None:
        nonlocal refer_because
        if state.status != ASSESSMENT or not (appetite_done and complications_done):
            return
        if not refer_because:
            start_treatment(on)
            if state.appetite != FAILED and state.screening_due is None:
                state.screening_due = on + timedelta(days=rules.screening_within_days)

    def calendar(day: date) -> None:
        """What the passing days decide by ``day``: ageing out, non-response, default."""
        nonlocal refer_because
        if state.status == CLOSED:
            return
        if day >= age_out_on:
            close(AGED_OUT, age_out_on)
            return
        if state.status != IN_TREATMENT or state.treatment_from is None:
            return
        limit = state.opened_on + timedelta(weeks=rules.max_treatment_weeks)
        defaulted_on = None
        if not refer_because:  # waiting for a referral is not missing a weighing
            interval = rules.followup_days(category)
            since = state.last_followup or state.treatment_from
            # A follow-up due on day d is missed from day d + 1 on.
            state.missed_followups = max(0, ((min(day, limit) - since).days - 1) // interval)
            defaulted_on = since + timedelta(days=interval * rules.default_missed_followups + 1)
        # Whichever came first: the third missed follow-up, or the end of the longest treatment.
        if defaulted_on is not None and defaulted_on <= day and defaulted_on < limit:
            close(DEFAULTED, defaulted_on)
        elif day >= limit:
            close(NON_RESPONDER, limit)
            refer_because = [WHY_NON_RESPONDER]

    for event in events[1:]:
        on, data = event.on, event.data
        calendar(on)
        if state.status == CLOSED and not (event.kind == FOLLOWUP and state.outcome == RECOVERED):
            continue  # nothing changes a closed case except the follow-up after recovery
        if event.kind == APPETITE_TEST:
            state.appetite = data.get("result", "")
            appetite_done = True
            if state.appetite == FAILED and WHY_APPETITE not in refer_because:
                refer_because.append(WHY_APPETITE)
            decide_after_assessment(on)
        elif event.kind == COMPLICATIONS:
            signs = tuple(s for s in data.get("signs", ()) if s)
            state.complications = signs
            complications_done = True
            if signs and WHY_COMPLICATION not in refer_because:
                refer_because.append(WHY_COMPLICATION)
            decide_after_assessment(on)
        elif event.kind == REFERRED:
            state.status, state.level = REFERRAL_PENDING, NRC
            state.referral_open_since = on
            state.referrals += 1
            refer_because = []
        elif event.kind == REFERRAL_OUTCOME:
            outcome = data.get("outcome")
            state.referral_open_since = None
            if outcome == ADMITTED:
                state.status, state.level = AT_NRC, NRC
                state.nrc_admissions += 1
            else:
                if outcome == RETURNED:
                    state.nrc_returns += 1
                # Back from the NRC, not admitted or refused: management at the centre (continues).
                start_treatment(on)
                state.last_followup = on  # the next weighing counts from the return
                no_gain_streak = meeting_streak = 0
                kg = _num(data, "weight_kg")
                note_weight(kg, on)
                if kg is not None:
                    last_followup_weight = kg
                if outcome == RETURNED and state.screening_due is None and state.screened_on is None:
                    state.screening_due = on + timedelta(days=rules.screening_within_days)
        elif event.kind == SCREENED:
            state.screened_on = on
        elif event.kind == BUDDY_MOTHER:
            state.buddy_mother = True
        elif event.kind == COUNSELLED:
            state.counselling += 1
        elif event.kind == TRANSFERRED:
            state.transfers += 1
        elif event.kind == EXIT:
            close(data.get("outcome", ""), on)
        elif event.kind == FOLLOWUP:
            kg = _num(data, "weight_kg")
            if state.status == CLOSED:  # after recovery
                continue
            state.followups += 1
            state.last_followup = on
            state.missed_followups = 0
            note_weight(kg, on)
            if data.get("oedema"):
                last_oedema_on = on
            # Worse: values that meet SAM make a MAM / SUW case SAM.
            if category in (MAM, SUW) and data.get("category") == SAM:
                category = state.category = SAM
                needs_assessment = age_in_months(dob, on) >= rules.appetite_test_from_months
                if needs_assessment and state.status == IN_TREATMENT:
                    state.status, appetite_done, complications_done = ASSESSMENT, False, False
            if state.status in (IN_TREATMENT, ASSESSMENT):
                reasons = []
                if data.get("appetite") == FAILED:
                    reasons.append(WHY_APPETITE)
                if data.get("oedema") and category != AT_RISK:
                    reasons.append(WHY_OEDEMA)
                if [s for s in data.get("complications", ()) if s]:
                    reasons.append(WHY_COMPLICATION)
                if kg is not None and last_followup_weight is not None:
                    no_gain_streak = no_gain_streak + 1 if kg <= last_followup_weight else 0
                    if no_gain_streak >= rules.no_gain_followups:
                        reasons.append(WHY_NO_GAIN)
                for why in reasons:
                    if why not in refer_because:
                        refer_because.append(why)
            if kg is not None:
                last_followup_weight = kg
            if _meets_recovery(category, data, rules) and not refer_because:
                meeting_streak += 1
            else:
                meeting_streak = 0
            oedema_free = last_oedema_on is None or (on - last_oedema_on).days >= rules.recovered_no_oedema_days
            if (meeting_streak >= rules.recovered_followups and oedema_free and state.status == IN_TREATMENT):
                close(RECOVERED, on)

    calendar(today)
    state.refer_because = list(refer_because) if state.status != CLOSED or state.outcome == NON_RESPONDER else []
    state.weight_gain_g_kg_day = gain_g_kg_day(state.min_weight_kg, state.min_weight_on, state.last_weight_kg,
                                               state.last_weight_on)
    if state.last_followup is not None or state.treatment_from is not None:
        since = state.last_followup or state.treatment_from
        state.days_since_followup = (today - since).days
    state.sam_no_followup_alert = (state.status == IN_TREATMENT and category == SAM
                                   and state.days_since_followup is not None
                                   and state.days_since_followup >= rules.sam_no_followup_alert_days)
    _due(state, category, rules, today=today, appetite_done=appetite_done, complications_done=complications_done,
         events=events)
    return state


def _due(state: CaseState, category: str, rules: Rules, *, today: date, appetite_done: bool,
         complications_done: bool, events: list[Event]) -> None:
    due: list[Due] = []
    if state.status == CLOSED:
        if state.outcome == RECOVERED and state.recovered_on and state.post_recovery_until:
            last = max([e.on for e in events if e.kind == FOLLOWUP and e.on >= state.recovered_on],
                       default=state.recovered_on)
            nxt = last + timedelta(days=rules.post_recovery_followup_days)
            if nxt <= state.post_recovery_until:
                due.append(Due(STEP_POST_RECOVERY, nxt))
    else:
        last_event_on = max(e.on for e in events)
        if state.refer_because and state.status != REFERRAL_PENDING:
            due.append(Due(STEP_REFER, last_event_on))
        if state.status == ASSESSMENT and not state.refer_because:
            if not appetite_done:
                due.append(Due(STEP_APPETITE_TEST, state.opened_on))
            if not complications_done:
                due.append(Due(STEP_COMPLICATIONS, state.opened_on))
        if state.status == REFERRAL_PENDING and state.referral_open_since:
            due.append(Due(STEP_REFERRAL_OUTCOME,
                           state.referral_open_since + timedelta(days=rules.referral_outcome_days)))
        if state.status == IN_TREATMENT:
            if state.screening_due and state.screened_on is None:
                due.append(Due(STEP_SCREENING, state.screening_due))
            since = state.last_followup or state.treatment_from
            if since is not None:
                due.append(Due(STEP_FOLLOWUP, since + timedelta(days=rules.followup_days(category))))
            if not state.buddy_mother and state.treatment_from is not None:
                due.append(Due(STEP_BUDDY_MOTHER, state.treatment_from
                               + timedelta(days=rules.buddy_mother_within_days)))
    due.sort(key=lambda d: (d.step != STEP_REFER, d.on, STEP_ORDER[d.step]))  # a referral comes first
    state.due = due
    state.overdue = [d.step for d in due if d.on < today]


def is_relapse(previous: CaseState | None, opened_on: date) -> bool:
    """A new case within the relapse window after a recovery is a relapse of that case."""
    return (previous is not None and previous.outcome == RECOVERED and previous.post_recovery_until is not None
            and previous.recovered_on is not None and previous.recovered_on <= opened_on
            <= previous.post_recovery_until)
