"""The alerts' evaluation, one district at a time (the beat task's work; safe to run twice, at any hour).

Each (condition, centre) that holds today has exactly one open Alert (a partial unique constraint): it is opened
the first time a run finds it and cleared by the first run that no longer does, so an alert fires once. Newly
opened alerts go by SMS to the officer concerned where SMS_BACKEND is set and she has an alert contact: one SMS
per condition per person per day (the AlertSms unique constraint), never in quiet hours — alerts not yet sent wait
for the next run outside them. One audit event per district run (the alerts are the system's, not a centre's).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anganwadi.models import Location
from poshan.core.audit import audit_record
from poshan.core.roles import Level
from poshan.core.sms import send_sms

from . import rules
from .models import Alert, AlertContact, AlertRun, AlertSms, Condition
from .selectors import centre_facts


def alert_districts() -> list[int]:
    return list(Location.objects.filter(level=Level.DISTRICT, is_active=True).order_by("pk")
                .values_list("pk", flat=True))


def _holding(district_id: int, today) -> dict[tuple[str, int], int | None]:
    awcs = Location.objects.filter(level=Level.AWC, is_active=True, district_id=district_id)
    return {(f.condition, pk): f.figure for pk, facts in centre_facts(awcs, today).items()
            for f in rules.findings(facts, today)}


def alerts_evaluate_district(*, district_id: int, now: datetime | None = None) -> dict:
    """Open the alerts that newly hold in the district, clear those that stopped, then send what may be sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    holding = _holding(district_id, today)
    with transaction.atomic():
        open_rows = {(a.condition, a.awc_id): a.pk for a in
                     Alert.objects.select_for_update().filter(district_id=district_id, state=Alert.State.OPEN)}
        to_open, to_clear = rules.transitions(set(open_rows), set(holding))
        Alert.objects.bulk_create([Alert(condition=c, awc_id=awc, district_id=district_id, figure=holding[(c, awc)],
                                         opened_on=today, opened_at=now) for c, awc in sorted(to_open)],
                                  ignore_conflicts=True)
        Alert.objects.filter(pk__in=[open_rows[key] for key in to_clear]).update(
            state=Alert.State.CLEARED, cleared_at=now)
        run, _created = AlertRun.objects.update_or_create(
            district_id=district_id, on=today,
            defaults={"finished_at": now, "opened": len(to_open), "cleared": len(to_clear),
                      "open_total": len(holding)})
        audit_record(actor=None, action="update", obj=run, fields=["opened", "cleared", "open_total"])
        sent = _queue_sms(district_id, now) if _sms_configured() else 0
    return {"district": district_id, "opened": len(to_open), "cleared": len(to_clear), "open": len(holding),
            "sms": sent}


def _sms_configured() -> bool:
    return bool(getattr(settings, "SMS_BACKEND", ""))


def _place(alert: Alert) -> tuple[str, int]:
    """(role, location) of the officer an alert is for: the supervisor of its sector or the CDPO of its project."""
    role = rules.AUDIENCE[alert.condition]
    return role, alert.awc.sector_id if role == "supervisor" else alert.awc.project_id


def _recipients(alerts: list[Alert]) -> dict[tuple[int, str], list]:
    """(user, condition) → [contact, alerts]: the officer of each alert's sector or project with a mobile."""
    places = {_place(alert) for alert in alerts}
    contacts = (AlertContact.objects.filter(sms=True, user__is_active=True,
                                            user__role__in={place[0] for place in places},
                                            user__assignment__location_id__in={place[1] for place in places})
                .select_related("user", "user__assignment"))
    by_place = defaultdict(list)
    for contact in contacts:
        by_place[(contact.user.role, contact.user.assignment.location_id)].append(contact)
    found: dict[tuple[int, str], list] = {}
    for alert in alerts:
        for contact in by_place[_place(alert)]:
            found.setdefault((contact.user_id, alert.condition), [contact, []])[1].append(alert)
    return found


def _queue_sms(district_id: int, now: datetime) -> int:
    """Within the caller's transaction: claim today's SMS per person and condition, send them after commit."""
    if not rules.may_send_sms(timezone.localtime(now).time(), 0):
        return 0
    today = timezone.localdate(now)
    pending = list(Alert.objects.filter(district_id=district_id, state=Alert.State.OPEN, notified_at__isnull=True)
                   .select_related("awc"))
    sent_today = set(AlertSms.objects.filter(on=today, condition__in={a.condition for a in pending})
                     .values_list("user_id", "condition"))
    sent, notified = 0, set()
    for (user_id, condition), (contact, alerts) in _recipients(pending).items():
        if not rules.may_send_sms(timezone.localtime(now).time(), int((user_id, condition) in sent_today)):
            continue
        AlertSms.objects.create(user_id=user_id, condition=condition, on=today, centres=len(alerts), sent_at=now)
        text = _sms_text(condition, len(alerts), contact.user.preferred_language)
        transaction.on_commit(lambda to=contact.mobile, body=text: send_sms(to, body))
        notified.update(a.pk for a in alerts)
        sent += 1
    Alert.objects.filter(pk__in=notified).update(notified_at=now)
    return sent


def _sms_text(condition: str, centres: int, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return _("Poshan alert: %(condition)s at %(count)s centres of your area. See your home page.") % {
            "condition": Condition(condition).label, "count": centres}
