from .daily import AttendanceViewSet, HomeVisitViewSet, record_attendance, record_home_visit
from .register import BeneficiaryViewSet, HouseholdViewSet, PregnancyViewSet, TransferViewSet, register_person

__all__ = ["AttendanceViewSet", "BeneficiaryViewSet", "HomeVisitViewSet", "HouseholdViewSet", "PregnancyViewSet",
           "TransferViewSet", "record_attendance", "record_home_visit", "register_person"]
