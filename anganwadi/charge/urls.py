"""Included by anganwadi/urls.py (names live in the "anganwadi" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("charges/", views.ChargesView.as_view(), name="charges"),
    path("charges/<int:pk>/end/", views.ChargeRevokeView.as_view(), name="charge_revoke"),
    path("centre/switch/", views.CentreSwitchView.as_view(), name="centre_switch"),
]
