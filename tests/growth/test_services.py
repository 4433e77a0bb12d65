"""Recording a measurement: bad input refused with a clear message, implausible values saved and
flagged, a plain-language result, one row per client submission, the child marked weighed."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from growth import services
from growth.models import Class, FollowUp, Measurement
from growth.results import describe
from poshan.core.models import AuditEvent
from tests.growth.conftest import TODAY, days_ago
from poshan.core.pgsession import SEPARATOR
from tests.sql import sent_statements

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def child(world, make_child):
    return make_child(world.awc1, age_days=600, sex="F")


def refused(measure, child, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        measure(child, **kwargs)
    return caught.value.message_dict


def test_zero_weight_is_refused(measure, child):
    errors = refused(measure, child, on=TODAY, weight=0)
    assert "not possible for a child" in errors["weight_kg"][0]


def test_eighty_kg_is_refused(measure, child):
    errors = refused(measure, child, on=TODAY, weight=80)
    assert "80 kg is not possible" in errors["weight_kg"][0]


def test_height_of_three_metres_is_refused(measure, child):
    errors = refused(measure, child, on=TODAY, weight=10, lenhei=300, how="h")
    assert "300 cm is not possible" in errors["lenhei_cm"][0]


def test_date_in_the_future_is_refused(measure, child):
    errors = refused(measure, child, on=days_ago(-1), weight=10)
    assert errors["date"] == ["The date of the measurement cannot be in the future."]


def test_date_before_birth_is_refused(measure, child):
    errors = refused(measure, child, on=days_ago(601), weight=10)
    assert "before the child was born" in errors["date"][0]


def test_muac_under_six_months_is_refused(measure, world, make_child):
    baby = make_child(world.awc1, age_days=150)
    errors = refused(measure, baby, on=TODAY, weight=6.5, muac=11.0)
    assert "from 6 months" in errors["muac_cm"][0]


def test_muac_at_six_months_is_accepted(measure, world, make_child):
    baby = make_child(world.awc1, age_days=183)
    assert measure(baby, on=TODAY, weight=7.5, muac=13.0).muac_cm == Decimal("13.0")


def test_weight_between_scale_steps_is_refused(measure, child):
    errors = refused(measure, child, on=TODAY, weight="10.23")
    assert "0.05 kg" in errors["weight_kg"][0]


def test_length_without_position_is_refused(measure, child):
    errors = refused(measure, child, on=TODAY, weight=10, lenhei=80, how="x")
    assert "lying down or standing" in errors["measure"][0]


def test_nothing_is_saved_when_refused(measure, child):
    with pytest.raises(ValidationError):
        measure(child, on=TODAY, weight=80)
    assert Measurement.objects.count() == 0


def test_implausible_value_is_saved_flagged_and_asks_to_measure_again(measure, child):
    m = measure(child, on=TODAY, weight=3.0, lenhei=80.0)
    assert m.pk and m.is_implausible
    assert m.underweight == Class.UNKNOWN
    result = describe(m)
    assert "measure again" in result.text and result.remeasure


def test_stunted_child_gets_the_plain_language_result(measure, child):
    # 600 days, girl: 10 kg is a normal weight, 75.5 cm is moderately short (HAZ −2.6).
    m = measure(child, on=TODAY, weight=10.0, lenhei=75.5)
    assert m.stunting == Class.MODERATE and m.underweight == Class.NORMAL
    assert describe(m).text.startswith("Weight normal; height moderately low for age — stunted")
    assert describe(m).tone == "warn"


def test_sam_result_says_treatment_starts_today(measure, child):
    m = measure(child, on=TODAY, weight=10.0, lenhei=80.0, muac=11.0)
    result = describe(m)
    assert m.acute == Class.SEVERE
    assert result.refer and result.tone == "bad"
    assert "treatment starts today" in result.text  # the protocol's next step, not "refer to the health centre"


def test_scores_stored_with_the_measurement(measure, child):
    m = Measurement.objects.get(pk=measure(child, on=TODAY, weight=10.0, lenhei=80.0, muac=14.0).pk)
    assert m.waz is not None and m.haz is not None and m.whz is not None and m.acz is not None
    assert (m.awc_id, m.district_id) == (child.awc_id, child.awc.district_id)


def test_replayed_submission_returns_the_first_measurement(users, child):
    key = uuid.uuid4()
    first, created = services.measurement_record(actor=users.aww, child=child, date=TODAY, weight_kg=Decimal("10"),
                                                 client_uuid=key)
    again, created_again = services.measurement_record(actor=users.aww, child=child, date=TODAY,
                                                       weight_kg=Decimal("10.5"), client_uuid=key)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Measurement.objects.count() == 1


def test_child_is_marked_weighed(measure, child):
    measure(child, on=days_ago(2), weight=10.0)
    child.refresh_from_db()
    assert child.last_weighed_on == days_ago(2)


def test_recording_is_audited_without_values(measure, child):
    m = measure(child, on=TODAY, weight=10.0)
    event = AuditEvent.objects.filter(object_type="growth.measurement", object_id=str(m.pk)).get()
    assert event.action == AuditEvent.Action.CREATE and event.awc_id == child.awc_id
    assert "10" not in " ".join(event.fields)


def test_weighing_clears_this_months_not_weighed_follow_up(measure, child):
    followup = FollowUp.objects.create(child=child, awc=child.awc, reason=FollowUp.Reason.NOT_WEIGHED,
                                       month=TODAY.replace(day=1), flagged_on=TODAY)
    measure(child, on=TODAY, weight=10.0)
    followup.refresh_from_db()
    assert followup.resolution == FollowUp.Resolution.AUTO


def test_followup_resolved_by_supervisor_is_audited(users, child):
    followup = FollowUp.objects.create(child=child, awc=child.awc, reason=FollowUp.Reason.SAM,
                                       month=TODAY.replace(day=1), flagged_on=TODAY)
    services.followup_resolve(actor=users.supervisor, followup=followup, note="Referred to NRC")
    followup.refresh_from_db()
    assert followup.resolution == FollowUp.Resolution.FOLLOWED_UP and followup.resolved_by == users.supervisor
    assert AuditEvent.objects.filter(object_type="growth.followup", object_id=str(followup.pk),
                                     action=AuditEvent.Action.UPDATE).exists()


def test_followup_note_longer_than_300_characters_is_refused_not_cut(users, child):
    followup = FollowUp.objects.create(child=child, awc=child.awc, reason=FollowUp.Reason.SAM,
                                       month=TODAY.replace(day=1), flagged_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.followup_resolve(actor=users.supervisor, followup=followup, note="Visited the family. " * 20)
    assert "300" in refused.value.message_dict["note"][0]
    followup.refresh_from_db()
    assert followup.resolved_at is None


def test_a_measurement_costs_its_few_statements(users, child):
    """A well child's measurement with a client id, as the phone sends it: the INSERT claims the id (and finds it in
    no other month) in one statement, the child marked weighed, her follow-ups answered, the audit row, and one read
    of what the case rules need (the state's rules, an open case, a recovered one under watch; on PostgreSQL in front
    of the claim, brought back by it); no lookup before, no savepoint of its own. Before: 11 statements and a
    savepoint pair."""
    services.measurement_record(actor=users.aww, child=child, date=days_ago(3), weight_kg=Decimal("10"),
                                client_uuid=uuid.uuid4())  # the statements prepared on this session
    with CaptureQueriesContext(connection) as seen:
        measurement, created = services.measurement_record(
            actor=users.aww, child=child, date=TODAY, weight_kg=Decimal("10.2"), client_uuid=uuid.uuid4())
    statements = sent_statements(seen.captured_queries)
    work = [sql for sql in statements if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert created and len(work) == 5, "\n".join(sql[:120] for sql in statements)
    assert len(statements) - len(work) == 2  # the one savepoint: the test's own transaction around the service's
    assert Measurement.objects.filter(child=child).count() == 2
    child.refresh_from_db()
    assert child.last_weighed_on == TODAY


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements sent together are PostgreSQL's")
def test_a_measurements_writes_nobody_reads_go_with_its_next_statement(users, child):
    """On PostgreSQL the read of what the case rules need goes in front of the claim, in its message, and the claim
    brings it back; the child marked weighed, her follow-ups answered and the audit row wait for the transaction's
    end (here, in the test's transaction, its savepoint's release): two messages to the server for five statements,
    where there were three (the claim, the read carrying the writes, the COMMIT's). Her "not weighed this month"
    follow-up is answered all the same."""
    from growth.models import FollowUp

    services.measurement_record(actor=users.aww, child=child, date=days_ago(40), weight_kg=Decimal("10"),
                                client_uuid=uuid.uuid4())  # the statements prepared on this session
    due = FollowUp.objects.create(child=child, awc=child.awc, month=TODAY.replace(day=1),
                                  reason=FollowUp.Reason.NOT_WEIGHED, flagged_on=TODAY)
    with CaptureQueriesContext(connection) as seen:
        services.measurement_record(actor=users.aww, child=child, date=TODAY, weight_kg=Decimal("10.2"),
                                    client_uuid=uuid.uuid4())
    messages = [q["sql"] for q in seen.captured_queries
                if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(messages) == 2, "\n".join(m[:200] for m in messages)  # the read and the claim; the rest with the release
    assert [part.split(" (")[0] for part in messages[0].split(SEPARATOR)] == [
        "EXECUTE growth_case_context_ahead", "EXECUTE growth_measurement_claim_returning"]
    together = messages[1].split(SEPARATOR)
    assert [part.split(" (")[0] for part in together[:3]] == [
        "EXECUTE beneficiary_mark_last_weighed_on", "EXECUTE growth_followups_answered", "EXECUTE poshan_audit_insert"]
    assert together[3].startswith("RELEASE SAVEPOINT"), together
    child.refresh_from_db()
    due.refresh_from_db()
    assert child.last_weighed_on == TODAY and due.resolved_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the read ahead waits for a statement: PostgreSQL's")
def test_the_case_context_read_ahead_is_the_one_read_alone(users, child):
    """What the claim brings back (case_context_ahead, read in front of it) is what a read of its own gives: the
    state's rules with their overrides, the open case; and a measurement then follows that case up."""
    from django.db import transaction

    from growth.cases.models import Case, CaseEvent, CaseRulesOverride
    from growth.cases.record import _case_context, case_context_ahead, case_context_from

    state_id = child.awc.state_id
    CaseRulesOverride.objects.create(state_id=state_id, overrides={"followup_days_mam": 7, "version": "S-test"})
    services.measurement_record(actor=users.aww, child=child, date=days_ago(20), weight_kg=Decimal("7"),
                                lenhei_cm=Decimal("80"), measure="l", client_uuid=uuid.uuid4())  # opens her case
    case = Case.objects.get(child=child, is_open=True)
    for on in (days_ago(1), days_ago(30)):
        with transaction.atomic():
            ahead = case_context_ahead(state_id=state_id, child_id=child.pk, on=on)
            with connection.cursor() as cursor:  # the read waits, and goes in front of this statement
                cursor.execute(f"SELECT {ahead.sql}", ahead.params)
                kept = cursor.fetchone()[0]
            alone = _case_context(state_id=state_id, child_id=child.pk, on=on)
        assert case_context_from(kept) == alone
        assert alone[0].version == "S-test" and alone[1] == case.pk
    services.measurement_record(actor=users.aww, child=child, date=TODAY, weight_kg=Decimal("7.5"),
                                lenhei_cm=Decimal("80.5"), measure="l", client_uuid=uuid.uuid4())
    assert CaseEvent.objects.filter(case=case, kind="followup", date=TODAY).count() == 1


def test_a_measurement_that_opens_a_case_writes_the_case_once(users, child):
    """A severely wasted child's measurement opens her case: its state is derived from its one event before the
    row is written, so the case is one INSERT (before: an INSERT, a read of the event just written, an UPDATE)."""
    from growth.cases.models import Case

    services.measurement_record(actor=users.aww, child=child, date=days_ago(40), weight_kg=Decimal("10"),
                                lenhei_cm=Decimal("80"), measure="l", client_uuid=uuid.uuid4())
    with CaptureQueriesContext(connection) as seen:
        measurement, created = services.measurement_record(
            actor=users.aww, child=child, date=TODAY, weight_kg=Decimal("7"), lenhei_cm=Decimal("80"), measure="l",
            client_uuid=uuid.uuid4())
    statements = [q["sql"] for q in seen.captured_queries]
    case = Case.objects.get(child=child)
    assert case.opened_by_id == measurement.pk and case.is_open and case.category == "sam"
    assert case.next_step and case.next_due is not None and case.derived_on == TODAY  # the derived state stored
    assert not [sql for sql in statements if sql.startswith('UPDATE "growth_case"')], "\n".join(statements)
    assert not [sql for sql in statements if 'FROM "growth_caseevent"' in sql], "\n".join(statements)
    assert len([sql for sql in statements if sql.startswith('INSERT INTO "growth_case"')]) == 1


def test_a_follow_up_measurement_reads_its_case_events_once(users, child):
    """An open case's next measurement is its follow-up: the case's events are read once (for the state before and,
    with the new event added, after), and the stored state is the one derived from every event in the table."""
    from growth.cases.models import Case
    from growth.cases.record import case_state

    services.measurement_record(actor=users.aww, child=child, date=days_ago(14), weight_kg=Decimal("7"),
                                lenhei_cm=Decimal("80"), measure="l", client_uuid=uuid.uuid4())
    with CaptureQueriesContext(connection) as seen:
        services.measurement_record(actor=users.aww, child=child, date=TODAY, weight_kg=Decimal("7.4"),
                                    lenhei_cm=Decimal("80"), measure="l", client_uuid=uuid.uuid4())
    reads = [q["sql"] for q in seen.captured_queries if 'FROM "growth_caseevent"' in q["sql"]]
    assert len(reads) == 1, "\n".join(reads)
    case = Case.objects.get(child=child)
    assert case.events.count() == 2 and case.last_followup_on == TODAY
    state = case_state(case, today=TODAY)  # from the table
    assert (case.status, case.next_step, case.next_due) == (
        state.status, state.next_step.step if state.next_step else "", state.next_step.on if state.next_step else None)
