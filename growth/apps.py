from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Names (a child's measurements, status, follow-ups) for those who serve the child; figures for all.
_NAMES = ["growth.view_measurement", "growth.view_childstatus", "growth.view_followup", "growth.view_growth_figures",
          "growth.view_case"]
_FIGURES = ["growth.view_growth_figures"]
_RUNS = ["growth.view_flaggingrun"]
CASE_ALERT_ROLES = ("supervisor", "cdpo", "dpo")  # told on their home page of SAM children without follow-up


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = _("Growth monitoring")
    role_permissions = {
        "aww": _NAMES + ["growth.add_measurement", "growth.change_followup", "growth.manage_case"],
        "awh": _NAMES,
        "supervisor": _NAMES + ["growth.change_followup", "growth.manage_case"],
        "cdpo": _FIGURES,
        "dpo": _FIGURES,
        "state": _FIGURES,
        "ministry": _FIGURES + _RUNS,
        "admin": _RUNS,
    }
    submission_handlers = {"measurement": "growth.api.record_measurement",
                           "case_followup": "growth.cases.api.record_case_followup"}
    home_tiles = (
        {"url": "growth:children", "order": 12, "label": _("Growth monitoring"), "hint": _("Weigh and measure children"),
         "permission": "growth.view_measurement"},
        {"url": "growth:followups", "order": 15, "label": _("Children to follow up"),
         "hint": _("Stunting, wasting, SAM, faltering, not weighed"), "permission": "growth.view_growth_figures"},
        {"url": "growth:cases", "order": 13, "label": _("Children under treatment"),
         "hint": _("SAM and MAM children: what is due today"), "permission": "growth.view_growth_figures"},
        {"url": "growth:tracker", "label": _("Child growth tracker"),
         "hint": _("Three months of pre-school, meals and growth per child"), "permission": "growth.view_measurement"},
        {"url": "growth:rising", "label": _("Rising cases"), "hint": _("Where malnutrition rose this month"),
         "permission": "growth.view_growth_figures"},
        {"url": "growth:runs", "label": _("Nightly flagging"), "hint": _("Last runs, counts and duration"),
         "permission": "growth.view_flaggingrun"},
    )

    def home_panels(self, user) -> list[dict]:
        """The supervisor, the CDPO and the DPO: SAM children of their area without a follow-up for 10 days."""
        from .cases.selectors import sam_alert_count

        if user.role not in CASE_ALERT_ROLES or not user.has_perm("growth.view_growth_figures"):
            return []
        n = sam_alert_count(user=user)
        return [{"template": "growth/cases/_home_alert.html", "n": n}] if n else []

    def ready(self):
        # A malnourished child's case travels with the child, and the take-home ration asks who is under
        # treatment, through beneficiaries' signals (growth and thr_frs never import each other).
        from beneficiaries.signals import people_moved, under_treatment_asked

        from .cases.selectors import children_under_treatment
        from .cases.services import child_moved

        people_moved.connect(child_moved, dispatch_uid="growth.cases.child_moved")
        # The due list asks when each child's length/height was last measured (the next is due 3 months on).
        from beneficiaries.signals import heights_asked

        from .due import last_heights

        heights_asked.connect(last_heights, dispatch_uid="growth.last_heights")
        # After each nightly flagging run: missed cases opened, overdue steps marked (growth/tasks.py).
        from .signals import flagging_finished
        from .tasks import after_flagging

        flagging_finished.connect(after_flagging, dispatch_uid="growth.cases.after_flagging")
        under_treatment_asked.connect(children_under_treatment, dispatch_uid="growth.cases.under_treatment")
