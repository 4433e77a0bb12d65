"""The beneficiaries app's models: people (households, persons, consent, pregnancies, moves) and their daily services."""
from .daily import Attendance, AttendanceSubmission, CounsellingTopic, HomeVisit
from .exits import ExitUndo
from .lifestages import LifeStageChange
from .people import AwcMembership, Beneficiary, Consent, Household, Pregnancy, Transfer

__all__ = ["Attendance", "AttendanceSubmission", "AwcMembership", "Beneficiary", "Consent", "CounsellingTopic", "ExitUndo",
           "HomeVisit", "Household", "LifeStageChange", "Pregnancy", "Transfer"]
