from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .equipment.permissions import ISSUE12_PERMISSIONS, ISSUE12_TILES, merged

ALL_STAFF = ["aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry", "helpline", "admin"]


class AnganwadiConfig(AppConfig):
    name = "anganwadi"
    verbose_name = "Anganwadi centres and staff"
    role_permissions = {
        **{role: ["anganwadi.view_location"] for role in ALL_STAFF},
        "aww": ["anganwadi.view_location", "anganwadi.add_awcday", "anganwadi.change_awcday",
                "anganwadi.view_awcday", "anganwadi.add_ecceactivity", "anganwadi.view_ecceactivity"],
        "admin": [
            "anganwadi.view_location", "anganwadi.add_location", "anganwadi.change_location",
            "anganwadi.view_staffassignment", "anganwadi.add_staffassignment", "anganwadi.change_staffassignment",
        ],
    }
    audit_area_awcs = "anganwadi.selectors.awc_ids_in_place"  # the audit page's area filter (poshan.core)
    submission_handlers = {
        "centre_day": "anganwadi.api.record_day",
        "centre_close": "anganwadi.api.record_close",
        "ecce": "anganwadi.api.record_ecce",
    }
    home_tiles = (
        {"url": "anganwadi:today", "order": 10, "label": _("Today at the centre"), "hint": _("Open, close, ECCE activity"),
         "permission": "anganwadi.add_awcday"},
        {"url": "anganwadi:my_area", "label": _("My area"), "hint": _("Centres and places you look after"),
         "permission": "anganwadi.view_location"},
        {"url": "anganwadi:staff", "label": _("Staff in my area"), "hint": _("Workers and officers, by role"),
         "permission": "core.view_staff_in_area"},
    )
    # Issue 12: equipment and the internet allowance (declared in anganwadi/equipment/permissions.py).
    role_permissions = merged(role_permissions, ISSUE12_PERMISSIONS)
    home_tiles = home_tiles + ISSUE12_TILES
