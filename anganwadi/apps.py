from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .allowance.permissions import ALLOWANCE_PERMISSIONS, ALLOWANCE_TILES
from .charge.permissions import CHARGE_PERMISSIONS, CHARGE_TILES
from .equipment.permissions import EQUIPMENT_PERMISSIONS, EQUIPMENT_TILES

def merged(base: dict[str, list[str]], *extras: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each role's permissions from all of them, without duplicates."""
    merged_roles = {role: list(permissions) for role, permissions in base.items()}
    for extra in extras:
        for role, permissions in extra.items():
            merged_roles[role] = list(dict.fromkeys([*merged_roles.get(role, []), *permissions]))
    return merged_roles


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
    own_centre = "anganwadi.selectors.user_awc"  # a worker's own centre, for poshan.core (offline pages)
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
    # The centre's equipment, the internet allowance and additional charge declare theirs in their own packages.
    role_permissions = merged(role_permissions, EQUIPMENT_PERMISSIONS, ALLOWANCE_PERMISSIONS, CHARGE_PERMISSIONS)
    home_tiles = home_tiles + EQUIPMENT_TILES + ALLOWANCE_TILES + CHARGE_TILES

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from poshan.core import usercache

        from .models import Location, LocationUserObjectPermission, StaffAssignment

        def assignment_changed(sender, instance, **kwargs):
            usercache.forget_user(instance.user_id)  # user_area is kept between requests (with her charges)

        def tree_changed(sender, **kwargs):
            usercache.forget_everyone()  # a kept area holds its location (name, parents, active)

        # weak=False: the receivers are local functions, which a weak reference would let the collector drop.
        for signal in (post_save, post_delete):
            signal.connect(assignment_changed, sender=StaffAssignment, weak=False,
                           dispatch_uid=f"anganwadi.assignment.{id(signal)}")
            # a place held on additional charge (a guardian permission given or taken, also outside the services)
            signal.connect(assignment_changed, sender=LocationUserObjectPermission, weak=False,
                           dispatch_uid=f"anganwadi.charge_perm.{id(signal)}")
            signal.connect(tree_changed, sender=Location, weak=False, dispatch_uid=f"anganwadi.location.{id(signal)}")
