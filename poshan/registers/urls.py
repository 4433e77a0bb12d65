from django.urls import path

from . import views

app_name = "registers"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/<int:year>/<int:month>/", views.CentreView.as_view(), name="centre"),
    path("<int:pk>/<int:year>/<int:month>/<slug:kind>/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/<int:year>/<int:month>/<slug:kind>/pdf/", views.RegisterPdfView.as_view(), name="pdf"),
]
