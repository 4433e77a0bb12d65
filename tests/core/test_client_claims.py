"""A client id stays single-use across a partitioned fact table's months (PostgreSQL), whatever path a row
comes by; a row moved to another month keeps its id; concurrent retries get the first row."""
from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import psycopg2
import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from beneficiaries.models import Beneficiary, Household
from growth import services as growth_services
from growth.models import Measurement
from poshan.core import claims, partitions
from thr_frs.models import OverrideRequest, ThrDistribution

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitioning is PostgreSQL-only; on SQLite (the embedded default) client_uuid is unique by itself",
)


# The refusal is the claim's (a unique violation on the claims table's key), not another rule's.
CLAIMED = "growth_measurement_claims_pkey"
THR_CLAIMED = "thr_frs_thrdistribution_claims_pkey"


def _child(world, name="Child"):
    household = Household.objects.create(awc=world.awc1, head_name="Head")
    return Beneficiary.objects.create(awc=world.awc1, household=household, name=name, sex="F",
                                      dob=timezone.localdate() - timedelta(days=700))


def _row(child, day, key):
    return Measurement(child=child, awc=child.awc, district_id=child.awc.district_id, date=day,
                       weight_kg=Decimal("10"), client_uuid=key)


def _count_of(key) -> int:
    return Measurement.objects.filter(client_uuid=key).count()


