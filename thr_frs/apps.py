from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_CENTRE = [
    "thr_frs.view_thrdistribution", "thr_frs.add_thrdistribution", "thr_frs.view_thrstockentry",
    "thr_frs.add_facecheck", "thr_frs.view_facecheck", "thr_frs.add_faceenrolment", "thr_frs.view_nominee",
    "thr_frs.add_nominee", "thr_frs.add_otpchallenge", "thr_frs.add_overriderequest",
    "thr_frs.view_overriderequest", "thr_frs.view_thr_report",
]


class ThrFrsConfig(AppConfig):
    name = "thr_frs"
    verbose_name = _("Take-home ration and face recognition")
    # The face endpoints are for the centre's worker and helper only (also checked on the row: own AWC);
    # the supervisor answers overrides and follows up failures; everyone above sees figures.
    role_permissions = {
        "aww": _CENTRE + ["thr_frs.add_thrstockentry", "thr_frs.delete_faceenrolment"],
        "awh": _CENTRE,
        "supervisor": ["thr_frs.view_thrdistribution", "thr_frs.view_thrstockentry", "thr_frs.view_overriderequest",
                       "thr_frs.change_overriderequest", "thr_frs.view_thr_report"],
        **{role: ["thr_frs.view_thr_report"] for role in ("cdpo", "dpo", "state", "ministry")},
    }
    home_tiles = (
        {"url": "thr_frs:home", "order": 13, "label": _("Take-home ration"), "hint": _("Entitled this month, face check, hand-over"),
         "permission": "thr_frs.add_thrdistribution"},
        {"url": "thr_frs:supervision", "label": _("THR follow-up"),
         "hint": _("Overrides to answer, repeated face-check failures"),
         "permission": "thr_frs.change_overriderequest"},
        {"url": "thr_frs:report", "label": _("THR figures"), "hint": _("Distributed, verified by face, fallbacks"),
         "permission": "thr_frs.view_thr_report"},
    )

    def ready(self):
        # The due list asks whose young face needs a new photo soon (beneficiaries never imports thr_frs).
        from beneficiaries.signals import face_refresh_asked, thr_received_asked

        from .selectors.refresh import face_refreshes_due, thr_received

        face_refresh_asked.connect(face_refreshes_due, dispatch_uid="thr_frs.face_refreshes_due")
        thr_received_asked.connect(thr_received, dispatch_uid="thr_frs.thr_received")  # the month's ration
