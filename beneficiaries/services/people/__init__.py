"""Households and people: registering a family and its members, and correcting a person's details.

inputs.py: what the forms and the API hand in; rules.py: the checks made before anything is written; register.py:
registering a family and its members; records.py: correcting a person, and the dates other services move forward."""
from .inputs import MIN_MOTHER_AGE, EnrolAs, HouseholdInput, PersonInput
from .records import EDITABLE, beneficiary_update, mark_visited, mark_weighed
from .register import beneficiary_register, household_register, register_with_new_household
from .rules import _clean_numbers, _require_awc

__all__ = ["EDITABLE", "MIN_MOTHER_AGE", "EnrolAs", "HouseholdInput", "PersonInput", "_clean_numbers", "_require_awc",
           "beneficiary_register", "beneficiary_update", "household_register", "mark_visited", "mark_weighed",
           "register_with_new_household"]
