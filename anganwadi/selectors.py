"""Which AWCs (and which locations) a user may see — the one place that decides.

Deny by default: a user without a role or an assignment sees nothing. Every
other app scopes its rows through `scope_q` / `scope_queryset`.

Additional charge (anganwadi.charge): a worker or supervisor who holds charge of another centre or sector (a
django-guardian permission on the place, with the grant's dates) sees it as her own, from the grant's first day to
its last inclusive: the dates are checked here at every read, so access ends with the last day whether or not the
nightly step has taken the permission yet. A worker holding two centres works one at a time (`user_awc`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from poshan.core import usercache
from poshan.core.roles import ROLE_LEVEL, Level

from .charge.models import HOLD_CHARGE, AdditionalCharge
from .models import Location, StaffAssignment

NOTHING = Q(pk__in=[])


# Who may hold additional charge, and of what: a worker another centre, a supervisor another sector.
CHARGE_LEVEL = {"aww": Level.AWC, "supervisor": Level.SECTOR}


@dataclass(frozen=True)
class Charge:
    """A place held on additional charge, from `start` to `end` inclusive (IST dates)."""

    location: Location
    start: date
    end: date


@dataclass(frozen=True)
class Area:
    """A user's area: a level and, below the nation, the location at that level; and the places she holds on
    additional charge (each with its dates: `charged()` keeps those of the day)."""

    level: str
    location: Location | None
    charges: tuple[Charge, ...] = ()

    @property
    def is_nation(self) -> bool:
        return self.level == Level.NATION

    def charged(self, day: date | None = None) -> tuple[Location, ...]:
        """The places held on `day` (today in India by default)."""
        if not self.charges:
            return ()
        day = day or timezone.localdate()
        return tuple(c.location for c in self.charges if c.start <= day <= c.end)


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
        assignments = StaffAssignment.objects.select_related("location").filter(user=user)
        if role in CHARGE_LEVEL:  # whether she holds any: the grants themselves are read only then
            assignments = assignments.annotate(holds_charge=Exists(_held_grants(user, role)))
        assignment = assignments.first()
        if assignment is not None:
            expected = ROLE_LEVEL[role]
            if expected == Level.NATION and assignment.location_id is None:
                return Area(Level.NATION, None)
            if assignment.location is not None and assignment.location.level == expected:
                held = _held_charges(user, role) if getattr(assignment, "holds_charge", False) else ()
                return Area(expected, assignment.location, held)
    return None


def _held_grants(user, role: str) -> QuerySet[AdditionalCharge]:
    """Grants not revoked nor over whose guardian permission the user holds (kept with the area: the dates are
    checked at each read), for the roles that may hold charge."""
    return AdditionalCharge.objects.filter(
        holder=user, revoked_at__isnull=True, end__gte=timezone.localdate(), location__level=CHARGE_LEVEL[role],
        location__user_perms__user=user, location__user_perms__permission__codename=HOLD_CHARGE)


def _held_charges(user, role: str) -> tuple[Charge, ...]:
    grants = _held_grants(user, role).select_related("location").order_by("start", "pk")
    return tuple(Charge(g.location, g.start, g.end) for g in grants)


def _charged_q(area: Area, path: str, *, ancestors_on_row: bool = False) -> Q:
    """Rows of the places the area holds today on additional charge (`path`: the AWC's field, with `__`)."""
    held = area.charged()
    if not held:
        return NOTHING
    awcs = [loc.pk for loc in held if loc.level == Level.AWC]
    sectors = [loc.pk for loc in held if loc.level == Level.SECTOR]
    sector_path = "" if ancestors_on_row else path
    return (Q(**{f"{path}pk__in": awcs}) if awcs else NOTHING) | (
        Q(**{f"{sector_path}sector_id__in": sectors}) if sectors else NOTHING)


def _area_q(area: Area | None, prefix: str) -> Q:
    """Filter for locations (reached through `prefix`) lying in the area's subtree."""
    if area is None:
        return NOTHING
    if area.is_nation:
        return Q()
    path = f"{prefix}__" if prefix else ""
    loc = area.location
    if loc.level == Level.AWC:
        own = Q(**{f"{path}pk": loc.pk})
    else:
        own = Q(**{f"{path}{loc.level}_id": loc.pk}) | Q(**{f"{path}pk": loc.pk})
    if area.charges:
        held = area.charged()
        own |= _charged_q(area, path) | Q(**{f"{path}pk__in": [h.pk for h in held if h.level != Level.AWC]})
    return own


def scope_q(user, *, awc_field: str = "awc", ancestors_on_row: bool = False) -> Q:
    """Filter for rows that belong to an AWC the user may see (her area and what she holds on additional charge
    today). `ancestors_on_row`: the rows carry the AWC's ancestor ids themselves (`sector_id`, …: no join)."""
    area = user_area(user)
    if area is None:
        return NOTHING
    if area.is_nation:
        return Q()
    loc = area.location
    if loc.level == Level.AWC:
        own = Q(**{f"{awc_field}_id": loc.pk})
    elif ancestors_on_row:
        own = Q(**{f"{loc.level}_id": loc.pk})
    else:
        own = Q(**{f"{awc_field}__{loc.level}_id": loc.pk})
    if area.charges:
        own |= _charged_q(area, f"{awc_field}__", ancestors_on_row=ancestors_on_row)
    return own


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
    """The AWC a centre worker (AWW/AWH) is working: her own, or the one she chose among those she holds on
    additional charge today (`working_awc_id`, set from her session by anganwadi.charge.middleware); None for
    everyone else."""
    area = user_area(user)
    if area is None or area.level != Level.AWC:
        return None
    chosen = getattr(user, "working_awc_id", None)
    if chosen and chosen != area.location.pk:
        for held in area.charged():
            if held.pk == chosen and held.level == Level.AWC:
                return held
    return area.location


def working_centres(user) -> list[Location]:
    """The centres a worker may work today: her own first, then those she holds on additional charge."""
    area = user_area(user)
    if area is None or area.level != Level.AWC:
        return []
    return [area.location, *(held for held in area.charged() if held.level == Level.AWC)]


def own_awc(user, perms=()) -> Location:
    """The one door to "the worker's own centre": the AWC she is working (`user_awc`), or PermissionDenied for
    anyone else (or for a worker without `perms`)."""
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
