"""Every write about people: registration and moves (registration.py), the centre's daily services (daily.py)."""
from .daily import AttendanceResult, attendance_correct, attendance_record, home_visit_record
from .exits import beneficiary_exit_undo, can_undo_exit, exit_undoable
from .registration import (AADHAAR_PURPOSE, EDITABLE, ConsentInput, EnrolAs, HouseholdInput, NewbornInput,
                           PersonInput, beneficiaries_exit_aged_out, beneficiary_exit, beneficiary_register,
                           beneficiary_update, can_answer, can_return, check_lmp, consent_record, consent_withdraw, delivery_record,
                           first_of_month, has_consent, household_register, last_of_month, mark_visited, mark_weighed,
                           mobile_index, pregnancy_register, register_with_new_household, transfer_decide, transfer_pull,
                           transfer_request, transfer_return)

__all__ = [
    "AADHAAR_PURPOSE", "EDITABLE", "AttendanceResult", "ConsentInput", "EnrolAs", "HouseholdInput", "NewbornInput",
    "PersonInput", "attendance_correct", "attendance_record", "beneficiaries_exit_aged_out", "beneficiary_exit",
    "beneficiary_exit_undo", "can_undo_exit", "exit_undoable",
    "beneficiary_register", "beneficiary_update", "can_answer", "can_return", "check_lmp", "consent_record",
    "consent_withdraw", "delivery_record", "first_of_month", "has_consent", "home_visit_record", "household_register",
    "last_of_month", "mark_visited", "mark_weighed", "mobile_index", "pregnancy_register", "register_with_new_household",
    "transfer_decide", "transfer_pull", "transfer_request", "transfer_return",
]
