"""Reads for the additional-charge pages, each starting from the user's scope (anganwadi.selectors)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poshan.core.roles import Level

from ..selectors import (
    CHARGE_LEVEL,
    locations_visible_to,
    scope_queryset,
    staff_in_area,
)
from .models import AdditionalCharge

SHOWN = 100


def charges_visible_to(user) -> QuerySet[AdditionalCharge]:
    """Grants of the places in the user's area (a CDPO: her project's), newest first."""
    return scope_queryset(AdditionalCharge.objects.select_related("holder", "location", "granted_by"), user,
                          awc_field="location")


def charge_holders(user) -> QuerySet:
    """Who may be given charge: the workers and supervisors of the user's area."""
    return staff_in_area(user).filter(role__in=list(CHARGE_LEVEL), is_active=True)


def chargeable_places(user) -> QuerySet:
    """Centres and sectors of the user's area that may be held on charge."""
    return (locations_visible_to(user).filter(level__in=[Level.AWC, Level.SECTOR], is_active=True)
            .order_by("level", "name"))


@dataclass(frozen=True)
class ChargeRow:
    charge: AdditionalCharge
    status: str
    label: str
    can_revoke: bool


STATUS_LABELS = {"upcoming": _("From a later day"), "active": _("Held now"), "ended": _("Ended"),
                 "revoked": _("Ended early")}


def charge_status(charge: AdditionalCharge, today: date) -> str:
    if charge.revoked_at is not None:
        return "revoked"
    if charge.end < today:
        return "ended"
    return "active" if charge.start <= today else "upcoming"


def charge_rows(user) -> list[ChargeRow]:
    today = timezone.localdate()
    rows = []
    for charge in charges_visible_to(user)[:SHOWN]:
        status = charge_status(charge, today)
        rows.append(ChargeRow(charge, status, STATUS_LABELS[status], status in ("active", "upcoming")))
    return rows
