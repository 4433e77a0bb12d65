from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "poshan.core"
    label = "core"
    verbose_name = "Core"
    # What each role may do, by permission; see roles.sync_role_groups.
    role_permissions = {
        "ministry": ["core.view_auditevent", "core.view_staff_in_area"],
        "state": ["core.view_staff_in_area"],
        "dpo": ["core.view_staff_in_area"],
        "admin": [
            "core.view_auditevent", "core.view_staff_in_area",
            "core.view_user", "core.add_user", "core.change_user", "core.delete_user", "auth.view_group",
        ],
    }

    home_tiles = (
        {"url": "audit_list", "label": _("Audit log"), "hint": _("Who did what, and when"),
         "permission": "core.view_auditevent"},
    )

    def ready(self) -> None:
        from . import roles, signin  # noqa: F401  (signin: counts failed sign-ins per address)

        post_migrate.connect(roles.sync_role_groups_handler, dispatch_uid="core.sync_role_groups")
        from . import usercache

        usercache.connect()  # permissions and assignments kept between requests, forgotten when they change
