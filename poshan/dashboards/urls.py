from django.urls import path

from . import views
from .exports import views as exports
from .incentive import views as incentive

app_name = "dashboards"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("<int:pk>/", views.DashboardView.as_view(), name="place"),
    path("refresh/", views.RefreshView.as_view(), name="refresh"),
    path("refresh/<int:run_id>/", views.RefreshView.as_view(), name="refresh_run"),
    path("incentive/", incentive.IncentiveView.as_view(), name="incentive"),
    path("incentive/<int:pk>/", incentive.IncentiveView.as_view(), name="incentive_place"),
    path("exports/", exports.ExportView.as_view(), name="export"),
    path("exports/<int:pk>/", exports.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
]
