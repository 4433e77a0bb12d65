"""Reads for grievance pages and endpoints; every one starts from the user's scope.

Who sees which grievances:
- a worker (AWW/AWH): the ones lodged for her or by her;
- a helpline operator: only the ones she recorded (she lodges for any AWC, sees nothing else);
- an officer (supervisor … ministry, admin): every grievance whose AWC lies in her area.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from anganwadi.models import Location
from anganwadi.selectors import awcs_visible_to, scope_q, staff_in_area, user_area
from poshan.core.roles import CENTRE_ROLES, ROLE_LEVEL, Level, Role

from .figures import GrievanceFigures, grievance_figures  # noqa: F401  (the figures page reads them here too)
from .models import ACTIVE_STATUSES, DESK_ROLES, Grievance, Notification, RoutingRule
from .scope import OFFICER_ROLES, grievance_scope_q, grievances_visible_to  # noqa: F401  (read here by api, services)

DEFAULT_ROUTE = (Role.CDPO, 72)  # if an admin deletes a category's rule


def grievance_list(*, user, filters: dict | None = None) -> QuerySet[Grievance]:
    filters = filters or {}
    rows = grievances_visible_to(user).select_related("awc", "worker")
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("category"):
        rows = rows.filter(category=filters["category"])
    return rows.order_by("-created_at", "-id")


def grievance_detail(*, user, pk: int) -> Grievance | None:
    return (grievances_visible_to(user).select_related("awc", "worker", "lodged_by", "assigned_to")
            .filter(pk=pk).first())


def grievance_events(grievance: Grievance):
    return grievance.events.select_related("actor").order_by("at", "id")


def _assigned_pks(user) -> QuerySet:
    return get_objects_for_user(
        user, "grievances.handle_grievance", klass=Grievance, with_superuser=False, accept_global_perms=False,
    ).values("pk")


def desk_queue(*, user, now=None) -> QuerySet[Grievance]:
    """Open grievances at the user's desk in her area, and those assigned to her; overdue first."""
    now = now or timezone.now()
    mine = Q(pk__in=_assigned_pks(user))
    if user.role in DESK_ROLES and user.has_perm("grievances.work_grievance_desk"):
        mine |= Q(desk_role=user.role)
    rows = Grievance.objects.filter(scope_q(user), mine, status__in=ACTIVE_STATUSES)
    return (
        rows.select_related("awc", "worker", "assigned_to")
        .annotate(overdue=Case(When(due_at__lt=now, then=Value(True)), default=Value(False),
                               output_field=BooleanField()))
        .order_by("-overdue", "due_at", "id")
    )


def is_desk_officer(user, grievance: Grievance) -> bool:
    """The officer of the grievance's current desk, for its AWC."""
    return (
        user.role == grievance.desk_role
        and user.has_perm("grievances.work_grievance_desk")
        and awcs_visible_to(user).filter(pk=grievance.awc_id).exists()
    )


def can_handle(user, grievance: Grievance) -> bool:
    """May move it along (start, resolve, note): the desk officer, or the officer assigned to it."""
    if is_desk_officer(user, grievance):
        return True
    return (
        user.has_perm("grievances.handle_grievance", grievance)
        and awcs_visible_to(user).filter(pk=grievance.awc_id).exists()
    )


def is_owner(user, grievance: Grievance) -> bool:
    """May close or reopen it: the worker; for a helpline grievance, the operator who recorded it."""
    if grievance.worker_id is not None:
        return grievance.worker_id == user.pk
    return grievance.lodged_by_id == user.pk


def route_for(category: str) -> tuple[str, int]:
    """(desk role, SLA hours) from the routing table."""
    rule = RoutingRule.objects.filter(category=category).values_list("desk_role", "sla_hours").first()
    return rule or DEFAULT_ROUTE


def next_desk(desk_role: str) -> str | None:
    index = DESK_ROLES.index(desk_role)
    return DESK_ROLES[index + 1] if index + 1 < len(DESK_ROLES) else None


def _desk_location_id(awc: Location, desk_role: str) -> int | None:
    level = ROLE_LEVEL[desk_role]
    if level == Level.NATION:
        return None
    return awc.pk if level == Level.AWC else getattr(awc, f"{level}_id")


def desk_officers(*, awc: Location, desk_role: str) -> QuerySet:
    """The active users of that role whose area holds the AWC."""
    users = get_user_model().objects.filter(role=desk_role, is_active=True)
    location_id = _desk_location_id(awc, desk_role)
    if location_id is None:
        return users.filter(assignment__isnull=False, assignment__location__isnull=True)
    return users.filter(assignment__location_id=location_id)


def officers_for_assignment(*, user, grievance: Grievance) -> QuerySet:
    """Officers in the user's area whose own area holds the grievance's AWC."""
    awc = grievance.awc
    ancestors = [awc.sector_id, awc.project_id, awc.district_id, awc.state_id]
    return (
        staff_in_area(user)
        .filter(role__in=DESK_ROLES, is_active=True)
        .filter(Q(assignment__location_id__in=[a for a in ancestors if a]) | Q(assignment__location__isnull=True))
    )


def workers_for_lodging(user) -> QuerySet:
    """Workers an officer may lodge for: AWWs and AWHs in her area."""
    return staff_in_area(user).filter(role__in=CENTRE_ROLES, is_active=True)


def worker_awc(worker) -> Location | None:
    area = user_area(worker)
    if area is None or area.location is None or area.location.level != Level.AWC:
        return None
    return area.location


def awc_by_code(*, user, code: int) -> Location | None:
    return awcs_visible_to(user).filter(code=code, is_active=True).first()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read=False).count()

