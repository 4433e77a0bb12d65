"""Equipment on the dashboards (% AWCs with a working phone and each device, per area) and in the export."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from anganwadi.equipment.services import device_record
from poshan.dashboards.models import AreaMonth
from poshan.dashboards.rollups.refresh import refresh_month

from .conftest import IMEI, IMEI_2

NOVEMBER, OCTOBER = date(2026, 11, 1), date(2026, 10, 1)


@pytest.fixture
def devices(world, users, make_user):
    """awc1: phone and infant scale working since 10 October. awc2: its phone breaks on 27 November."""
    aww2 = make_user("aww", world.awc2)
    with time_machine.travel("2026-10-10 06:00:00+00:00", tick=False):
        device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", imei=IMEI)
        device_record(actor=users.aww, awc=world.awc1, kind="infant_scale", condition="working")
        device_record(actor=aww2, awc=world.awc2, kind="smartphone", condition="working", imei=IMEI_2)
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        device_record(actor=aww2, awc=world.awc2, kind="smartphone", condition="broken")
        refresh_month(NOVEMBER, trigger="admin", today=date(2026, 11, 27))
        refresh_month(OCTOBER, trigger="admin", today=date(2026, 11, 27))
        yield


def _row(month, location):
    return AreaMonth.objects.get(month=month, location=location)


def test_each_awc_counts_one_per_working_device(world, devices):
    awc1, awc2 = _row(NOVEMBER, world.awc1), _row(NOVEMBER, world.awc2)
    assert (awc1.phone_working, awc1.infant_scale_working, awc1.stadiometer_working) == (1, 1, 0)
    assert awc2.phone_working == 0


def test_a_month_reads_the_condition_as_it_was_then(world, devices):
    assert _row(OCTOBER, world.awc2).phone_working == 1


def test_areas_sum_their_centres(world, devices):
    sector = _row(NOVEMBER, world.sector1)
    assert (sector.awcs, sector.phone_working, sector.infant_scale_working) == (2, 1, 1)


def test_dashboard_shows_the_equipment_percentages(world, users, devices, login):
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        page = login(users.supervisor).get(reverse("dashboards:home"), {"month": "2026-11"}).content.decode()
    assert "AWCs with a working smartphone" in page and "50.0%" in page


def _export(client, **fields):
    payload = {"kind": "equipment", "file_format": "csv", "month_from": "2026-11", "month_to": "2026-11", **fields}
    response = client.post(reverse("dashboards:export"), payload)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_export_lists_each_centre_of_the_area_with_masked_imei(world, users, devices, login):
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        rows = _export(login(users.dpo))
    assert [int(r["awc_code"]) for r in rows] == sorted([world.awc1.code, world.awc2.code, world.awc3.code,
                                                          world.awc4.code])
    first = next(r for r in rows if int(r["awc_code"]) == world.awc1.code)
    assert (first["smartphone"], first["infant_scale"], first["phone_imei"]) == ("working", "working",
                                                                                 "XXXXXXXXXXX7518")
    assert IMEI not in str(rows) and IMEI_2 not in str(rows)


def test_export_outside_the_area_is_refused(world, users, devices, login):
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        response = login(users.dpo).post(reverse("dashboards:export"), {
            "kind": "equipment", "file_format": "csv", "month_from": "2026-11", "month_to": "2026-11",
            "location_code": world.awc6.code, "level": "awc"})
    assert response.status_code == 400 and "outside your area" in response.content.decode()
