from django.urls import path

from . import views
from .cases import views as case_views

app_name = "growth"
urlpatterns = [
    path("", views.ChildrenView.as_view(), name="children"),
    path("child/<int:pk>/", views.ChildGrowthView.as_view(), name="child"),
    path("child/<int:pk>/measure/", views.MeasureView.as_view(), name="measure"),
    path("measurement/<int:pk>/", views.MeasurementResultView.as_view(), name="measurement"),
    path("follow-up/", views.FollowUpListView.as_view(), name="followups"),
    path("follow-up/<int:pk>/done/", views.FollowUpResolveView.as_view(), name="followup_resolve"),
    path("rising/", views.RisingCasesView.as_view(), name="rising"),
    path("tracker/", views.GrowthTrackerView.as_view(), name="tracker"),
    path("runs/", views.FlaggingRunsView.as_view(), name="runs"),
    path("cases/", case_views.CasesView.as_view(), name="cases"),
    path("cases/indicators/", case_views.CaseIndicatorsView.as_view(), name="case_indicators"),
    path("cases/export/", case_views.CaseExportView.as_view(), name="case_export"),
    path("case/<int:pk>/", case_views.CaseView.as_view(), name="case"),
    # the follow-up form has its own address: the phone keeps it and queues it offline (poshan/core/pwa.py)
    path("case/<int:pk>/follow-up/", case_views.CaseStepView.as_view(), {"step": "follow-up"},
         name="case_followup"),
    path("case/<int:pk>/<slug:step>/", case_views.CaseStepView.as_view(), name="case_step"),
]
