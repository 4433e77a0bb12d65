from django.urls import include, path

from . import daily_views, lifestage_views, views

# One person's pages, under the person's address.
person_pages = [
    path("", views.DetailView.as_view(), name="detail"),
    path("edit/", views.EditView.as_view(), name="edit"),
    path("pregnancy/", views.PregnancyView.as_view(), name="pregnancy"),
    path("exit/", views.ExitView.as_view(), name="exit"),
    path("exit/undo/", views.ExitUndoView.as_view(), name="exit_undo"),
    path("move/", views.TransferCreateView.as_view(), name="move"),
    path("visit/", daily_views.HomeVisitView.as_view(), name="home_visit"),
]

app_name = "beneficiaries"
urlpatterns = [
    path("", views.RegisterListView.as_view(), name="register"),
    path("due/", views.DueView.as_view(), name="due"),
    path("new/", views.RegisterView.as_view(), name="new"),
    path("<int:pk>/", include(person_pages)),
    path("pregnancies/<int:pk>/delivery/", views.DeliveryView.as_view(), name="delivery"),
    path("households/<int:pk>/", views.HouseholdView.as_view(), name="household"),
    path("moves/", views.TransferListView.as_view(), name="transfers"),
    path("moves/<int:pk>/<str:action>/", views.TransferActionView.as_view(), name="transfer_action"),
    path("life-stages/", lifestage_views.LifeStageChangesView.as_view(), name="life_stages"),
    path("life-stages/<int:pk>/undo/", lifestage_views.LifeStageChangesView.as_view(), name="life_stage_undo"),
    path("attendance/", daily_views.AttendanceView.as_view(), name="attendance"),
    path("summary/", daily_views.SummaryView.as_view(), name="summary"),
]
