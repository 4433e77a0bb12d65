"""/api/v1/: every app's endpoints under one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from anganwadi.api import CentreDayViewSet, EcceViewSet, LocationViewSet, MeView
from grievances.api import GrievanceViewSet
from training.api import ModuleProgressViewSet, VideoViewSet
from beneficiaries.api import (AttendanceViewSet, BeneficiaryViewSet, HomeVisitViewSet, HouseholdViewSet,
                               PregnancyViewSet, TransferViewSet)
from growth.api import ChildGrowthViewSet, MeasurementViewSet
from poshan.core.batch_api import SubmissionBatchView

router = DefaultRouter()
router.register("locations", LocationViewSet, basename="location")
router.register("grievances", GrievanceViewSet, basename="grievance")
router.register("training/videos", VideoViewSet, basename="training-video")
router.register("training/progress", ModuleProgressViewSet, basename="training-progress")
router.register("households", HouseholdViewSet, basename="household")
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("pregnancies", PregnancyViewSet, basename="pregnancy")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("centre-days", CentreDayViewSet, basename="centre-day")
router.register("ecce", EcceViewSet, basename="ecce")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("home-visits", HomeVisitViewSet, basename="home-visit")
router.register("growth/measurements", MeasurementViewSet, basename="growth-measurement")
router.register("growth/children", ChildGrowthViewSet, basename="growth-child")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("submissions/batch/", SubmissionBatchView.as_view(), name="api-submission-batch"),
    path("", include(router.urls)),
]
