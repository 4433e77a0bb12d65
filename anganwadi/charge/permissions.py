"""What each role may do with additional charge, and its home tile; merged into AnganwadiConfig. Holding a place
is not a role's permission: it is granted per place with django-guardian (charge.models.HOLD_CHARGE)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CHARGE_PERMISSIONS: dict[str, list[str]] = {
    "cdpo": ["anganwadi.view_additionalcharge", "anganwadi.add_additionalcharge",
             "anganwadi.change_additionalcharge"],
}

CHARGE_TILES = (
    {"url": "anganwadi:charges", "label": _("Additional charge"), "hint": _("Vacant centres and who holds them"),
     "permission": "anganwadi.add_additionalcharge"},
)
