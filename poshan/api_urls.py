"""/api/v1/: every app's endpoints under one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from anganwadi.api import LocationViewSet, MeView
from beneficiaries.api import BeneficiaryViewSet, HouseholdViewSet, PregnancyViewSet, TransferViewSet

router = DefaultRouter()
router.register("locations", LocationViewSet, basename="location")
router.register("households", HouseholdViewSet, basename="household")
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("pregnancies", PregnancyViewSet, basename="pregnancy")
router.register("transfers", TransferViewSet, basename="transfer")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
