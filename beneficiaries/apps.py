from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW = ["beneficiaries.view_beneficiary", "beneficiaries.view_household", "beneficiaries.view_transfer"]
_WRITE = [
    "beneficiaries.add_beneficiary", "beneficiaries.change_beneficiary", "beneficiaries.add_household",
    "beneficiaries.change_household", "beneficiaries.add_pregnancy", "beneficiaries.change_pregnancy",
    "beneficiaries.add_transfer", "beneficiaries.change_transfer",
]

_DAILY_VIEW = ["beneficiaries.view_attendance", "beneficiaries.view_homevisit", "beneficiaries.view_service_summary"]
_DAILY_WRITE = ["beneficiaries.add_attendance", "beneficiaries.change_attendance", "beneficiaries.add_homevisit"]


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiaries")
    # Names are seen by those who serve and follow up the person: the centre and its supervisor.
    role_permissions = {
        "aww": _VIEW + _WRITE + _DAILY_VIEW + _DAILY_WRITE,
        "awh": _VIEW + _DAILY_VIEW,
        # The supervisor may undo a mistaken exit in her sector (with a reason, audited).
        "supervisor": _VIEW + _DAILY_VIEW + ["beneficiaries.add_exitundo"],
        "cdpo": ["beneficiaries.view_service_summary"],
    }
    submission_handlers = {
        "attendance": "beneficiaries.api.record_attendance",
        "home_visit": "beneficiaries.api.record_home_visit",
        "registration": "beneficiaries.api.register_person",
    }
    def home_panels(self, user) -> list[dict]:
        """The centre's "changes tonight": what the nightly life-stage task changed (workers of a centre only)."""
        from .selectors import life_stage_changes_tonight

        if user.role not in ("aww", "awh") or not user.has_perm("beneficiaries.view_beneficiary"):
            return []
        changes = life_stage_changes_tonight(user)
        return [{"template": "beneficiaries/_changes_tonight.html", "changes": changes, "personal": True}
                ] if changes else []

    home_tiles = (
        {"url": "beneficiaries:register", "order": 20, "label": _("Register"), "hint": _("Families and people of the centre"),
         "permission": "beneficiaries.view_beneficiary"},
        {"url": "beneficiaries:new", "order": 21, "label": _("Register a person"), "hint": _("New family or member"),
         "permission": "beneficiaries.add_beneficiary"},
        {"url": "beneficiaries:attendance", "order": 11, "label": _("Attendance and meal"), "hint": _("Children 3–6 years, today"),
         "permission": "beneficiaries.add_attendance"},
        {"url": "beneficiaries:summary", "label": _("Monthly summary"), "hint": _("Days open, attendance, visits"),
         "permission": "beneficiaries.view_service_summary"},
        {"url": "beneficiaries:due", "order": 14, "label": _("Due this month"), "hint": _("Weighing and home visits"),
         "permission": "beneficiaries.view_beneficiary"},
        {"url": "beneficiaries:transfers", "label": _("Moves"), "hint": _("People moving in and out"),
         "permission": "beneficiaries.view_transfer"},
        {"url": "beneficiaries:life_stages", "label": _("Life-stage changes"),
         "hint": _("Review and reverse the nightly changes"), "permission": "beneficiaries.add_exitundo"},
    )
