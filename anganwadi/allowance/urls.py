"""Included by anganwadi/urls.py (names live in the "anganwadi" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("allowance/", views.MyAllowanceView.as_view(), name="allowance"),
    path("allowance/approve/", views.ApprovalView.as_view(), name="allowance_approve"),
    path("allowance/figures/", views.FiguresView.as_view(), name="allowance_figures"),
    path("allowance/figures/<int:pk>/", views.FiguresView.as_view(), name="allowance_figures_place"),
]
