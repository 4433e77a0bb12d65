from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW = ["beneficiaries.view_beneficiary", "beneficiaries.view_household", "beneficiaries.view_transfer"]
_WRITE = [
    "beneficiaries.add_beneficiary", "beneficiaries.change_beneficiary", "beneficiaries.add_household",
    "beneficiaries.change_household", "beneficiaries.add_pregnancy", "beneficiaries.change_pregnancy",
    "beneficiaries.add_transfer", "beneficiaries.change_transfer",
]


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiaries")
    # Names are seen by those who serve and follow up the person: the centre and its supervisor.
    role_permissions = {
        "aww": _VIEW + _WRITE,
        "awh": _VIEW,
        "supervisor": _VIEW,
    }
    home_tiles = (
        {"url": "beneficiaries:register", "label": _("Register"), "hint": _("Families and people of the centre"),
         "permission": "beneficiaries.view_beneficiary"},
        {"url": "beneficiaries:new", "label": _("Register a person"), "hint": _("New family or member"),
         "permission": "beneficiaries.add_beneficiary"},
        {"url": "beneficiaries:due", "label": _("Due this month"), "hint": _("Weighing and home visits"),
         "permission": "beneficiaries.view_beneficiary"},
        {"url": "beneficiaries:transfers", "label": _("Moves"), "hint": _("People moving in and out"),
         "permission": "beneficiaries.view_transfer"},
    )
