"""Fact tables partitioned by month (PostgreSQL): a month's query reads one partition, partitions are
made ahead idempotently, rows already stored move into a month made later, and a submission id
stays single-use although the tables are unique on (client_uuid, month) only."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from beneficiaries.models import Attendance, Beneficiary, Household
from growth import services as growth_services
from growth.models import Measurement
from poshan.core import partitions
from poshan.core.models import AuditEvent
from thr_frs.models import ThrDistribution

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitioning is PostgreSQL-only; SQLite (the embedded default) keeps ordinary tables",
)
FACT_TABLES = {"beneficiaries_attendance": "date", "growth_measurement": "date", "thr_frs_thrdistribution": "month",
               "core_auditevent": "at"}


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def scanned(queryset) -> set[str]:
    """Names of the relations a query's plan reads."""
    return set(re.findall(r" on (\w+)", queryset.explain()))


def partitions_scanned(queryset, table: str) -> set[str]:
    """The table's partitions among the relations read (an index scan also names the index: left out)."""
    return scanned(queryset) & set(partitions.partitions_of(connection, table))


@postgres_only
@pytest.mark.django_db
def test_every_fact_table_is_partitioned_by_month_up_to_three_months_ahead():
    tables = {p.table: p.column for p in partitions.partitioned_tables(connection)}
    assert tables == FACT_TABLES
    for table in FACT_TABLES:
        names = set(partitions.partitions_of(connection, table))
        assert {f"{table}_old", f"{table}_default"} <= names
        for ahead in range(partitions.MONTHS_AHEAD + 1):
            assert partitions.month_name(table, partitions.add_months(this_month(), ahead)) in names


@postgres_only
@pytest.mark.django_db
def test_a_months_query_reads_one_partition():
    first = this_month()
    last = partitions.add_months(first, 1) - timedelta(days=1)
    zone = ZoneInfo(settings.TIME_ZONE)
    queries = {
        "beneficiaries_attendance": Attendance.objects.filter(date__gte=first, date__lte=last),
        "growth_measurement": Measurement.objects.filter(awc_id=1, date__range=(first, last)),
        "thr_frs_thrdistribution": ThrDistribution.objects.filter(month=first),
        "core_auditevent": AuditEvent.objects.filter(
            at__gte=datetime.combine(first, time.min, tzinfo=zone),
            at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)),
    }
    for table, queryset in queries.items():
        assert partitions_scanned(queryset, table) == {partitions.month_name(table, first)}, table


@postgres_only
@pytest.mark.django_db
def test_latest_measurement_reads_partitions_newest_first_and_stops():
    """The nightly job's "latest measurement on or before D": an ordered Append, not a merge of every
    partition (possible because old rows live in _old, so the default partition is pruned)."""
    plan = (Measurement.objects.filter(child_id=1, date__lte=timezone.localdate()).order_by("-date", "-id")[:1]
            .explain())
    assert "Merge Append" not in plan
    assert "growth_measurement_default" not in plan


@postgres_only
@pytest.mark.django_db
def test_ensure_partitions_is_idempotent():
    assert partitions.ensure_partitions() == []
    made = partitions.ensure_partitions(months_ahead=partitions.MONTHS_AHEAD + 2)
    later = [partitions.add_months(this_month(), partitions.MONTHS_AHEAD + n) for n in (1, 2)]
    assert sorted(made) == sorted(partitions.month_name(t, m) for t in FACT_TABLES for m in later)
    assert partitions.ensure_partitions(months_ahead=partitions.MONTHS_AHEAD + 2) == []


