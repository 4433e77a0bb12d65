"""Included by anganwadi/urls.py (names live in the "anganwadi" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("equipment/", views.EquipmentListView.as_view(), name="equipment"),
    path("equipment/<int:pk>/", views.CentreEquipmentView.as_view(), name="equipment_centre"),
]
