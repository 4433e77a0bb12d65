from django.urls import path

from . import views
from .uploads import memory_uploads

app_name = "thr_frs"
urlpatterns = [
    path("", views.ThrHomeView.as_view(), name="home"),
    path("stock/", views.StockView.as_view(), name="stock"),
    path("register/", views.DistributionRegisterView.as_view(), name="register"),
    path("b/<int:pk>/", views.HandoverView.as_view(), name="handover"),
    # Photo posts: in-memory uploads only (never a temporary file), CSRF still checked.
    path("b/<int:pk>/enrol/", memory_uploads(views.EnrolView.as_view()), name="enrol"),
    path("b/<int:pk>/match/", memory_uploads(views.MatchView.as_view()), name="match"),
    path("b/<int:pk>/erase/", views.FaceEraseView.as_view(), name="erase"),
    path("b/<int:pk>/nominees/", views.NomineeView.as_view(), name="nominees"),
    path("b/<int:pk>/otp/", views.OtpSendView.as_view(), name="otp_send"),
    path("b/<int:pk>/otp/verify/", views.OtpVerifyView.as_view(), name="otp_verify"),
    path("b/<int:pk>/override/", views.OverrideRequestView.as_view(), name="override"),
    path("b/<int:pk>/override/handover/", views.OverrideHandoverView.as_view(), name="override_handover"),
    path("checks/<int:pk>/", views.CheckView.as_view(), name="check"),
    path("checks/<int:pk>/status/", views.CheckStatusView.as_view(), name="check_status"),
    path("supervision/", views.SupervisionView.as_view(), name="supervision"),
    path("overrides/<int:pk>/decide/", views.OverrideDecideView.as_view(), name="override_decide"),
    path("checks/<int:pk>/confirm/", views.NearMissConfirmView.as_view(), name="near_miss_confirm"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report/<int:pk>/", views.ReportView.as_view(), name="report_area"),
    path("frs/", views.FrsView.as_view(), name="frs"),
    path("frs/<int:pk>/", views.FrsView.as_view(), name="frs_area"),
]