@postgres_only
@pytest.mark.django_db
def test_rows_stored_before_their_month_existed_move_into_it(world, users):
    """A row older than the first month sits in _old, one far ahead in the default partition; making
    those months moves them, and the audit log's guard still refuses changes afterwards."""
    household = Household.objects.create(awc=world.awc1, head_name="Head")
    child = Beneficiary.objects.create(awc=world.awc1, household=household, name="Child", sex="F",
                                       dob=timezone.localdate() - timedelta(days=4 * 365))
    old_month = partitions.add_months(this_month(), -14)
    far_month = partitions.add_months(this_month(), partitions.MONTHS_AHEAD + 2)
    Attendance.objects.create(awc=world.awc1, child=child, date=old_month + timedelta(days=3))
    Attendance.objects.create(awc=world.awc1, child=child, date=far_month + timedelta(days=4))
    event = AuditEvent.objects.order_by("-id").first()

    made = partitions.ensure_partitions(months_ahead=partitions.MONTHS_AHEAD + 2, first_month=old_month)

    assert partitions.month_name("beneficiaries_attendance", old_month) in made
    for day in (old_month + timedelta(days=3), far_month + timedelta(days=4)):
        month = day.replace(day=1)
        assert partitions_scanned(Attendance.objects.filter(date=day), "beneficiaries_attendance") == {
            partitions.month_name("beneficiaries_attendance", month)}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {partitions.month_name('beneficiaries_attendance', month)}")
            assert cursor.fetchone()[0] == 1
    assert Attendance.objects.filter(child=child).count() == 2
    assert partitions.ensure_partitions(months_ahead=partitions.MONTHS_AHEAD + 2, first_month=old_month) == []
    if event is not None:
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="delete")


@postgres_only
@pytest.mark.django_db
def test_widened_unique_constraints_keep_their_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'thr_frs_thrdistribution'::regclass AND contype IN ('p', 'u')")
        defs = dict(cursor.fetchall())
    assert defs["thr_frs_thrdistribution_pkey"] == "PRIMARY KEY (id, month)"
    assert defs["thr_frs_thrdistribution_client_uuid_key"] == "UNIQUE (client_uuid, month)"
    assert defs["one_thr_per_beneficiary_month"] == "UNIQUE (beneficiary_id, month)"


@pytest.mark.django_db
def test_a_submission_id_used_for_one_child_is_refused_for_another_in_another_month(world, users):
    """Unique on (client_uuid, date) only on PostgreSQL: the measurement's INSERT also looks for the id in every
    partition (INSERT … SELECT … WHERE NOT EXISTS), in the same statement."""
    household = Household.objects.create(awc=world.awc1, head_name="Head")
    first, second = (Beneficiary.objects.create(awc=world.awc1, household=household, name=f"Child {n}", sex="F",
                                                dob=timezone.localdate() - timedelta(days=700)) for n in (1, 2))
    key = uuid.uuid4()
    growth_services.measurement_record(actor=users.aww, child=first, date=timezone.localdate() - timedelta(days=40),
                                       weight_kg=Decimal("10"), client_uuid=key)
    with pytest.raises(ValidationError) as refused:
        growth_services.measurement_record(actor=users.aww, child=second, date=timezone.localdate(),
                                           weight_kg=Decimal("10"), client_uuid=key)
    assert "client_uuid" in refused.value.message_dict
    assert Measurement.objects.filter(client_uuid=key).count() == 1


@pytest.mark.django_db
def test_a_submission_id_sent_again_with_another_date_is_answered_with_the_first_measurement(world, users):
    """The same child, the id of a measurement of last month, a later date: the retry is answered, not saved twice
    in the later month's partition."""
    household = Household.objects.create(awc=world.awc1, head_name="Head")
    child = Beneficiary.objects.create(awc=world.awc1, household=household, name="Child", sex="F",
                                       dob=timezone.localdate() - timedelta(days=700))
    key = uuid.uuid4()
    first, created = growth_services.measurement_record(
        actor=users.aww, child=child, date=timezone.localdate() - timedelta(days=40), weight_kg=Decimal("10"),
        client_uuid=key)
    again, created_again = growth_services.measurement_record(
        actor=users.aww, child=child, date=timezone.localdate(), weight_kg=Decimal("10.4"), client_uuid=key)
    assert (created, created_again, again.pk, again.weight_kg) == (True, False, first.pk, Decimal("10"))
    assert Measurement.objects.filter(client_uuid=key).count() == 1
    assert AuditEvent.objects.filter(object_type="growth.measurement", object_id=str(first.pk)).count() == 1
