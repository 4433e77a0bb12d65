from django.urls import include, path

from . import views

app_name = "anganwadi"
urlpatterns = [
    path("area/", views.AreaView.as_view(), name="my_area"),
    path("area/<int:pk>/", views.AreaView.as_view(), name="area"),
    path("staff/", views.StaffInAreaView.as_view(), name="staff"),
    path("centre/today/", views.TodayView.as_view(), name="today"),
    path("", include("anganwadi.equipment.urls")),  # the centre's equipment
    path("", include("anganwadi.allowance.urls")),  # the internet allowance
    path("", include("anganwadi.charge.urls")),  # additional charge of vacant centres
]
