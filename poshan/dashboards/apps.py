from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_DASHBOARD_ROLES = ("aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry", "admin")
# The worker's performance and incentive: her own, her supervisor's sector, the officers above; not the helper.
_INCENTIVE_ROLES = ("aww", "supervisor", "cdpo", "dpo", "state", "ministry", "admin")


class DashboardsConfig(AppConfig):
    name = "poshan.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards and exports"
    role_permissions = {
        **{role: ["dashboards.view_dashboard"] for role in _DASHBOARD_ROLES},
        "admin": ["dashboards.view_dashboard", "dashboards.refresh_rollups", "dashboards.export_data"],
        "dpo": ["dashboards.view_dashboard", "dashboards.export_data"],
        # State and ministry officials run reports, so they may recount a month (a state official: her state).
        **{role: ["dashboards.view_dashboard", "dashboards.export_data", "dashboards.refresh_rollups"]
           for role in ("state", "ministry")},
    }
    role_permissions = {role: perms + ["dashboards.view_incentive"] * (role in _INCENTIVE_ROLES)
                        for role, perms in role_permissions.items()}
    home_tiles = (
        {"url": "dashboards:home", "order": 5, "label": _("Dashboard"), "hint": _("Your area at a glance"),
         "permission": "dashboards.view_dashboard"},
        {"url": "dashboards:export", "label": _("Exports"), "hint": _("Download CSV or Excel for your area"),
         "permission": "dashboards.export_data"},
        {"url": "dashboards:refresh", "label": _("Refresh dashboards"), "hint": _("Recount a month now"),
         "permission": "dashboards.refresh_rollups"},
        {"url": "dashboards:incentive", "label": _("Performance and incentive"),
         "hint": _("Each worker's month, from her records"), "permission": "dashboards.view_incentive"},
    )

    def ready(self):
        # Growth's nightly flagging, once finished, queues the monthly rollups' refresh (tasks.after_flagging).
        from growth.signals import flagging_finished

        from .tasks import after_flagging

        flagging_finished.connect(after_flagging, dispatch_uid="dashboards.after_flagging")
