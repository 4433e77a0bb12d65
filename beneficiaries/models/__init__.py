"""The beneficiaries app's models: people (households, persons, consent, pregnancies, moves) and their daily services."""
from .daily import Attendance, AttendanceSubmission, HomeVisit
from .people import AwcMembership, Beneficiary, Consent, Household, Pregnancy, Transfer

__all__ = ["Attendance", "AttendanceSubmission", "AwcMembership", "Beneficiary", "Consent", "HomeVisit", "Household",
           "Pregnancy", "Transfer"]
