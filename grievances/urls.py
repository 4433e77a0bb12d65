from django.urls import include, path

from . import views

# One grievance's pages, under its address.
grievance_pages = [
    path("", views.GrievanceDetailView.as_view(), name="detail"),
    path("screenshot/", views.ScreenshotView.as_view(), name="screenshot"),
    path("<slug:action>/", views.GrievanceActionView.as_view(), name="act"),
]

app_name = "grievances"
urlpatterns = [
    path("", views.GrievanceListView.as_view(), name="list"),
    path("lodge/", views.LodgeView.as_view(), name="lodge"),
    path("desk/", views.QueueView.as_view(), name="queue"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("<int:pk>/", include(grievance_pages)),
]
