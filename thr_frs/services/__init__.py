"""Every THR write: stock, hand-over, face enrolment and matching, fallbacks, erasure (all audited)."""
from .distribution import handover_precheck, stock_receive, thr_distribute
from .erasure import face_consent_withdraw, face_erase, faces_erase_unconsented
from .face_checks import face_check_process, face_enrol_request, face_match_request, face_owner_set
from .fallbacks import (nominee_add, nominee_remove, otp_send, otp_verify, override_decide, override_handover,
                        override_request)

__all__ = [
    "face_check_process", "face_consent_withdraw", "face_enrol_request", "face_erase",
    "face_match_request", "face_owner_set", "faces_erase_unconsented", "handover_precheck", "nominee_add",
    "nominee_remove", "otp_send", "otp_verify", "override_decide", "override_handover", "override_request",
    "stock_receive", "thr_distribute",
]
