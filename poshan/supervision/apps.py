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

    def home_panels(self, user) -> list[dict]:
        """The alerts that concern this officer, worked out from today's facts (not only the last run's)."""
        from .selectors import alerts_for

        if not user.has_perm("supervision.view_alert"):
            return []
        board = alerts_for(user)
        return [{"template": "supervision/_alerts.html", "board": board}] if board.lines else []
