from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.SectorView.as_view(), name="sector"),
    path("centre/<int:pk>/", views.CentreView.as_view(), name="centre"),
    path("centre/<int:pk>/visit/", views.VisitNewView.as_view(), name="visit_new"),
    path("centre/<int:pk>/vhsnd/", views.VhsndNewView.as_view(), name="vhsnd_new"),
]
