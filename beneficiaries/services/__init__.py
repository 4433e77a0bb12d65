"""Every write about people, one module per concern: households and people (people/), consent (consent.py),
pregnancy and delivery (pregnancy.py), leaving (exits.py), moves between centres (transfers.py), Aadhaar
look-ups (lookups.py) and the centre's daily services (daily.py)."""
from ..numbers import mobile_index
from .consent import AADHAAR_PURPOSE, ConsentInput, consent_record, consent_withdraw
from .daily import AttendanceResult, attendance_correct, attendance_record, home_visit_record
from .exits import (beneficiaries_exit_aged_out, beneficiary_exit, beneficiary_exit_undo, can_undo_exit,
                    exit_undoable)
from .people import (EDITABLE, EnrolAs, HouseholdInput, PersonInput, beneficiary_register, beneficiary_update,
                     household_register, mark_visited, mark_weighed, register_with_new_household)
from .pregnancy import NewbornInput, check_lmp, delivery_record, pregnancy_register
from .transfers import can_answer, can_return, transfer_decide, transfer_pull, transfer_request, transfer_return

__all__ = [
    "AADHAAR_PURPOSE", "EDITABLE", "AttendanceResult", "ConsentInput", "EnrolAs", "HouseholdInput", "NewbornInput",
    "PersonInput", "attendance_correct", "attendance_record", "beneficiaries_exit_aged_out", "beneficiary_exit",
    "beneficiary_exit_undo", "can_undo_exit", "exit_undoable",
    "beneficiary_register", "beneficiary_update", "can_answer", "can_return", "check_lmp", "consent_record",
    "consent_withdraw", "delivery_record", "home_visit_record", "household_register",
    "mark_visited", "mark_weighed", "mobile_index", "pregnancy_register", "register_with_new_household",
    "transfer_decide", "transfer_pull", "transfer_request", "transfer_return",
]
