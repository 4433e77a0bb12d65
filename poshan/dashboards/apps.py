from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_DASHBOARD_ROLES = ("aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry", "admin")


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
    home_tiles = (
        {"url": "dashboards:home", "order": 5, "label": _("Dashboard"), "hint": _("Your area at a glance"),
         "permission": "dashboards.view_dashboard"},
        {"url": "dashboards:export", "label": _("Exports"), "hint": _("Download CSV or Excel for your area"),
         "permission": "dashboards.export_data"},
        {"url": "dashboards:refresh", "label": _("Refresh dashboards"), "hint": _("Recount a month now"),
         "permission": "dashboards.refresh_rollups"},
    )

    def ready(self):
        # Growth's nightly flagging, once finished, queues the monthly rollups' refresh (tasks.after_flagging).
        from growth.signals import flagging_finished

        from .tasks import after_flagging

        flagging_finished.connect(after_flagging, dispatch_uid="dashboards.after_flagging")