@pytest.mark.django_db
def test_an_id_is_refused_in_another_month_whatever_path_saves_it(world):
    """A plain save, a bulk insert: not only the form's service keeps an id single-use across the months."""
    child = _child(world)
    key = uuid.uuid4()
    _row(child, timezone.localdate() - timedelta(days=40), key).save()
    with pytest.raises(IntegrityError, match=CLAIMED), transaction.atomic():
        _row(child, timezone.localdate(), key).save()
    with pytest.raises(IntegrityError, match=CLAIMED), transaction.atomic():
        Measurement.objects.bulk_create([_row(child, timezone.localdate() - timedelta(days=75), key)])
    assert _count_of(key) == 1
    Measurement.objects.bulk_create([_row(child, timezone.localdate(), None), _row(child, timezone.localdate(), None)])
    assert Measurement.objects.filter(child=child, client_uuid__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_row_moved_to_another_month_keeps_its_id(world, users):
    """Its date corrected into another month, the row moves partition: it is kept, and its id still answers."""
    child = _child(world)
    key = uuid.uuid4()
    first, _created = growth_services.measurement_record(
        actor=users.aww, child=child, date=timezone.localdate() - timedelta(days=40), weight_kg=Decimal("10"),
        client_uuid=key)
    Measurement.objects.filter(pk=first.pk).update(date=timezone.localdate())
    moved = Measurement.objects.get(pk=first.pk)
    assert moved.date == timezone.localdate() and _count_of(key) == 1
    again, created = growth_services.measurement_record(
        actor=users.aww, child=child, date=timezone.localdate() - timedelta(days=40), weight_kg=Decimal("10"),
        client_uuid=key)
    assert (created, again.pk, again.date) == (False, first.pk, timezone.localdate())
    with pytest.raises(IntegrityError, match=CLAIMED), transaction.atomic():
        _row(child, timezone.localdate() - timedelta(days=40), key).save()


@pytest.mark.django_db
def test_the_id_of_a_ration_is_single_use_across_months(world, users):
    child = _child(world)
    key = uuid.uuid4()
    month = timezone.localdate().replace(day=1)

    def handover(on):
        override = OverrideRequest.objects.create(beneficiary=child, awc=world.awc1, month=on, quantity=1,
                                                  reason="Mother away", status="approved", requested_by=users.aww,
                                                  decided_by=users.aww)
        return ThrDistribution.objects.create(beneficiary=child, awc=world.awc1, month=on, quantity=1,
                                              handed_over_by=users.aww, verified_by="override", override=override,
                                              client_uuid=key)

    handover(partitions.add_months(month, -2))
    with pytest.raises(IntegrityError, match=THR_CLAIMED), transaction.atomic():
        handover(month)
    assert ThrDistribution.objects.filter(client_uuid=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_retry_sent_while_the_first_is_being_saved_is_answered_with_the_first(world, users):
    """The phone sends again (another month's date, say) while the first request's transaction is still open:
    the retry waits for it and is answered with its row, in either month."""
    child = _child(world)
    key = uuid.uuid4()
    settings = connection.settings_dict
    first = psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
                             host=settings["HOST"] or None, port=settings["PORT"] or None)
    try:
        with first.cursor() as cursor:  # the first request, not yet committed
            cursor.execute("INSERT INTO growth_measurement (child_id, awc_id, district_id, client_uuid, date, "
                           "weight_kg, measure, oedema, flags, underweight, stunting, wasting, acute, is_implausible, "
                           "created_at) VALUES (%s, %s, %s, %s, %s, 10, '', false, 0, -1, -1, -1, -1, false, now()) "
                           "RETURNING id",
                           [child.pk, world.awc1.pk, world.awc1.district_id, str(key),
                            timezone.localdate() - timedelta(days=40)])
            first_id = cursor.fetchone()[0]
        answers = []

        def retry():
            try:
                answers.append(growth_services.measurement_record(
                    actor=users.aww, child=child, date=timezone.localdate(), weight_kg=Decimal("10.4"),
                    client_uuid=key))
            except Exception as exc:  # noqa: BLE001 - the test reports what the retry met
                answers.append(exc)
            finally:
                connections.close_all()

        waiting = threading.Thread(target=retry)
        waiting.start()
        waiting.join(1.5)
        assert waiting.is_alive(), "the retry should wait for the first request's transaction"
        first.commit()
        waiting.join(10)
    finally:
        first.close()
    [(answer, created)] = answers
    assert (answer.pk, created) == (first_id, False)
    assert _count_of(key) == 1


@pytest.mark.django_db
def test_a_database_with_rows_already_gets_a_claim_for_each(world):
    """The migration on a live database: the rows there already are claimed, so their ids stay single-use."""
    child = _child(world)
    keys = [uuid.uuid4(), uuid.uuid4()]
    for key, days in zip(keys, (40, 0)):
        _row(child, timezone.localdate() - timedelta(days=days), key).save()
    _row(child, timezone.localdate(), None).save()
    with connection.schema_editor() as editor:
        claims.remove(editor, "growth_measurement", "date")
        claims.install(editor, "growth_measurement", "date")
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_uuid FROM growth_measurement_claims")
        assert {row[0] for row in cursor.fetchall()} == set(keys)
    with pytest.raises(IntegrityError, match=CLAIMED), transaction.atomic():
        _row(child, timezone.localdate(), keys[0]).save()


@pytest.mark.django_db
def test_the_row_an_id_names_is_read_from_its_one_month(world):
    """A retry's lookup (create_once, create_once_claiming) reads the partition its claim names, not every month's."""
    child = _child(world)
    key = uuid.uuid4()
    _row(child, timezone.localdate() - timedelta(days=40), key).save()
    lookup = Measurement.objects.filter(claims.row_filter(Measurement, connection, "date", key))
    assert [m.client_uuid for m in lookup] == [key]
    plan = lookup.explain(analyze=True, costs=False, timing=False, summary=False)
    months = set(partitions.partitions_of(connection, "growth_measurement"))
    read = {name for line in plan.splitlines() if "never executed" not in line
            for name in re.findall(r" on (\w+)", line) if name in months}
    assert len(months) > 3 and read == {"growth_measurement_old"}, plan


@pytest.mark.django_db
def test_rows_moved_into_a_month_made_later_keep_their_ids(world):
    """ensure_partitions moves a row from `_old` into its new month (a copy, then a delete): its claim holds."""
    child = _child(world)
    key = uuid.uuid4()
    old_month = partitions.add_months(timezone.localdate().replace(day=1), -14)
    _row(child, old_month + timedelta(days=3), key).save()
    made = partitions.ensure_partitions(first_month=old_month)
    assert partitions.month_name("growth_measurement", old_month) in made
    [moved] = Measurement.objects.filter(claims.row_filter(Measurement, connection, "date", key))
    assert moved.date == old_month + timedelta(days=3)
    with pytest.raises(IntegrityError, match=CLAIMED), transaction.atomic():
        _row(child, timezone.localdate(), key).save()
