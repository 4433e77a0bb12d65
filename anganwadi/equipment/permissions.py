"""What each role may do with equipment and the internet allowance; merged into AnganwadiConfig."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_VIEWERS = ("aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry", "admin")
_CLAIMANTS = ("aww", "supervisor", "cdpo")  # allowance.rules.ELIGIBLE_ROLES
_FIGURES = ("supervisor", "cdpo", "dpo", "state", "ministry")

ISSUE12_PERMISSIONS: dict[str, list[str]] = {role: ["anganwadi.view_device"] for role in _VIEWERS}
for _role in ("aww", "supervisor"):  # the worker and her supervisor keep the equipment up to date
    ISSUE12_PERMISSIONS[_role] += ["anganwadi.add_device", "anganwadi.change_device"]
for _role in _CLAIMANTS:
    ISSUE12_PERMISSIONS[_role] += ["anganwadi.add_allowanceclaim", "anganwadi.view_allowanceclaim"]
for _role in _FIGURES:
    ISSUE12_PERMISSIONS[_role] += ["anganwadi.view_allowanceclaim", "anganwadi.view_allowance_figures"]
ISSUE12_PERMISSIONS["state"] += ["anganwadi.add_allowancepayment", "anganwadi.view_allowancepayment"]

ISSUE12_TILES = (
    {"url": "anganwadi:equipment", "label": _("Equipment"), "hint": _("Phone, scales, infantometer, building"),
     "permission": "anganwadi.view_device"},
    {"url": "anganwadi:allowance", "label": _("Internet allowance"), "hint": _("Claim your phone's data"),
     "permission": "anganwadi.add_allowanceclaim"},
    {"url": "anganwadi:allowance_approve", "label": _("Allowance approvals"), "hint": _("Pay or reject claims"),
     "permission": "anganwadi.add_allowancepayment"},
    {"url": "anganwadi:allowance_figures", "label": _("Allowance figures"), "hint": _("Due, paid and pending"),
     "permission": "anganwadi.view_allowance_figures"},
)


def merged(base: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each role's permissions from both, without duplicates."""
    roles = {**base, **{role: [] for role in extra if role not in base}}
    return {role: list(dict.fromkeys([*roles[role], *extra.get(role, [])])) for role in roles}
