"""Reads of the internet allowance: my claims, the approver's queue, and due / paid / pending per area."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When

from poshan.core.roles import Level, Role, child_level

from ..models import Location
from ..selectors import locations_visible_to, user_area
from . import rules
from .models import AllowanceClaim, AllowancePayment


def annual_rate() -> int:
    return settings.INTERNET_ALLOWANCE_PER_AWC_YEAR


def quarter_entitlement(role: str) -> int:
    return rules.entitlement(role=role, annual_rate=annual_rate())


def approvable_claims(user):
    """Claims a state official may decide: those of people placed inside her state."""
    if getattr(user, "role", "") != Role.STATE or not user.has_perm("anganwadi.add_allowancepayment"):
        return AllowanceClaim.objects.none()
    return AllowanceClaim.objects.filter(location__in=locations_visible_to(user))


def my_claims(user) -> QuerySet[AllowanceClaim]:
    return AllowanceClaim.objects.filter(claimant=user).select_related("payment", "decided_by")


def approval_queue(user, *, period_start: date | None = None) -> QuerySet[AllowanceClaim]:
    """Claims waiting for this state official, oldest first."""
    claims = approvable_claims(user).filter(status=AllowanceClaim.Status.SUBMITTED)
    if period_start is not None:
        claims = claims.filter(period_start=period_start)
    return claims.select_related("claimant", "location").order_by("submitted_at", "pk")


def area_claims(user) -> QuerySet[AllowanceClaim]:
    """Claims of people placed inside the user's area."""
    return AllowanceClaim.objects.filter(location__in=locations_visible_to(user))


@dataclass
class Money:
    people: int = 0
    due: int = 0
    claimed: int = 0
    paid: int = 0
    pending: int = 0

    @property
    def unclaimed(self) -> int:
        return max(self.due - self.claimed, 0)

    def add(self, other: Money) -> None:
        for name in ("people", "due", "claimed", "paid", "pending"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class FiguresRow:
    location: Location | None  # None: staff placed at the area's own level (e.g. the sector's supervisor)
    money: Money = field(default_factory=Money)


def _group_key(prefix: str, level: str) -> Case:
    """The place one level down holding the row's location (itself when it is at that level)."""
    above = Value(None) if level == Level.AWC else F(f"{prefix}{level}")  # an AWC has no ancestor of its level
    return Case(When(**{f"{prefix}level": level}, then=F(f"{prefix}id")), default=above,
                output_field=IntegerField())


def _inside(prefix: str, location: Location | None) -> Q:
    if location is None:
        return Q()
    if location.level == Level.AWC:
        return Q(**{f"{prefix}pk": location.pk})
    return Q(**{f"{prefix}pk": location.pk}) | Q(**{f"{prefix}{location.level}_id": location.pk})


def resolve_place(user, location_id: int | None) -> Location | None | bool:
    """The place to show (the user's own area by default); False when it is outside the area."""
    area = user_area(user)
    if area is None:
        return False
    if location_id is None:
        return area.location
    return locations_visible_to(user).filter(pk=location_id).first() or False


def allowance_figures(*, location: Location | None, period_start: date) -> tuple[list[FiguresRow], Money]:
    """Due, claimed, paid and pending for the quarter, per place one level below `location`, and the total.

    Due: the quarter's entitlement of every active AWW, supervisor and CDPO placed there now.
    Pending: claimed and not yet paid or rejected. Three grouped queries.
    """
    level = child_level(location.level) if location is not None else Level.STATE
    if level is None:  # an AWC: one row
        level = Level.AWC
    rows: dict[int | None, Money] = defaultdict(Money)
    staff = (get_user_model().objects.filter(is_active=True, role__in=rules.ELIGIBLE_ROLES)
             .filter(_inside("assignment__location__", location))
             .annotate(place=_group_key("assignment__location__", level))
             .values("place", "role").annotate(n=Count("pk")).order_by())
    for row in staff:
        money = rows[row["place"]]
        money.people += row["n"]
        money.due += row["n"] * quarter_entitlement(row["role"])
    live = ~Q(status=AllowanceClaim.Status.REJECTED)
    claims = (AllowanceClaim.objects.filter(period_start=period_start).filter(_inside("location__", location))
              .annotate(place=_group_key("location__", level)).values("place")
              .annotate(claimed=Sum("amount", filter=live),
                        pending=Sum("amount", filter=Q(status=AllowanceClaim.Status.SUBMITTED))).order_by())
    for row in claims:
        rows[row["place"]].claimed += row["claimed"] or 0
        rows[row["place"]].pending += row["pending"] or 0
    paid = (AllowancePayment.objects.filter(period_start=period_start).filter(_inside("location__", location))
            .annotate(place=_group_key("location__", level)).values("place").annotate(paid=Sum("amount")).order_by())
    for row in paid:
        rows[row["place"]].paid += row["paid"] or 0
    places = Location.objects.in_bulk([key for key in rows if key is not None])
    total = Money()
    result = []
    for key, money in rows.items():
        total.add(money)
        if key is None or key in places:
            result.append(FiguresRow(places.get(key), money))
    result.sort(key=lambda r: (r.location is not None, r.location.name if r.location else ""))
    return result, total
