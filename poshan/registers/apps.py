from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READERS = ("aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry", "admin")


class RegistersConfig(AppConfig):
    name = "poshan.registers"
    label = "registers"
    verbose_name = "Digital registers"
    role_permissions = {role: ["registers.view_registers"] for role in _READERS}
    home_tiles = (
        {"url": "registers:index", "label": _("Registers"), "hint": _("This month's registers, to print or download"),
         "permission": "registers.view_registers"},
    )
