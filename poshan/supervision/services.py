"""Writes of the supervisor's month: a visit with its checklist, findings and action list (closing the actions the
last visit left open), and a VHSND. Each one transaction, checked, audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once

from . import rules
from .models import ActionItem, Vhsnd, Visit, VisitCheck

RECORD_DAYS_BACK = 30  # a visit or a VHSND may be recorded up to this many days after it


@dataclass(frozen=True)
class NewAction:
    text: str
    owner: str
    due_on: date


def _check_day(day: date, field: str = "on") -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError({field: _("This date is in the future.")})
    if day < today - timedelta(days=RECORD_DAYS_BACK):
        raise ValidationError({field: _("This date is more than %(n)s days ago.") % {"n": RECORD_DAYS_BACK}})


def _check_visit(*, on: date, checks: dict, actions: list[NewAction], open_ids: set[int], closing: dict) -> None:
    _check_day(on)
    if set(checks) != set(rules.CHECKLIST):
        raise ValidationError(_("Answer every question of the checklist."))
    if set(closing) != open_ids:
        raise ValidationError(_("Say for every action of the last visit whether it was done."))
    for action in actions:
        if action.owner not in rules.ACTION_OWNERS:
            raise ValidationError(_("Choose who will do the action."))
        if action.due_on < on:
            raise ValidationError(_("An action cannot be due before the visit."))


def _close_actions(*, actor, visit: Visit, open_actions: list[ActionItem], closing: dict[int, bool]) -> None:
    """Each open action of the centre is done, or not done and carried on as a new open action of this visit."""
    for action in open_actions:
        done = closing[action.pk]
        action.status = ActionItem.Status.DONE if done else ActionItem.Status.NOT_DONE
        action.checked_in = visit
        action.full_clean()
        action.save(update_fields=["status", "checked_in"])
        audit_record(actor=actor, action="update", obj=action, awc_id=visit.awc_id, fields=["status", "checked_in"])
        if not done:
            carried = ActionItem(awc_id=visit.awc_id, raised_in=visit, text=action.text, owner=action.owner,
                                 due_on=max(action.due_on, visit.on), carried_from=action)
            carried.full_clean()
            carried.save()
            audit_record(actor=actor, action="create", obj=carried, awc_id=visit.awc_id, fields=["carried_from"])


def visit_record(*, actor, awc: Location, on: date, checks: dict[str, tuple[bool, str]], findings: str,
                 closing: dict[int, bool], actions: list[NewAction], client_uuid=None) -> Visit:
    """Record a visit: the checklist (item → (yes/no, note)), the findings, the new actions, and for every action
    the centre's last visit left open whether it was done (`closing`: action id → done)."""

    def create() -> Visit:
        with transaction.atomic():
            open_actions = list(ActionItem.objects.select_for_update()
                                .filter(awc=awc, status=ActionItem.Status.OPEN).order_by("pk"))
            _check_visit(on=on, checks=checks, actions=actions, open_ids={a.pk for a in open_actions},
                         closing=closing)
            visit = Visit(awc=awc, on=on, supervisor=actor, findings=findings.strip(), client_uuid=client_uuid)
            visit.full_clean()
            visit.save()
            VisitCheck.objects.bulk_create([VisitCheck(visit=visit, item=item, ok=checks[item][0],
                                                       note=checks[item][1].strip()[:200])
                                            for item in rules.CHECKLIST])
            audit_record(actor=actor, action="create", obj=visit, awc_id=awc.pk,
                         fields=["on", "findings", "checks"])
            _close_actions(actor=actor, visit=visit, open_actions=open_actions, closing=closing)
            for new in actions:
                item = ActionItem(awc=awc, raised_in=visit, text=new.text.strip(), owner=new.owner,
                                  due_on=new.due_on)
                item.full_clean()
                item.save()
                audit_record(actor=actor, action="create", obj=item, awc_id=awc.pk, fields=["text", "owner", "due_on"])
            return visit

    visit, _created = create_once(Visit, client_uuid=client_uuid, scope={"awc": awc}, create=create)
    return visit


def vhsnd_record(*, actor, awc: Location, on: date, services: list[str], children_referred: int,
                 anm_present: bool = True, notes: str = "") -> Vhsnd:
    """Record a Village Health Sanitation and Nutrition Day held at the centre (once a day per centre)."""
    _check_day(on)
    chosen = [s for s in rules.VHSND_SERVICES if s in set(services)]
    if not chosen or len(chosen) != len(set(services)):
        raise ValidationError({"services": _("Choose the services given.")})
    with transaction.atomic():
        if Vhsnd.objects.filter(awc=awc, on=on).exists():
            raise ValidationError({"on": _("A VHSND is already recorded for this centre on this day.")})
        day = Vhsnd(awc=awc, on=on, services=chosen, children_referred=children_referred, anm_present=anm_present,
                    notes=notes.strip(), recorded_by=actor)
        day.full_clean()
        day.save()
        audit_record(actor=actor, action="create", obj=day, awc_id=awc.pk,
                     fields=["on", "services", "children_referred", "anm_present"])
    return day
