from django.urls import path

from . import views

app_name = "grievances"
urlpatterns = [
    path("", views.GrievanceListView.as_view(), name="list"),
    path("lodge/", views.LodgeView.as_view(), name="lodge"),
    path("desk/", views.QueueView.as_view(), name="queue"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("<int:pk>/", views.GrievanceDetailView.as_view(), name="detail"),
    path("<int:pk>/screenshot/", views.ScreenshotView.as_view(), name="screenshot"),
    path("<int:pk>/<slug:action>/", views.GrievanceActionView.as_view(), name="act"),
]
