"""What each role may do with the centre's equipment, and its home tile; merged into AnganwadiConfig."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_VIEWERS = ("aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry", "admin")

EQUIPMENT_PERMISSIONS: dict[str, list[str]] = {role: ["anganwadi.view_device"] for role in _VIEWERS}
for _role in ("aww", "supervisor"):  # the worker and her supervisor keep the equipment up to date
    EQUIPMENT_PERMISSIONS[_role] += ["anganwadi.add_device", "anganwadi.change_device"]

EQUIPMENT_TILES = (
    {"url": "anganwadi:equipment", "label": _("Equipment"), "hint": _("Phone, scales, infantometer, building"),
     "permission": "anganwadi.view_device"},
)
