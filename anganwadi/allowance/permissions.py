"""What each role may do with the internet allowance, and its home tiles; merged into AnganwadiConfig."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_CLAIMANTS = ("aww", "supervisor", "cdpo")  # rules.ELIGIBLE_ROLES
_FIGURES = ("supervisor", "cdpo", "dpo", "state", "ministry")

ALLOWANCE_PERMISSIONS: dict[str, list[str]] = {}
for _role in _CLAIMANTS:
    ALLOWANCE_PERMISSIONS.setdefault(_role, []).extend(["anganwadi.add_allowanceclaim",
                                                        "anganwadi.view_allowanceclaim"])
for _role in _FIGURES:
    ALLOWANCE_PERMISSIONS.setdefault(_role, []).extend(["anganwadi.view_allowanceclaim",
                                                        "anganwadi.view_allowance_figures"])
ALLOWANCE_PERMISSIONS["state"] += ["anganwadi.add_allowancepayment", "anganwadi.view_allowancepayment"]

ALLOWANCE_TILES = (
    {"url": "anganwadi:allowance", "label": _("Internet allowance"), "hint": _("Claim your phone's data"),
     "permission": "anganwadi.add_allowanceclaim"},
    {"url": "anganwadi:allowance_approve", "label": _("Allowance approvals"), "hint": _("Pay or reject claims"),
     "permission": "anganwadi.add_allowancepayment"},
    {"url": "anganwadi:allowance_figures", "label": _("Allowance figures"), "hint": _("Due, paid and pending"),
     "permission": "anganwadi.view_allowance_figures"},
)
