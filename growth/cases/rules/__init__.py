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
# The package's public names, re-exported: callers write ``rules.derive``, ``rules.SAM``.
from .due import is_relapse  # noqa: F401
from .state import derive, gain_g_kg_day  # noqa: F401
from .values import (  # noqa: F401
    AT_RISK, CATEGORIES, CATEGORY_RANK, DANGER_SIGNS, DEFAULT_RULES, MAM, MEDICINES, SAM, SUW, Rules,
    RulesError, add_months, age_in_months, classify, rules_with,
)
from .vocabulary import (  # noqa: F401
    ADMITTED, AGED_OUT, APPETITE_TEST, ASSESSMENT, AT_NRC, BUDDY_MOTHER, BUDDY_VISIT, CENTRE, CLOSED, COMPLICATIONS,
    COUNSELLED, DEFAULTED, DIED, EVENT_KINDS, EXIT, FAILED, FOLLOWUP, IDENTIFIED, IN_TREATMENT, MOVED,
    NON_RESPONDER, NOT_ADMITTED, NOT_DONE, NRC, OPEN_STATUSES, OUTCOMES, PASSED, RECORDED_OUTCOMES, RECOVERED,
    REFERRAL_OUTCOME, REFERRAL_OUTCOMES, REFERRAL_PENDING, REFERRED, REFERRED_NOT_RETURNED, REFUSED, RETURNED,
    SCREENED, STATUSES, STEPS, STEP_APPETITE_TEST, STEP_BUDDY_MOTHER, STEP_BUDDY_VISIT, STEP_COMPLICATIONS,
    STEP_FOLLOWUP, STEP_ORDER, STEP_POST_RECOVERY, STEP_REFER, STEP_REFERRAL_OUTCOME, STEP_SCREENING, TRANSFERRED,
    WHY_APPETITE, WHY_COMPLICATION, WHY_INFANT, WHY_NON_RESPONDER, WHY_NO_GAIN, WHY_OEDEMA, CaseState, Due,
    Event,
)
