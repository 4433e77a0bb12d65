"""Audit you can trust: the ministry's audit page filters by actor, action, area and date; the chain verifies on the
database CI uses (tests/core/test_audit.py holds the chain, trigger and edit/delete-detection tests)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from poshan.core.audit import audit_record
from poshan.core.audit_tree import audit_verify
from poshan.core.models import AuditEvent


@pytest.fixture
def events(world, users, make_user):
    """One view event per centre awc1..awc6, by the worker of that centre."""
    made = {}
    for n in range(1, 7):
        awc = getattr(world, f"awc{n}")
        worker = users.aww if n == 1 else make_user("aww", awc)
        made[n] = audit_record(actor=worker, action=AuditEvent.Action.VIEW, object_type="beneficiaries.beneficiary",
                               object_id=f"marker-{n}", awc_id=awc.pk)
    return made


def _shown(client, **query) -> set[str]:
    page = client.get(reverse("audit_list"), query)
    assert page.status_code == 200
    return {f"marker-{n}" for n in range(1, 7) if f"marker-{n}</td>" in page.content.decode()}


@pytest.mark.parametrize("level,place,expected", [
    ("state", "state1", {1, 2, 3, 4, 5}),
    ("state", "state2", {6}),
    ("district", "district1", {1, 2, 3, 4}),
    ("project", "project1", {1, 2, 3}),
    ("sector", "sector1", {1, 2}),
    ("awc", "awc3", {3}),
])
def test_audit_page_filters_by_area(events, world, users, login, level, place, expected):
    client = login(users.ministry)
    shown = _shown(client, level=level, location_code=getattr(world, place).code)
    assert shown == {f"marker-{n}" for n in expected}


def test_area_filter_needs_a_known_place(events, world, users, login):
    client = login(users.ministry)
    page = client.get(reverse("audit_list"), {"level": "district", "location_code": world.state1.code})
    assert "No place has this code at that level." in page.content.decode()
    page = client.get(reverse("audit_list"), {"location_code": world.state1.code})
    assert "Say which level this code is." in page.content.decode()


def test_audit_page_filters_by_actor_action_and_date(events, world, users, login):
    client = login(users.admin)
    worker6 = AuditEvent.objects.get(object_id="marker-6").actor
    assert _shown(client, actor=worker6.username) == {"marker-6"}
    assert _shown(client, action="view", level="sector", location_code=world.sector1.code) == {"marker-1",
                                                                                                "marker-2"}
    assert _shown(client, action="export") == set()
    today = timezone.localdate()
    assert _shown(client, date_from=today.isoformat(), date_to=today.isoformat()) == {f"marker-{n}"
                                                                                      for n in range(1, 7)}
    assert _shown(client, date_to=(today - timedelta(days=1)).isoformat()) == set()


def test_chain_still_verifies_after_the_matrix_of_writes(events):
    checked, breaks = audit_verify()
    assert checked == AuditEvent.objects.count() and breaks == []


def test_audit_page_dates_are_days_in_india(world, users, login):
    """A date on the audit page is an Indian day: an event at 23:50 IST on the 1st (18:20 UTC) is the 1st's, one at
    00:10 IST on the 2nd (18:40 UTC on the 1st) is the 2nd's — compared as stored times, so the time index serves it."""
    ist = ZoneInfo("Asia/Kolkata")
    for when, marker in ((datetime(2026, 3, 1, 23, 50, tzinfo=ist), "marker-late"),
                         (datetime(2026, 3, 2, 0, 10, tzinfo=ist), "marker-early")):
        with time_machine.travel(when, tick=False):
            audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="beneficiaries.beneficiary",
                         object_id=marker, awc_id=world.awc1.pk)
    client = login(users.ministry)

    def shown(**query) -> set[str]:
        body = client.get(reverse("audit_list"), query).content.decode()
        return {m for m in ("marker-late", "marker-early") if f"{m}</td>" in body}

    assert shown(date_from="2026-03-01", date_to="2026-03-01") == {"marker-late"}
    assert shown(date_from="2026-03-02", date_to="2026-03-02") == {"marker-early"}
    assert shown(date_from="2026-03-02") == {"marker-early"}
    assert shown(date_to="2026-03-01") == {"marker-late"}
