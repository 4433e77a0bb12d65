"""Additional charge: the CDPO grants and revokes it, the holder chooses the centre she works, the nightly step
takes the permission of grants that are over. Each write is one transaction with its audit event; each forgets
the holder's kept area (poshan.core.usercache), so her next request sees the change."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from poshan.core import usercache
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent, User
from poshan.core.roles import Level, Role

from ..models import Location
from ..selectors import CHARGE_LEVEL, user_area, working_centres
from .models import HOLD_CHARGE_PERM, AdditionalCharge

MAX_DAYS = 366  # a grant longer than a year is a posting, not a charge
EXPIRE_BATCH = 500


def _granting_project(actor) -> Location:
    """The CDPO's project: only she grants, and only inside it."""
    area = user_area(actor)
    if getattr(actor, "role", "") != Role.CDPO or area is None or area.level != Level.PROJECT:
        raise PermissionDenied
    return area.location


def _check_grant(*, project: Location, holder: User, location: Location, start: date, end: date) -> None:
    """The rules of a grant: a worker of the project takes another centre, a supervisor another sector; the
    dates from today, at most a year; nobody else holds the place for any of those days."""
    today = timezone.localdate()
    held_level = CHARGE_LEVEL.get(holder.role)
    home = user_area(holder)
    if held_level is None or not holder.is_active or home is None or home.location.project_id != project.pk:
        raise ValidationError({"holder": _("Only a worker or a supervisor of your project can hold additional charge.")})
    if location.project_id != project.pk or not location.is_active:
        raise ValidationError({"location": _("Choose a centre or sector of your project.")})
    if location.level != held_level:
        raise ValidationError({"location": _("A worker takes charge of a centre, a supervisor of a sector.")})
    if location.pk == home.location.pk:
        raise ValidationError({"location": _("This is already her own place.")})
    if start < today:
        raise ValidationError({"start": _("Additional charge starts today or later.")})
    if end < start:
        raise ValidationError({"end": _("The last day cannot be before the first.")})
    if end - start > timedelta(days=MAX_DAYS - 1):
        raise ValidationError({"end": _("Additional charge lasts at most %(n)s days.") % {"n": MAX_DAYS}})
    taken = (AdditionalCharge.objects.select_related("holder")
             .filter(location=location, revoked_at__isnull=True, start__lte=end, end__gte=start).first())
    if taken is not None:
        raise ValidationError(_("%(place)s is already held by %(name)s from %(start)s to %(end)s; end that charge "
                                "first or choose other dates.") % {
            "place": location.name, "name": taken.holder.get_full_name() or taken.holder.username,
            "start": taken.start.strftime("%d-%m-%Y"), "end": taken.end.strftime("%d-%m-%Y")})


def _awc_id(location: Location) -> int | None:
    return location.pk if location.level == Level.AWC else None


@transaction.atomic
def charge_grant(*, actor, holder: User, location: Location, start: date, end: date, reason: str) -> AdditionalCharge:
    """The CDPO gives `holder` additional charge of `location` from `start` to `end` (both days included)."""
    project = _granting_project(actor)
    Location.objects.select_for_update().filter(pk=location.pk).first()  # one grant of a place at a time
    _check_grant(project=project, holder=holder, location=location, start=start, end=end)
    charge = AdditionalCharge(holder=holder, location=location, start=start, end=end, reason=reason.strip(),
                              granted_by=actor)
    charge.full_clean()
    charge.save()
    assign_perm(HOLD_CHARGE_PERM, holder, location)
    usercache.forget_user(holder.pk)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=charge, awc_id=_awc_id(location),
                 fields=("holder", "location", "start", "end", "reason"))
    return charge


def _release(charge: AdditionalCharge) -> None:
    """Take the guardian permission unless another grant of the same place to her is still to come or running."""
    still = (AdditionalCharge.objects.filter(holder_id=charge.holder_id, location_id=charge.location_id,
                                             revoked_at__isnull=True, end__gte=timezone.localdate())
             .exclude(pk=charge.pk).exists())
    if not still:
        remove_perm(HOLD_CHARGE_PERM, charge.holder, charge.location)
    usercache.forget_user(charge.holder_id)


@transaction.atomic
def charge_revoke(*, actor, charge: AdditionalCharge) -> AdditionalCharge:
    """The CDPO ends a grant of her project now (the holder loses the place at her next request)."""
    project = _granting_project(actor)
    charge = AdditionalCharge.objects.select_for_update().select_related("holder", "location").get(pk=charge.pk)
    if charge.location.project_id != project.pk:
        raise PermissionDenied
    if charge.revoked_at is not None or charge.end < timezone.localdate():
        raise ValidationError(_("This charge has already ended."))
    charge.revoked_at = timezone.now()
    charge.revoked_by = actor
    charge.save(update_fields=["revoked_at", "revoked_by"])
    _release(charge)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=charge, awc_id=_awc_id(charge.location),
                 fields=("revoked_at",))
    return charge


@transaction.atomic
def centre_choose(*, actor, awc_id: int) -> Location:
    """A worker holding additional charge picks the centre she works now (her own, or one she holds today);
    working a held centre is audited as the charge's use. The caller keeps the choice in her session."""
    centres = {centre.pk: centre for centre in working_centres(actor)}
    if awc_id not in centres:
        raise ValidationError(_("You do not hold this centre today."))
    centre = centres[awc_id]
    if centre.pk != user_area(actor).location.pk:
        today = timezone.localdate()
        charge = (AdditionalCharge.objects.select_for_update()
                  .filter(holder=actor, location=centre, revoked_at__isnull=True, start__lte=today, end__gte=today)
                  .first())
        if charge is None:  # revoked since her area was kept: the next request forgets it
            raise ValidationError(_("You do not hold this centre today."))
        if charge.first_used_at is None:
            charge.first_used_at = timezone.now()
            charge.save(update_fields=["first_used_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=charge, awc_id=centre.pk, fields=("used",))
    return centre


def charges_expire(*, today: date | None = None) -> int:
    """The nightly step: grants whose last day has passed lose their guardian permission, once, audited as done
    by the system (access has ended already: the scoping checks the dates). Safe to run twice."""
    today = today or timezone.localdate()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(AdditionalCharge.objects.select_for_update(skip_locked=True)
                         .select_related("holder", "location")
                         .filter(Q(end__lt=today), revoked_at__isnull=True, expired_at__isnull=True)
                         .order_by("pk")[:EXPIRE_BATCH])
            for charge in batch:
                charge.expired_at = timezone.now()
                charge.save(update_fields=["expired_at"])
                _release(charge)
                audit_record(actor=None, action=AuditEvent.Action.UPDATE, obj=charge,
                             awc_id=_awc_id(charge.location), fields=("expired_at",))
        done += len(batch)
        if len(batch) < EXPIRE_BATCH:
            return done
