"""THR pages (thin): a form validates the shape, a service decides, every view of names is audited."""
from .centre import DistributionRegisterView, StockView, ThrHomeView
from .face import CheckStatusView, CheckView, EnrolView, FaceEraseView, HandoverView, MatchView
from .fallbacks import (NomineeView, OtpSendView, OtpVerifyView, OverrideHandoverView, OverrideRequestView)
from .supervision import FrsView, NearMissConfirmView, OverrideDecideView, ReportView, SupervisionView

__all__ = [
    "CheckStatusView", "CheckView", "DistributionRegisterView", "EnrolView", "FaceEraseView", "FrsView",
    "HandoverView", "NearMissConfirmView",
    "MatchView", "NomineeView", "OtpSendView", "OtpVerifyView", "OverrideDecideView", "OverrideHandoverView",
    "OverrideRequestView", "ReportView", "StockView", "SupervisionView", "ThrHomeView",
]
