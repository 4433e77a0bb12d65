"""Every write of malnutrition management (CMAM): each step is one event, written in one transaction with its
audit entry, after which the case's stored state is derived again (growth.cases.rules.derive).

A case opens by itself from every measurement (``measurement_recorded``, called by
growth.services.measurement_record in the same transaction), so the worker's own screen never waits for
the nightly job; the job (``cases_refresh`` / ``cases_open_missed``) only moves the calendar on for cases
nobody touched and opens cases for measurements recorded before this module existed.
"""
from ..record import TEXT_CHARS, case_refresh, case_state, measurement_recorded, rules_for  # noqa: F401
from .nightly import (  # noqa: F401
    cases_missed, cases_nightly, cases_open_missed, cases_refresh, child_moved, open_case_districts)
from .steps import (  # noqa: F401
    appetite_test_record, buddy_mother_assign, buddy_visit_record, case_exit, complications_record,
    counselling_record, followup_record, referral_outcome_record, referral_record, screening_record,
)
