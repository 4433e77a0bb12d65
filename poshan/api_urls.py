"""/api/v1/: every app's endpoints under one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from anganwadi.api import CentreDayViewSet, EcceViewSet, LocationViewSet, MeView
from grievances.api import GrievanceViewSet
from training.api import ModuleProgressViewSet, VideoViewSet
from beneficiaries.api import (AttendanceViewSet, BeneficiaryViewSet, HomeVisitViewSet, HouseholdViewSet,
                               PregnancyViewSet, TransferViewSet)
from poshan.core.batch_api import SubmissionBatchView
from anganwadi.allowance.api import ClaimViewSet as AllowanceClaimViewSet
from anganwadi.equipment.api import DeviceViewSet, InfrastructureViewSet
from growth.api import ChildGrowthViewSet, MeasurementViewSet
from growth.cases.api import CaseViewSet
from poshan.supervision.api import AlertsView, VhsndViewSet, VisitViewSet
from thr_frs.api import (DistributionViewSet, FaceCheckViewSet, FiguresView, OtpViewSet, OverrideViewSet,
                         StockEntryViewSet)

router = DefaultRouter()
router.register("locations", LocationViewSet, basename="location")
router.register("thr/stock", StockEntryViewSet, basename="thr-stock")
router.register("thr/distributions", DistributionViewSet, basename="thr-distribution")
router.register("thr/face-checks", FaceCheckViewSet, basename="thr-face-check")
router.register("thr/otp", OtpViewSet, basename="thr-otp")
router.register("thr/overrides", OverrideViewSet, basename="thr-override")
router.register("growth/measurements", MeasurementViewSet, basename="growth-measurement")
router.register("growth/children", ChildGrowthViewSet, basename="growth-child")
router.register("growth/cases", CaseViewSet, basename="growth-case")
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
router.register("equipment/devices", DeviceViewSet, basename="equipment-device")
router.register("equipment/infrastructure", InfrastructureViewSet, basename="equipment-infrastructure")
router.register("allowance/claims", AllowanceClaimViewSet, basename="allowance-claim")
router.register("supervision/visits", VisitViewSet, basename="supervision-visit")
router.register("supervision/vhsnd", VhsndViewSet, basename="supervision-vhsnd")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("submissions/batch/", SubmissionBatchView.as_view(), name="api-submission-batch"),
    path("thr/figures/", FiguresView.as_view(), name="api-thr-figures"),
    path("supervision/alerts/", AlertsView.as_view(), name="api-supervision-alerts"),
    path("", include(router.urls)),
]
