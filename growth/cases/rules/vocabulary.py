"""The words of a case: event kinds, statuses, outcomes, steps, reasons to refer, and the shapes
:func:`~growth.cases.rules.derive` reads and answers (``Event``, ``Due``, ``CaseState``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Event kinds (CaseEvent.kind stores the same codes).
IDENTIFIED = "identified"
APPETITE_TEST = "appetite_test"
COMPLICATIONS = "complications"
REFERRED = "referred"
REFERRAL_OUTCOME = "referral_outcome"
SCREENED = "screened"
FOLLOWUP = "followup"
BUDDY_MOTHER = "buddy_mother"
BUDDY_VISIT = "buddy_visit"          # the buddy mother's weekly visit to the child's home
COUNSELLED = "counselled"
TRANSFERRED = "transferred"
EXIT = "exit"
EVENT_KINDS = (IDENTIFIED, APPETITE_TEST, COMPLICATIONS, REFERRED, REFERRAL_OUTCOME, SCREENED, FOLLOWUP,
               BUDDY_MOTHER, BUDDY_VISIT, COUNSELLED, TRANSFERRED, EXIT)

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
STEP_BUDDY_VISIT = "buddy_visit"     # the buddy mother's weekly visit, once she is chosen
STEP_POST_RECOVERY = "post_recovery_followup"
STEPS = (STEP_APPETITE_TEST, STEP_COMPLICATIONS, STEP_REFER, STEP_REFERRAL_OUTCOME, STEP_SCREENING,
         STEP_FOLLOWUP, STEP_BUDDY_MOTHER, STEP_BUDDY_VISIT, STEP_POST_RECOVERY)
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
    buddy_visits: int = 0
    buddy_visit_from: date | None = None  # the weekly visit counts from here (chosen, last visit, back from NRC)
    missed_buddy_visits: int = 0
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
