"""Which grievances a user may see: the one scope every grievance read starts from (selectors, figures, API).

- a worker (AWW/AWH): the ones lodged for her or by her;
- a helpline operator: only the ones she recorded (she lodges for any AWC, sees nothing else);
- an officer (supervisor … ministry, admin): every grievance whose AWC lies in her area.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from anganwadi.selectors import NOTHING, scope_q
from poshan.core.roles import CENTRE_ROLES, Role

from .models import DESK_ROLES, Grievance

OFFICER_ROLES = frozenset(DESK_ROLES) | {Role.ADMIN}


def grievance_scope_q(user) -> Q:
    """Rows (of Grievance) this user may see; nothing for an unknown role (deny by default)."""
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    role = getattr(user, "role", "")
    if role in CENTRE_ROLES:
        return Q(worker=user) | Q(lodged_by=user)
    if role == Role.HELPLINE:
        return Q(lodged_by=user)
    if role in OFFICER_ROLES:
        return scope_q(user)
    return NOTHING


def grievances_visible_to(user) -> QuerySet[Grievance]:
    return Grievance.objects.filter(grievance_scope_q(user))
