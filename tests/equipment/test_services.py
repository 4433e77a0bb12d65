"""Recording a centre's devices and building: encrypted IMEI, bad input refused whole, faults become grievances."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from anganwadi.equipment.models import Device, DeviceReport, Infrastructure
from anganwadi.equipment.services import device_record, infrastructure_record
from grievances.models import Category, Channel, Grievance
from grievances.services import grievance_resolve, grievance_start
from poshan.core.models import AuditEvent

from .conftest import IMEI, IMEI_2


def _nothing_saved():
    assert Device.objects.count() == 0 and DeviceReport.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="anganwadi.device").exists()


def test_imei_is_encrypted_at_rest_and_shown_masked(phone):
    with connection.cursor() as cursor:
        cursor.execute("SELECT imei FROM anganwadi_device WHERE id = %s", [phone.pk])
        stored = cursor.fetchone()[0]
    assert IMEI not in stored
    assert Device.objects.get(pk=phone.pk).imei == IMEI and phone.imei_masked == "XXXXXXXXXXX7518"


def test_first_report_is_kept_as_history_and_audited(world, phone):
    report = DeviceReport.objects.get(device=phone)
    assert (report.condition, report.on) == ("working", timezone.localdate())
    event = AuditEvent.objects.get(object_type="anganwadi.device", object_id=str(phone.pk))
    assert event.action == "create" and "imei" in event.fields and IMEI not in str(event.fields)


def test_unknown_device_type_is_refused_with_nothing_saved(world, users):
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="fridge", condition="working")
    assert "Unknown device type “fridge”" in error.value.message_dict["kind"][0]
    _nothing_saved()


def test_imei_failing_luhn_is_refused_with_nothing_saved(world, users):
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", imei=IMEI[:-1] + "9")
    assert "fails its check digit" in error.value.message_dict["imei"][0]
    _nothing_saved()


def test_imei_of_the_wrong_length_says_so(world, users):
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", imei=IMEI[:14])
    assert error.value.message_dict["imei"] == ["An IMEI has 15 digits; this one has 14."]


def test_a_phone_needs_its_imei_the_first_time(world, users):
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working")
    assert "imei" in error.value.message_dict
    _nothing_saved()


def test_a_scale_has_no_imei(world, users):
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="infant_scale", condition="working", imei=IMEI)
    assert "Only a smartphone has an IMEI" in error.value.message_dict["imei"][0]


def test_future_issue_date_is_refused(world, users):
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="stadiometer", condition="working",
                      issued_on=timezone.localdate() + timedelta(days=1))
    assert "issued_on" in error.value.message_dict
    _nothing_saved()


def test_same_imei_at_another_centre_is_refused(world, users, make_user, phone):
    aww2 = make_user("aww", world.awc2)
    with pytest.raises(ValidationError) as error:
        device_record(actor=aww2, awc=world.awc2, kind="smartphone", condition="working", imei=IMEI)
    assert "already recorded for another centre" in error.value.message_dict["imei"][0]


def test_issued_to_must_work_at_the_centre(world, users, make_user):
    other = make_user("aww", world.awc2)
    with pytest.raises(ValidationError) as error:
        device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", imei=IMEI,
                      issued_to=other)
    assert "issued_to" in error.value.message_dict


def test_a_worker_cannot_record_for_another_centre(world, users):
    with pytest.raises(PermissionDenied):
        device_record(actor=users.aww, awc=world.awc2, kind="infant_scale", condition="working")


def test_replacement_phone_updates_the_same_row(world, users, phone):
    result = device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", imei=IMEI_2,
                           make="Nokia G21")
    assert result.device.pk == phone.pk and set(result.changed) == {"make", "imei"}
    assert Device.objects.get(pk=phone.pk).imei == IMEI_2


def test_reporting_broken_lodges_a_device_grievance(world, users, phone):
    result = device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="broken",
                           note="The screen cracked")
    grievance = Grievance.objects.get()
    assert result.grievance.created and result.device.grievance_reference == grievance.reference
    assert (grievance.category, grievance.channel, grievance.awc_id, grievance.worker_id) == (
        Category.DEVICE, Channel.APP, world.awc1.pk, users.aww.pk)
    assert "The screen cracked" in grievance.description and IMEI not in grievance.description


def test_no_second_grievance_while_the_first_is_active(world, users, phone):
    device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="broken")
    again = device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="lost")
    assert Grievance.objects.count() == 1 and not again.grievance.created


def test_a_new_fault_after_the_grievance_is_resolved_opens_another(world, users, phone):
    first = device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="broken").grievance
    grievance = Grievance.objects.get(pk=first.id)  # device grievances go to the block coordinator's desk
    grievance_start(actor=users.cdpo, grievance=grievance)
    grievance_resolve(actor=users.cdpo, grievance=grievance, note="Replaced")
    device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working")
    device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="lost")
    assert Grievance.objects.count() == 2


def test_supervisor_report_lodges_on_behalf_of_the_centres_worker(world, users, phone):
    device_record(actor=users.supervisor, awc=world.awc1, kind="smartphone", condition="lost")
    grievance = Grievance.objects.get()
    assert (grievance.channel, grievance.worker_id, grievance.lodged_by_id) == (
        Channel.DASHBOARD, users.aww.pk, users.supervisor.pk)


def test_fault_at_a_centre_without_a_worker_account_is_saved_and_explained(world, users):
    result = device_record(actor=users.supervisor, awc=world.awc2, kind="infant_scale", condition="broken")
    assert result.grievance is None and "no worker" in result.grievance_missing_reason
    assert Device.objects.get(awc=world.awc2).condition == "broken"


def test_infrastructure_is_recorded_and_audited(world, users):
    row, changed = infrastructure_record(actor=users.aww, awc=world.awc1, own_building=True, drinking_water=True,
                                         toilet=False, electricity=True, kitchen=False)
    assert Infrastructure.objects.get(awc=world.awc1).electricity and "own_building" in changed
    assert AuditEvent.objects.filter(object_type="anganwadi.infrastructure", action="create").exists()


def test_unchanged_infrastructure_writes_nothing(world, users):
    answers = {"own_building": True, "drinking_water": True, "toilet": True, "electricity": True, "kitchen": True}
    infrastructure_record(actor=users.aww, awc=world.awc1, **answers)
    _row, changed = infrastructure_record(actor=users.aww, awc=world.awc1, **answers)
    assert changed == [] and AuditEvent.objects.filter(object_type="anganwadi.infrastructure").count() == 1


def test_a_retry_with_the_same_submission_id_changes_nothing(world, users, phone):
    import uuid

    key = uuid.uuid4()
    device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="broken", client_uuid=key)
    again = device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="broken", client_uuid=key)
    assert not again.created and not again.changed
    assert DeviceReport.objects.filter(device=phone).count() == 2 and Grievance.objects.count() == 1


def test_a_make_longer_than_the_field_is_refused_not_cut(world, users):
    """The 60-character limit lives in the service (page, API and any other caller), with a message."""
    with pytest.raises(ValidationError) as refused:
        device_record(actor=users.aww, awc=world.awc1, kind="stadiometer", condition="working", make="M" * 61)
    assert "60" in refused.value.message_dict["make"][0]
    assert not Device.objects.filter(awc=world.awc1, kind="stadiometer").exists()
