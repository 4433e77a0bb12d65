"""Which AWCs (and which locations) a user may see — the one place that decides.

Deny by default: a user without a role or an assignment sees nothing. Every
other app scopes its rows through `scope_q` / `scope_queryset`.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from poshan.core import usercache
from poshan.core.roles import ROLE_LEVEL, Level

from .models import Location, StaffAssignment

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Area:
    """A user's area: a level and, below the nation, the location at that level."""

    level: str
    location: Location | None

    @property
    def is_nation(self) -> bool:
        return self.level == Level.NATION


def user_area(user) -> Area | None:
    """The user's area, or None (sees nothing). Kept on the user object for the request and in the cache
    between requests (poshan.core.usercache: forgotten when her assignment, role or the location tree changes)."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if hasattr(user, "_area_cache"):
        return user._area_cache
    user._area_cache = usercache.cached_for_user(user, "area", lambda: _assigned_area(user))
    return user._area_cache


def _assigned_area(user) -> Area | None:
    """The area of the user's assignment, if it fits her role (kept between requests: poshan.core.usercache)."""
    role = getattr(user, "role", "")
    if role:
        assignment = StaffAssignment.objects.select_related("location").filter(user=user).first()
        if assignment is not None:
            expected = ROLE_LEVEL[role]
            if expected == Level.NATION and assignment.location_id is None:
                return Area(Level.NATION, None)
            if assignment.location is not None and assignment.location.level == expected:
                return Area(expected, assignment.location)
    return None


def _area_q(area: Area | None, prefix: str) -> Q:
    """Filter for locations (reached through `prefix`) lying in the area's subtree."""
    if area is None:
        return NOTHING
    if area.is_nation:
        return Q()
    path = f"{prefix}__" if prefix else ""
    loc = area.location
    if loc.level == Level.AWC:
        return Q(**{f"{path}pk": loc.pk})
    return Q(**{f"{path}{loc.level}_id": loc.pk}) | Q(**{f"{path}pk": loc.pk})


def scope_q(user, *, awc_field: str = "awc") -> Q:
    """Filter for rows that belong to an AWC the user may see."""
    area = user_area(user)
    if area is None:
        return NOTHING
    if area.is_nation:
        return Q()
    loc = area.location
    if loc.level == Level.AWC:
        return Q(**{f"{awc_field}_id": loc.pk})
    return Q(**{f"{awc_field}__{loc.level}_id": loc.pk})


def scope_queryset(queryset: QuerySet, user, *, awc_field: str = "awc") -> QuerySet:
    return queryset.filter(scope_q(user, awc_field=awc_field))


def awcs_visible_to(user) -> QuerySet[Location]:
    return Location.objects.filter(_area_q(user_area(user), ""), level=Level.AWC)


def locations_visible_to(user) -> QuerySet[Location]:
    """The user's own location and everything below it."""
    return Location.objects.filter(_area_q(user_area(user), ""))


def location_children(location: Location | None) -> QuerySet[Location]:
    if location is None:
        return Location.objects.filter(level=Level.STATE)
    return Location.objects.filter(parent=location)


def staff_in_area(user) -> QuerySet:
    """Staff assigned inside the user's area (nation-wide staff only for nation-level users)."""
    area = user_area(user)
    users = get_user_model().objects.select_related("assignment__location").order_by("username")
    if area is None:
        return users.none()
    if area.is_nation:
        return users.filter(assignment__isnull=False)
    return users.filter(_area_q(area, "assignment__location"))


def visible_ancestors(user, location: Location | None) -> list[Location]:
    """The breadcrumb above a location, stopping at the top of the user's area."""
    if location is None:
        return []
    ids = [getattr(location, f"{level}_id") for level in (Level.STATE, Level.DISTRICT, Level.PROJECT, Level.SECTOR)]
    ids = [i for i in ids if i is not None]
    found = {loc.pk: loc for loc in locations_visible_to(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def user_awc(user) -> Location | None:
    """The AWC of a centre worker (AWW/AWH); None for everyone else."""
    area = user_area(user)
    if area is None or area.level != Level.AWC:
        return None
    return area.location


def own_awc(user, perms=()) -> Location:
    """The one door to "the worker's own centre": her AWC, or PermissionDenied for anyone else
    (or for a worker without `perms`)."""
    awc = user_awc(user)
    if awc is None or not user.has_perms(perms):
        raise PermissionDenied
    return awc


def awc_by_code(code: int) -> Location | None:
    """Any active AWC in the nation, by its code (for moves between centres and states)."""
    return Location.objects.filter(level=Level.AWC, code=code, is_active=True).first()


def awc_ids_in_place(*, level: str, code: int) -> QuerySet | None:
    """Ids of the AWCs inside the place with this code at this level (None: no such place); for the audit page."""
    place = Location.objects.filter(level=level, code=code).first()
    if place is None:
        return None
    if level == Level.AWC:
        return Location.objects.filter(pk=place.pk).values("pk")
    return Location.objects.filter(level=Level.AWC, **{f"{level}_id": place.pk}).values("pk")
