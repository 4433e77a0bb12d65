"""/api/v1/: every app's endpoints under one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from anganwadi.api import LocationViewSet, MeView

router = DefaultRouter()
router.register("locations", LocationViewSet, basename="location")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
