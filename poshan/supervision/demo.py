"""The demo's supervision: the demo supervisor's visits (one action carried from an earlier visit), VHSNDs, alert
mobiles for her and the CDPO, and the alerts the demo's facts raise today — through the real services, once."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anganwadi.models import Location
from poshan.core.models import User

from . import rules
from .alerts import alerts_evaluate_district
from .models import AlertContact, Visit
from .selectors import open_actions
from .services import NewAction, vhsnd_record, visit_record

DEMO_MOBILES = {"supervisor_demo": "9876500011", "cdpo_demo": "9876500012"}  # not real numbers


def _checks(failing: str = "", note: str = "") -> dict[str, tuple[bool, str]]:
    return {item: (item != failing, note if item == failing else "") for item in rules.CHECKLIST}


def seed_supervision(awcs: list[Location]) -> dict[str, int]:
    """Visits to three of the first sector's five centres (two left to do), VHSNDs, alert contacts, today's alerts.
    A second call adds nothing."""
    supervisor = User.objects.filter(username="supervisor_demo").first()
    if supervisor is None or Visit.objects.filter(supervisor=supervisor).exists():
        return {"visits": 0}
    for username, mobile in DEMO_MOBILES.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            AlertContact.objects.get_or_create(user=user, defaults={"mobile": mobile})
    today = timezone.localdate()
    sector = [awc for awc in awcs if awc.sector_id == supervisor.assignment.location_id]
    first, second, third = sector[:3]
    visit_record(actor=supervisor, awc=first, on=today - timedelta(days=20), closing={},
                 checks=_checks("growth_devices_working", "Infantometer broken"),
                 findings="Growth register up to date; the infantometer is broken.",
                 actions=[NewAction("Get the infantometer repaired", "cdpo", today),
                          NewAction("Update the THR stock register", "aww", today - timedelta(days=10))])
    repair, register = open_actions(first)[-1], open_actions(first)[0]
    visit_record(actor=supervisor, awc=first, on=today - timedelta(days=1), checks=_checks(),
                 findings="Stock register updated; the infantometer is still awaited.",
                 closing={register.pk: True, repair.pk: False},
                 actions=[NewAction("Weigh the children missed this month", "aww", today + timedelta(days=7))])
    visit_record(actor=supervisor, awc=second, on=today - timedelta(days=3), checks=_checks(
        "open_on_time", "Opened at 10:15"), findings="Centre opened late.", closing={},
                 actions=[NewAction("Open at 9:00 every day", "aww", today + timedelta(days=14))])
    visit_record(actor=supervisor, awc=third, on=today - timedelta(days=5), checks=_checks(),
                 findings="All in order.", closing={}, actions=[])
    for awc, back in ((first, 8), (second, 12)):
        vhsnd_record(actor=supervisor, awc=awc, on=today - timedelta(days=back),
                     services=["immunisation", "anc_checkup", "growth_monitoring"], children_referred=2)
    for district_id in {awc.district_id for awc in awcs}:
        alerts_evaluate_district(district_id=district_id)
    return {"visits": 4}
