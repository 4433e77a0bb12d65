from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_WORKER = ["grievances.add_grievance", "grievances.view_grievance", "grievances.lodge_own_grievance",
           "grievances.view_notification"]
_DESK = ["grievances.add_grievance", "grievances.view_grievance", "grievances.lodge_for_worker",
         "grievances.work_grievance_desk", "grievances.view_grievance_figures", "grievances.view_notification"]


class GrievancesConfig(AppConfig):
    name = "grievances"
    verbose_name = _("Grievances")
    # The helpline records grievances for any AWC but holds nothing else: no figures, no desk.
    role_permissions = {
        "aww": _WORKER,
        "awh": _WORKER,
        **{role: _DESK for role in ("supervisor", "cdpo", "dpo", "state", "ministry")},
        "helpline": ["grievances.add_grievance", "grievances.view_grievance", "grievances.lodge_by_phone",
                     "grievances.view_notification"],
        "admin": [
            "grievances.add_grievance", "grievances.view_grievance", "grievances.lodge_for_worker",
            "grievances.view_grievance_figures", "grievances.view_notification",
            "grievances.view_routingrule", "grievances.add_routingrule", "grievances.change_routingrule",
        ],
    }
    home_tiles = (
        {"url": "grievances:lodge", "label": _("Lodge a grievance"), "hint": _("A problem with the app, phone, pay or stock"),
         "permission": "grievances.add_grievance"},
        {"url": "grievances:list", "label": _("Grievances"), "hint": _("What was lodged, and what happened since"),
         "permission": "grievances.view_grievance"},
        {"url": "grievances:queue", "label": _("Grievance desk"), "hint": _("Your queue, overdue first"),
         "permission": "grievances.work_grievance_desk"},
        {"url": "grievances:figures", "label": _("Grievance figures"), "hint": _("Open, overdue, resolved in time"),
         "permission": "grievances.view_grievance_figures"},
        {"url": "grievances:notifications", "label": _("Notifications"), "hint": _("Updates on grievances"),
         "permission": "grievances.view_notification"},
    )

    def ready(self):
        # A device reported broken or lost at a centre opens a grievance (grievances/device_faults.py).
        from anganwadi.equipment.signals import device_fault_reported

        from .device_faults import lodge_device_grievance

        device_fault_reported.connect(lodge_device_grievance, dispatch_uid="grievances.device_fault")
