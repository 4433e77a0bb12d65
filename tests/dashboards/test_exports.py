"""Exports: masked, pseudonymous, scoped, audited; small ones stream, large ones run as a job with progress."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from growth.services import measurement_record
from growth.tasks import run_nightly
from poshan.core.models import AuditEvent
from poshan.dashboards.exports import kinds, service
from poshan.dashboards.models import ExportJob
from tests.factories import make_household, make_person, valid_aadhaar


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


@pytest.fixture
def data(world, users):
    h1 = make_household(world.awc1, mobile="9812345678")
    mother = make_person(h1, name="Radha Secret", dob=date(1997, 3, 3), enrol_as="pregnant", lmp=date(2026, 7, 1),
                         aadhaar=valid_aadhaar(55))
    child = make_person(h1, name="Munna Secret", sex="M", dob=date(2024, 5, 5), enrol_as="child")
    far = make_person(make_household(world.awc6), name="Far Away", sex="F", dob=date(2024, 5, 5), enrol_as="child")
    for kid in (child, far):
        measurement_record(actor=users.aww, child=kid, date=date(2026, 11, 20), weight_kg=Decimal("10.0"),
                           lenhei_cm=Decimal("82.0"), measure="l")
    run_nightly("2026-11-27")  # the nightly job writes each child's latest status
    return mother, child, far


def _post(client, **fields):
    payload = {"kind": "children", "file_format": "csv", "month_from": "2026-11", "month_to": "2026-11", **fields}
    return client.post(reverse("dashboards:export"), payload)


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_children_export_is_pseudonymous_and_scoped(world, users, data, login):
    mother, child, far = data
    rows = _csv(_post(login(users.dpo)))
    assert [r["child_id"] for r in rows] == [str(child.pseudonym)]
    assert rows[0]["awc_code"] == str(world.awc1.code) and rows[0]["weight_kg"] == "10.00"
    assert "Secret" not in str(rows)


def test_pregnant_export_masks_aadhaar(world, users, data, login):
    mother, _, _ = data
    rows = _csv(_post(login(users.state), kind="pregnant"))
    assert rows[0]["aadhaar"] == f"XXXX XXXX {mother.aadhaar[-4:]}"
    assert mother.aadhaar not in str(rows) and "9812345678" not in str(rows)


def test_export_of_a_place_outside_the_area_is_refused(world, users, data, login):
    response = _post(login(users.dpo), location_code=world.district3.code, level="district")
    assert response.status_code == 400 and "outside your area" in response.content.decode()


def test_a_month_out_of_range_is_named_by_its_label_in_the_readers_language(world, users, login):
    client = login(users.dpo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    response = _post(client, month_to="2027-03")
    page = response.content.decode()
    assert response.status_code == 400
    assert "“किस महीने तक” 1900-01 और 2026-11 के बीच होना चाहिए।" in page and "“month_to”" not in page
    assert 'value="2027-03"' in page  # what she typed is kept


def test_an_export_spans_at_most_two_years_of_months(world, users):
    service.scope_for(user=users.dpo, location=None, month_from=date(2024, 12, 1), month_to=date(2026, 11, 1))
    with pytest.raises(ValidationError, match="at most 24 months"):
        service.scope_for(user=users.dpo, location=None, month_from=date(2024, 11, 1), month_to=date(2026, 11, 1))


def test_export_is_audited(world, users, data, login):
    _csv(_post(login(users.ministry)))
    assert AuditEvent.objects.filter(actor=users.ministry, action="export", object_type="export:children").exists()


def test_xlsx_export(world, users, data, login):
    response = _post(login(users.ministry), file_format="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "child_id" and len(rows) == 3


def test_workers_and_supervisors_cannot_export(world, users, login):
    assert login(users.aww).get(reverse("dashboards:export")).status_code == 403
    assert login(users.supervisor).get(reverse("dashboards:export")).status_code == 403


def test_large_export_runs_as_a_job_with_progress_and_download(world, users, data, login, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    monkeypatch.setattr(service, "STREAM_LIMIT", 0)
    client = login(users.ministry)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, kind="activity", file_format="csv")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dashboards:export_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Ready: 6 rows." in page
    download = client.get(reverse("dashboards:export_download", args=[job.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "awc_code,awc_name,last_submission,days_inactive"
    assert len(body.splitlines()) == 7
    other = login(users.state)
    assert other.get(reverse("dashboards:export_download", args=[job.pk])).status_code == 404


def test_failed_job_is_shown_on_the_page(world, users, login, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(service, "STREAM_LIMIT", -1)

    def broken(scope):
        raise RuntimeError("disk full")

    monkeypatch.setitem(kinds.KINDS, "activity", kinds.ExportKind(
        "activity", "AWC activity", ("awc_code",), lambda s: 1, broken))
    client = login(users.ministry)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        _post(client, kind="activity")
    job = ExportJob.objects.get()
    page = client.get(reverse("dashboards:export_job", args=[job.pk])).content.decode()
    assert job.status == "failed" and "disk full" in page
