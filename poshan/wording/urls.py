from django.urls import path

from poshan.wording import views

app_name = "wording"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("review/", views.review, name="review"),
    path("export.po", views.export, name="export"),
]
