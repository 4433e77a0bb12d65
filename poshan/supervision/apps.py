from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = ["supervision.view_visit", "supervision.view_vhsnd", "supervision.view_alert"]


class SupervisionConfig(AppConfig):
    name = "poshan.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    # The supervisor visits her sector's centres and records the VHSNDs; the CDPO reads her project's.
    role_permissions = {
        "supervisor": _READ + ["supervision.add_visit", "supervision.add_vhsnd"],
        "cdpo": _READ,
    }
    home_tiles = (
        {"url": "supervision:sector", "order": 12, "label": _("Centre visits"),
         "hint": _("Visits due and done this month, VHSNDs"), "permission": "supervision.view_visit"},
    )

