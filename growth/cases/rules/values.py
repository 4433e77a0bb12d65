"""The protocol's rules as one table of named values (:class:`Rules`), state overrides, and the
classification of one measurement (:func:`classify`). Pure Python."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

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
    buddy_visit_days: int = 7        # the buddy mother visits the child every week
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
           rules.followup_days_at_risk, rules.recovered_followups, rules.default_missed_followups,
           rules.buddy_visit_days) < 1:
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

